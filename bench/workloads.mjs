// What is measured. Every workload makes its data for n input elements, names the wasm-loss
// function, and (main table) gives the plain-JS, TensorFlow.js and float64 reference forms.
// The PyTorch forms live in torch_peer.py under the same ids.

import * as D from "./data.mjs";
import * as P from "./plain.mjs";

const rows = (n, c) => Math.floor(n / c);

// ---- main table ----------------------------------------------------------------------------

const pair = (n, seed, lo = -2, hi = 2) => ({
  x: D.uniform(n, lo, hi, seed),
  y: D.uniform(n, lo, hi, seed + 1),
});

function ce(c) {
  return {
    id: `ce${c}`,
    label: `CrossEntropy C=${c}`,
    table: "main",
    fn: "crossEntropyLoss",
    grads: 1,
    make(n) {
      const N = rows(n, c);
      const x = D.normal(N * c, 0, 2, 31 + c),
        t = D.classes(N, c, 37 + c);
      return {
        elements: N * c,
        args: [x, t],
        options: { classes: c },
        torch: { arrays: [x, t], shapes: [[N, c], [N]], params: { C: c } },
        ref: () => {
          let s = 0;
          for (let r = 0; r < N; r++) {
            let m = -Infinity,
              z = 0;
            for (let j = 0; j < c; j++) m = Math.max(m, x[r * c + j]);
            for (let j = 0; j < c; j++) z += Math.exp(x[r * c + j] - m);
            s += m + Math.log(z) - x[r * c + t[r]];
          }
          return s / N;
        },
        js: { forward: () => P.crossEntropy(x, t, c), grad: () => P.crossEntropyGrad(x, t, c) },
        tf: (tf) => ({
          tensors: () => [
            tf.tensor2d(x, [N, c]),
            tf.cast(tf.oneHot(tf.tensor1d(t, "int32"), c), "float32"),
          ],
          // tfjs-wasm's float32 oneHot is wrong: one-hot in int32 (the default), then cast.
          loss: (xt, oh) => tf.neg(tf.mean(tf.sum(tf.mul(oh, tf.logSoftmax(xt)), 1))),
        }),
      };
    },
  };
}

export const MAIN = [
  {
    id: "l1",
    label: "L1",
    table: "main",
    fn: "l1Loss",
    grads: 1,
    make(n) {
      const { x, y } = pair(n, 11);
      return {
        elements: n,
        args: [x, y],
        options: {},
        torch: { arrays: [x, y] },
        ref: () => {
          let s = 0;
          for (let i = 0; i < n; i++) s += Math.abs(x[i] - y[i]);
          return s / n;
        },
        js: { forward: () => P.l1(x, y), grad: () => P.l1Grad(x, y) },
        tf: (tf) => ({
          tensors: () => [tf.tensor1d(x), tf.tensor1d(y)],
          loss: (a, b) => tf.mean(tf.abs(tf.sub(a, b))),
        }),
      };
    },
  },
  {
    id: "mse",
    label: "MSE",
    table: "main",
    fn: "mseLoss",
    grads: 1,
    make(n) {
      const { x, y } = pair(n, 13);
      return {
        elements: n,
        args: [x, y],
        options: {},
        torch: { arrays: [x, y] },
        ref: () => {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const d = x[i] - y[i];
            s += d * d;
          }
          return s / n;
        },
        js: { forward: () => P.mse(x, y), grad: () => P.mseGrad(x, y) },
        tf: (tf) => ({
          tensors: () => [tf.tensor1d(x), tf.tensor1d(y)],
          loss: (a, b) => tf.mean(tf.squaredDifference(a, b)),
        }),
      };
    },
  },
  {
    id: "bcelogits",
    label: "BCEWithLogits",
    table: "main",
    fn: "bceWithLogitsLoss",
    grads: 1,
    make(n) {
      const x = D.normal(n, 0, 3, 17),
        y = D.bits(n, 19);
      return {
        elements: n,
        args: [x, y],
        options: {},
        torch: { arrays: [x, y] },
        ref: () => {
          let s = 0;
          for (let i = 0; i < n; i++)
            s += Math.max(x[i], 0) - x[i] * y[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
          return s / n;
        },
        js: { forward: () => P.bceWithLogits(x, y), grad: () => P.bceWithLogitsGrad(x, y) },
        tf: (tf) => ({
          tensors: () => [tf.tensor1d(x), tf.tensor1d(y)],
          loss: (a, b) =>
            tf.mean(tf.add(tf.sub(tf.relu(a), tf.mul(a, b)), tf.log1p(tf.exp(tf.neg(tf.abs(a)))))),
        }),
      };
    },
  },
  ce(10),
  ce(1000),
];

