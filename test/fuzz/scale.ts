// The natural magnitude of a result element whose value can cancel far below it: float32 rounds
// the terms, not their difference, so neither implementation is relatively exact there (the
// comparison's floor is 1e-6 of it). Functions without an entry use the array's own scale.
//   crossEntropyLoss gradient   s·(p·Q − q): terms of |s|·max(1, w)·max(1, Q)   (0 for C = 1)
//   cosineEmbeddingLoss grads   g·(b/‖a‖‖b‖ − cos·a/‖a‖²): terms of |g| / ‖row‖   (0 for a = b)
//   cosineEmbeddingLoss loss    1 − cos (or cos − margin): terms of 1 + |margin|
//   tripletMarginLoss loss      margin + d(a, p) − d(a, n): terms of |margin| + d(a, p) + d(a, n),
//                               over p when p < 1 (d = s^(1/p) multiplies the sum's error by 1/p)
//   ctcLoss loss                −log Σ_paths exp(Σ log p): terms of Σ_t max_c |log p| per sample
//   tripletMarginLoss grads     the anchor's two distance terms: |g| Σ (|u| / d)^(p−1) (times the
//                               error growth |(p − 1) log(|u| / d)| of a float32 power)

import { isInts, type Case } from "./case";

const f32 = (c: Case, i: number): Float32Array =>
  c.args[i] instanceof Float32Array ? (c.args[i] as Float32Array) : new Float32Array(0);

/** The upstream gradient of loss element `pos`: gradOutput, or 1/divisor for "mean", 1 for "sum". */
function upstream(c: Case, pos: number, divisor: number): number {
  const go = c.options.gradOutput;
  if (go instanceof Float32Array) return Math.abs(go[pos]);
  return c.options.reduction === "sum" ? 1 : 1 / divisor;
}

function crossEntropy(c: Case, i: number): number {
  const o = c.options;
  const shape = (o.shape as number[] | undefined) ?? [
    f32(c, 0).length / (o.classes as number),
    o.classes as number,
  ];
  const C = shape.length === 1 ? shape[0] : shape[1];
  const D = shape.slice(2).reduce((a, b) => a * b, 1);
  const w = o.weight instanceof Float32Array ? o.weight : null;
  const t = c.args[1];
  let divisor = f32(c, 0).length / C;
  if (isInts(t)) {
    const ignore = (o.ignoreIndex as number | undefined) ?? -100;
    divisor = t.ints.reduce((s, v) => (v === ignore ? s : s + (w ? w[v] : 1)), 0);
  }
  const wmax = w ? Math.max(1, ...Array.from(w, Math.abs)) : 1;
  const pos = Math.floor(i / (C * D)) * D + (i % D);
  // Probability targets need not sum to 1: the terms p·Q and q scale with the mass Q = Σ t.
  let mass = 1;
  if (t instanceof Float32Array) {
    const n = Math.floor(pos / D),
      j = pos % D;
    let q = 0;
    for (let k = 0; k < C; k++) q += Math.abs(t[(n * C + k) * D + j]);
    mass = Math.max(1, q);
  }
  return upstream(c, pos, divisor) * wmax * mass;
}

/** CTC: −log of a sum over paths of Σ log-probabilities: terms of Σ_t max_c |logProbs| per sample. */
function ctc(c: Case, i: number): number {
  const [, N, C] = c.options.shape as number[];
  const lp = f32(c, 0);
  const il = (c.args[2] as { ints: number[] }).ints,
    tl = (c.args[3] as { ints: number[] }).ints;
  const terms = (b: number) => {
    let s = 0;
    for (let t = 0; t < il[b]; t++) {
      let m = 0;
      for (let k = 0; k < C; k++)
        if (Number.isFinite(lp[(t * N + b) * C + k]))
          m = Math.max(m, Math.abs(lp[(t * N + b) * C + k]));
      s += m;
    }
    return s;
  };
  if (i >= 0) return terms(i);
  let s = 0;
  for (let b = 0; b < N; b++)
    s += c.options.reduction === "sum" ? terms(b) : terms(b) / Math.max(tl[b], 1);
  return c.options.reduction === "sum" || N === 0 ? s : s / N;
}

