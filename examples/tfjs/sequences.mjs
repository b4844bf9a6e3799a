// Unsegmented digit strings for the CTC example: 1 to MAX_DIGITS digits, each an 8×8 image of the
// shipped digits data, placed side by side with random gaps on a strip WIDTH columns wide. A
// model reads the strip column by column (one frame per column, its 8 pixels as features) and
// must emit the string without being told where each digit is: what CTC is for.
// Platform-neutral (the caller reads the CSV; TensorFlow.js is passed in).

export const HEIGHT = 8,
  WIDTH = 48,
  MAX_DIGITS = 4,
  BLANK = 0,
  CLASSES = 11; // classes: blank, then digits 0–9 as 1–10
/** Columns a frame sees: its own and CONTEXT on each side (13 columns, a digit and its neighbours' edges). */
export const CONTEXT = 6,
  FEATURES = HEIGHT * (2 * CONTEXT + 1);

/** The digit images of a split grouped by label: images[d] is a list of 64-pixel Float32Arrays. */
export function byLabel(set) {
  const images = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < set.n; i++) images[set.y[i]].push(set.x.subarray(i * 64, (i + 1) * 64));
  return images;
}

/**
 * `n` strips with their strings: frames [n, WIDTH, FEATURES] (batch-major; a frame is the 8 pixels
 * of its column and of CONTEXT columns on each side, zero beyond the strip),
 * labels [n, MAX_DIGITS] padded with 0 (the targets of ctcLoss are digits + 1), label lengths
 * [n], and the strings as arrays of digits.
 */
export function strips(images, n, random) {
  const columns = new Float32Array(n * WIDTH * HEIGHT);
  const labels = new Int32Array(n * MAX_DIGITS),
    lengths = new Int32Array(n),
    strings = [];
  for (let s = 0; s < n; s++) {
    const length = 1 + Math.floor(random() * MAX_DIGITS);
    const digits = Array.from({ length }, () => Math.floor(random() * 10));
    // Gaps of 0 to 3 columns between digits (0: touching), the rest of the strip split at random
    // before and after.
    const gaps = digits.map((_, i) => (i === 0 ? 0 : Math.floor(random() * 4)));
    const used = 8 * length + gaps.reduce((a, b) => a + b, 0);
    let x = Math.floor(random() * (WIDTH - used + 1));
    digits.forEach((d, i) => {
      x += gaps[i];
      const pool = images[d],
        img = pool[Math.floor(random() * pool.length)];
      for (let col = 0; col < 8; col++, x++) {
        for (let row = 0; row < 8; row++)
          columns[(s * WIDTH + x) * HEIGHT + row] = img[row * 8 + col];
      }
      labels[s * MAX_DIGITS + i] = d + 1;
    });
    lengths[s] = length;
    strings.push(digits);
  }
  return { frames: windows(columns, n), labels, lengths, strings };
}

/** Each column with its CONTEXT neighbours on each side: [n, WIDTH, HEIGHT] to [n, WIDTH, FEATURES]. */
function windows(columns, n) {
  const frames = new Float32Array(n * WIDTH * FEATURES);
  for (let s = 0; s < n; s++) {
    for (let t = 0; t < WIDTH; t++) {
      for (let k = -CONTEXT; k <= CONTEXT; k++) {
        const c = t + k;
        if (c < 0 || c >= WIDTH) continue;
        const from = (s * WIDTH + c) * HEIGHT;
        frames.set(
          columns.subarray(from, from + HEIGHT),
          (s * WIDTH + t) * FEATURES + (k + CONTEXT) * HEIGHT,
        );
      }
    }
  }
  return frames;
}

/** Edit distance (insertions, deletions, substitutions) between two strings of digits. */
export function editDistance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** Greedy (best path) decoding of the best class of each frame (`best`, n·T values, batch-major):
 *  repeats merged, blanks dropped, classes 1–10 back to digits. */
export function greedy(best, n, T) {
  const out = [];
  for (let s = 0; s < n; s++) {
    const digits = [];
    for (let t = 0; t < T; t++) {
      const c = best[s * T + t];
      if (c !== BLANK && (t === 0 || c !== best[s * T + t - 1])) digits.push(c - 1);
    }
    out.push(digits);
  }
  return out;
}