// ---- the rest of the catalogue (second table): wasm-loss builds, plain JS and PyTorch -------

/** The plain-JS forms of a wide workload: the loss ("mean") and loss + gradient(s) on its arrays. */
const js = (f, g, ...a) => ({ forward: () => f(...a), grad: () => g(...a) });

function wide(id, label, fn, grads, make) {
  return { id, label, table: "wide", fn, grads, make };
}

const C = 10,
  DIM = 64;

export const WIDE = [
  wide("huber", "Huber", "huberLoss", 1, (n) => {
    const { x, y } = pair(n, 41);
    return {
      elements: n,
      args: [x, y],
      options: {},
      torch: { arrays: [x, y] },
      js: js(P.huber, P.huberGrad, x, y),
    };
  }),
  wide("smoothl1", "SmoothL1", "smoothL1Loss", 1, (n) => {
    const { x, y } = pair(n, 43);
    return {
      elements: n,
      args: [x, y],
      options: {},
      torch: { arrays: [x, y] },
      js: js(P.smoothL1, P.smoothL1Grad, x, y),
    };
  }),
  wide("bce", "BCE (probabilities)", "bceLoss", 1, (n) => {
    const x = D.uniform(n, 0.01, 0.99, 47),
      y = D.bits(n, 53);
    return {
      elements: n,
      args: [x, y],
      options: {},
      torch: { arrays: [x, y] },
      js: js(P.bce, P.bceGrad, x, y),
    };
  }),
  wide("nll", `NLL C=${C}`, "nllLoss", 1, (n) => {
    const N = rows(n, C);
    const x = D.uniform(N * C, -6, 0, 59),
      t = D.classes(N, C, 61);
    return {
      elements: N * C,
      args: [x, t],
      options: { classes: C },
      torch: { arrays: [x, t], shapes: [[N, C], [N]] },
      js: js(P.nll, P.nllGrad, x, t, C),
    };
  }),
  wide("kldiv", "KLDiv", "klDivLoss", 1, (n) => {
    const x = D.uniform(n, -6, 0, 67),
      y = D.uniform(n, 0, 1, 71);
    return {
      elements: n,
      args: [x, y],
      options: {},
      torch: { arrays: [x, y] },
      js: js(P.klDiv, P.klDivGrad, x, y),
    };
  }),
  wide("poissonnll", "PoissonNLL", "poissonNllLoss", 1, (n) => {
    const x = D.normal(n, 0, 1, 73),
      y = D.uniform(n, 0, 5, 79).map(Math.floor);
    return {
      elements: n,
      args: [x, y],
      options: {},
      torch: { arrays: [x, y] },
      js: js(P.poissonNll, P.poissonNllGrad, x, y),
    };
  }),
  wide("gaussiannll", "GaussianNLL", "gaussianNllLoss", 2, (n) => {
    const { x, y } = pair(n, 83),
      v = D.uniform(n, 0.1, 2, 89);
    return {
      elements: n,
      args: [x, y, v],
      options: {},
      torch: { arrays: [x, y, v] },
      js: js(P.gaussianNll, P.gaussianNllGrad, x, y, v),
    };
  }),
  wide("softmargin", "SoftMargin", "softMarginLoss", 1, (n) => {
    const x = D.normal(n, 0, 2, 97),
      y = D.signs(n, 101);
    return {
      elements: n,
      args: [x, y],
      options: {},
      torch: { arrays: [x, y] },
      js: js(P.softMargin, P.softMarginGrad, x, y),
    };
  }),
  wide(
    "multilabelsoftmargin",
    `MultiLabelSoftMargin C=${C}`,
    "multiLabelSoftMarginLoss",
    1,
    (n) => {
      const N = rows(n, C);
      const x = D.normal(N * C, 0, 2, 103),
        y = D.bits(N * C, 107);
      return {
        elements: N * C,
        args: [x, y],
        options: { classes: C },
        torch: {
          arrays: [x, y],
          shapes: [
            [N, C],
            [N, C],
          ],
        },
        js: js(P.multiLabelSoftMargin, P.multiLabelSoftMarginGrad, x, y, C),
      };
    },
  ),
  wide("hingeembedding", "HingeEmbedding", "hingeEmbeddingLoss", 1, (n) => {
    const x = D.uniform(n, 0, 2, 109),
      y = D.signs(n, 113);
    return {
      elements: n,
      args: [x, y],
      options: {},
      torch: { arrays: [x, y] },
      js: js(P.hingeEmbedding, P.hingeEmbeddingGrad, x, y),
    };
  }),
  wide("multimargin", `MultiMargin C=${C}`, "multiMarginLoss", 1, (n) => {
    const N = rows(n, C);
    const x = D.normal(N * C, 0, 1, 127),
      t = D.classes(N, C, 131);
    return {
      elements: N * C,
      args: [x, t],
      options: { classes: C },
      torch: { arrays: [x, t], shapes: [[N, C], [N]] },
      js: js(P.multiMargin, P.multiMarginGrad, x, t, C),
    };
  }),
  wide("multilabelmargin", `MultiLabelMargin C=${C}`, "multiLabelMarginLoss", 1, (n) => {
    const N = rows(n, C);
    const x = D.normal(N * C, 0, 1, 137);
    // Each row: three labels, then -1 (the rest is ignored, as in PyTorch).
    const t = new Int32Array(N * C).fill(-1),
      r = D.rng(139);
    for (let i = 0; i < N; i++) for (let j = 0; j < 3; j++) t[i * C + j] = r() % C;
    return {
      elements: N * C,
      args: [x, t],
      options: { classes: C },
      torch: {
        arrays: [x, t],
        shapes: [
          [N, C],
          [N, C],
        ],
      },
      js: js(P.multiLabelMargin, P.multiLabelMarginGrad, x, t, C),
    };
  }),
  wide("marginranking", "MarginRanking", "marginRankingLoss", 2, (n) => {
    const { x, y } = pair(n, 149),
      t = D.signs(n, 151);
    return {
      elements: n,
      args: [x, y, t],
      options: {},
      torch: { arrays: [x, y, t] },
      js: js(P.marginRanking, P.marginRankingGrad, x, y, t),
    };
  }),
  wide("cosineembedding", `CosineEmbedding dim=${DIM}`, "cosineEmbeddingLoss", 2, (n) => {
    const N = rows(n, DIM);
    const a = D.normal(N * DIM, 0, 1, 157),
      b = D.normal(N * DIM, 0, 1, 163),
      t = D.signs(N, 167);
    return {
      elements: N * DIM,
      args: [a, b, t],
      options: { dim: DIM },
      torch: { arrays: [a, b, t], shapes: [[N, DIM], [N, DIM], [N]] },
      js: js(P.cosineEmbedding, P.cosineEmbeddingGrad, a, b, t, DIM),
    };
  }),
  wide("tripletmargin", `TripletMargin dim=${DIM}`, "tripletMarginLoss", 3, (n) => {
    const N = rows(n, DIM);
    const a = D.normal(N * DIM, 0, 1, 173),
      p = D.normal(N * DIM, 0, 1, 179),
      q = D.normal(N * DIM, 0, 1, 181);
    return {
      elements: N * DIM,
      args: [a, p, q],
      options: { dim: DIM },
      torch: {
        arrays: [a, p, q],
        shapes: [
          [N, DIM],
          [N, DIM],
          [N, DIM],
        ],
      },
      js: js(P.tripletMargin, P.tripletMarginGrad, a, p, q, DIM),
    };
  }),
  wide("ctc", "CTC T=50 C=20 S=10", "ctcLoss", 1, (n) => {
    const T = 50,
      K = 20,
      S = 10,
      N = Math.max(1, rows(n, T * K));
    const lp = D.normal(T * N * K, 0, 2, 191);
    for (let i = 0; i < T * N; i++) {
      let m = -Infinity,
        z = 0;
      for (let j = 0; j < K; j++) m = Math.max(m, lp[i * K + j]);
      for (let j = 0; j < K; j++) z += Math.exp(lp[i * K + j] - m);
      const l = m + Math.log(z);
      for (let j = 0; j < K; j++) lp[i * K + j] -= l;
    }
    const tg = D.classes(N * S, K - 1, 193).map((v) => v + 1); // labels 1..K-1 (0 is blank)
    const il = new Int32Array(N).fill(T),
      tl = new Int32Array(N).fill(S);
    return {
      elements: T * N * K,
      args: [lp, tg, il, tl],
      options: { shape: [T, N, K] },
      torch: { arrays: [lp, tg, il, tl], shapes: [[T, N, K], [N, S], [N], [N]] },
      js: js(P.ctc, P.ctcGrad, lp, tg, il, tl, T, N, K),
    };
  }),
];
