// Softmax regression (a linear layer, logits = x·W + b, trained on cross-entropy) and the 8×8
// digits data, shared by the Node example (../train-digits.mjs) and the browser page (./index.html).
// Platform-neutral: the wasm-loss module is passed in, and the CSV text is read by the caller.

export const F = 64,
  C = 10; // 8×8 pixels in 0..16; digits 0..9

/** xorshift32 in [0, 1): the same shuffles on every run. */
export function seededRandom(seed) {
  let s = seed >>> 0 || 1;
  return () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 32);
}

function shuffle(a, random) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Parses digits.csv (64 pixels then the label per row), shuffles, splits off `testShare`. */
export function loadDigits(csvText, random, testShare = 0.2) {
  const rows = shuffle(
    csvText
      .trim()
      .split("\n")
      .map((line) => line.split(",").map(Number)),
    random,
  );
  const set = (part) => ({
    x: Float32Array.from(part.flatMap((r) => r.slice(0, F).map((v) => v / 16))),
    y: Int32Array.from(part, (r) => r[F]),
    n: part.length,
  });
  const nTest = Math.round(rows.length * testShare);
  return { total: rows.length, test: set(rows.slice(0, nTest)), train: set(rows.slice(nTest)) };
}

export class SoftmaxRegression {
  W = new Float32Array(F * C); // row-major F×C
  b = new Float32Array(C);

  /** logits = x·W + b for `n` rows of x. */
  logits(x, n, out = new Float32Array(n * C)) {
    const { W, b } = this;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < C; c++) out[i * C + c] = b[c];
      for (let k = 0; k < F; k++) {
        const v = x[i * F + k];
        if (v === 0) continue;
        for (let c = 0; c < C; c++) out[i * C + c] += v * W[k * C + c];
      }
    }
    return out;
  }

  /**
   * One epoch of minibatch SGD. crossEntropyLossWithGrad gives each batch's mean loss and
   * d(loss)/d(logits) in one call; the layer's gradient is then dW = xᵀ·g, db = Σ rows of g.
   * Returns the epoch's training loss, accumulated exactly over all samples by a LossMeter.
   */
  trainEpoch(wl, train, { batch = 32, lr = 0.5, random }) {
    const order = shuffle(
      Int32Array.from({ length: train.n }, (_, i) => i),
      random,
    );
    const xb = new Float32Array(batch * F),
      yb = new Int32Array(batch);
    const z = new Float32Array(batch * C),
      grad = new Float32Array(batch * C);
    const meter = new wl.LossMeter();
    for (let start = 0; start < train.n; start += batch) {
      const n = Math.min(batch, train.n - start);
      for (let i = 0; i < n; i++) {
        const r = order[start + i];
        xb.set(train.x.subarray(r * F, (r + 1) * F), i * F);
        yb[i] = train.y[r];
      }
      const logits = this.logits(xb, n, z.subarray(0, n * C));
      const { loss, grad: g } = wl.crossEntropyLossWithGrad(logits, yb.subarray(0, n), {
        classes: C,
        gradInto: grad.subarray(0, n * C), // no allocation per step
      });
      meter.add(loss * n, n); // "mean" over n samples: its sum is loss·n
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < C; c++) this.b[c] -= lr * g[i * C + c];
        for (let k = 0; k < F; k++) {
          const v = xb[i * F + k];
          if (v === 0) continue;
          for (let c = 0; c < C; c++) this.W[k * C + c] -= lr * v * g[i * C + c];
        }
      }
    }
    return meter.mean;
  }

  /** Mean cross-entropy, accuracy and the predicted digit of every row of `set`. */
  evaluate(wl, set) {
    const logits = this.logits(set.x, set.n);
    const predicted = new Int32Array(set.n);
    let right = 0;
    for (let i = 0; i < set.n; i++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (logits[i * C + c] > logits[i * C + best]) best = c;
      predicted[i] = best;
      if (best === set.y[i]) right++;
    }
    return {
      loss: wl.crossEntropyLoss(logits, set.y, { classes: C }),
      accuracy: right / set.n,
      predicted,
    };
  }
}