function cosine(c: Case, g: number, i: number): number {
  const D = c.options.dim as number;
  const row = Math.floor(i / D);
  const x = f32(c, g);
  let norm = 0;
  for (let j = row * D; j < (row + 1) * D; j++) norm += x[j] * x[j];
  return upstream(c, row, x.length / D) / Math.sqrt(norm + 1e-12);
}

function tripletLoss(c: Case, row: number): number {
  const o = c.options;
  const D = o.dim as number,
    p = (o.p as number | undefined) ?? 2,
    eps = (o.eps as number | undefined) ?? 1e-6;
  const [a, pos, neg] = [0, 1, 2].map((k) => f32(c, k));
  const dist = (x: Float32Array, y: Float32Array) => {
    let s = 0;
    for (let j = row * D; j < (row + 1) * D; j++) s += Math.abs(x[j] - y[j] + eps) ** p;
    return s ** (1 / p);
  };
  // (A distance is s^(1/p) of a float32 sum s: its error is s's error times 1/p.)
  return (
    (Math.abs((o.margin as number | undefined) ?? 1) +
      dist(a, pos) +
      dist(a, neg) +
      (o.swap ? dist(pos, neg) : 0)) /
    Math.min(p, 1)
  );
}

/** Element i of a triplet gradient: |g| times the sum of its terms (|u_i| / d)^(p−1) over the
 *  distances of its row (the anchor's dp and dn terms cancel when they are alike). */
function tripletGrad(c: Case, i: number): number {
  const o = c.options;
  const D = o.dim as number,
    p = (o.p as number | undefined) ?? 2,
    eps = (o.eps as number | undefined) ?? 1e-6;
  const [a, pos, neg] = [0, 1, 2].map((k) => f32(c, k));
  const row = Math.floor(i / D);
  let sum = 0;
  for (const [x, y] of [
    [a, pos],
    [a, neg],
    [pos, neg],
  ]) {
    let s = 0;
    for (let j = row * D; j < (row + 1) * D; j++) s += Math.abs(x[j] - y[j] + eps) ** p;
    const d = s ** (1 / p),
      u = Math.abs(x[i] - y[i] + eps);
    // For p other than 1 and 2 a term is exp((p − 1) log r) in float32: its error is |(p − 1) log r|
    // ulps (PyTorch's pow alike).
    if (d > 0 && u > 0)
      sum +=
        (u / d) ** (p - 1) * (p === 1 || p === 2 ? 1 : 1 + Math.abs((p - 1) * Math.log(u / d)));
  }
  return upstream(c, row, a.length / D) * sum;
}

/** The natural magnitude of element `i` of `what` ("loss" or "grads[g]"), or 0 (no entry). */
export function naturalScale(c: Case, what: string, i: number): number {
  const g = Number(/^grads\[(\d+)\]/.exec(what)?.[1] ?? -1);
  if (c.fn === "crossEntropyLoss" && g === 0) return crossEntropy(c, i);
  if (c.fn === "cosineEmbeddingLoss" && g >= 0) return cosine(c, g, i);
  if (c.fn === "cosineEmbeddingLoss" && what === "loss") {
    // 1 − cos or cos − margin: terms of 1 + |margin| per row.
    const terms = 1 + Math.abs((c.options.margin as number | undefined) ?? 0);
    return i >= 0 || c.options.reduction !== "sum"
      ? terms
      : terms * (f32(c, 0).length / (c.options.dim as number));
  }
  if (c.fn === "tripletMarginLoss" && g >= 0) return tripletGrad(c, i);
  if (c.fn === "ctcLoss" && what === "loss") return ctc(c, i);
  if (c.fn === "tripletMarginLoss" && what === "loss") {
    const D = c.options.dim as number;
    const rows = f32(c, 0).length / D;
    if (i >= 0) return tripletLoss(c, i);
    let s = 0;
    for (let r = 0; r < rows; r++) s += tripletLoss(c, r);
    return c.options.reduction === "sum" ? s : s / rows;
  }
  return 0;
}
