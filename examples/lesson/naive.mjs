// The textbook formulas, evaluated step by step in float32 (Math.fround after every operation),
// which is what a Float32Array pipeline or a float32 PyTorch tensor does. In float64 the same
// breakdowns happen, only later (exp overflows past 709 instead of 88.7).

const f = Math.fround;

/** σ(o) = 1 / (1 + e^−o) in float32: exactly 0 once e^−o overflows (o < −88.7). */
export function sigmoid32(o) {
  return f(1 / f(1 + f(Math.exp(f(-o)))));
}

/** Binary cross-entropy on a probability: −[y·log p + (1 − y)·log(1 − p)], no clamp. */
export function bce32(p, y) {
  return f(-f(f(y * f(Math.log(p))) + f(f(1 - y) * f(Math.log(f(1 - p))))));
}

/** Sigmoid, then BCE: the naive binary loss of a logit. */
export const naiveBce32 = (o, y) => bce32(sigmoid32(o), y);

/** −log softmax(o)_t with softmax as written: e^o_t / Σ e^o_j. */
export function naiveSoftmaxLog32(row, t, shift = false) {
  const max = shift ? row.reduce((a, b) => Math.max(a, b), -Infinity) : 0;
  let sum = 0;
  const e = row.map((v) => f(Math.exp(f(v - max))));
  for (const v of e) sum = f(sum + v);
  return f(-f(Math.log(f(e[t] / sum))));
}

/** Exact references in float64: softplus(m) = log(1 + e^m), and log(e^m + k). */
export const softplus = (m) => Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m)));
export const logExpPlus = (m, k) => m + Math.log1p(k * Math.exp(-m));

// Plain JavaScript loops for the benchmark: the stable formulas, loss and gradient in one pass.

export function jsMseWithGrad(x, y, grad) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - y[i];
    s += d * d;
    grad[i] = (2 * d) / n;
  }
  return s / n;
}

export function jsBceWithLogitsWithGrad(x, y, grad) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const o = x[i],
      t = y[i];
    const e = Math.exp(-Math.abs(o));
    s += Math.max(o, 0) - o * t + Math.log1p(e);
    const sig = o >= 0 ? 1 / (1 + e) : e / (1 + e);
    grad[i] = (sig - t) / n;
  }
  return s / n;
}

export function jsCrossEntropyWithGrad(x, target, classes, grad) {
  const rows = target.length;
  let s = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, x[base + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(x[base + c] - max);
    const lse = max + Math.log(sum);
    s += lse - x[base + target[r]];
    for (let c = 0; c < classes; c++) grad[base + c] = Math.exp(x[base + c] - lse) / rows;
    grad[base + target[r]] -= 1 / rows;
  }
  return s / rows;
}
