// Losses over pairs and triplets of embedding rows (torch.nn.functional.cosine_embedding_loss,
// triplet_margin_loss): thin wrappers over assembly/embedding.ts.

import { callOptions, defineLoss, defineWithGrads, type Call, type Computed } from "./define";
import { COUNT, Launch, NONE, unitsPerPiece, type Arg } from "./dispatch";
import type { FloatArrayLike, GradsOptions, LossOptions } from "./types";
import {
  boolean,
  finiteNumber,
  float32,
  floatArray,
  outputs,
  reduction,
  rowLength,
  sameLength,
  type FloatArray,
} from "./validate";

export interface CosineEmbeddingOptions {
  /** Length of each embedding row: the inputs are viewed as [rows, dim]. Required. */
  dim: number;
  /** Applies to target −1 rows: `max(0, cos − margin)`. Default 0; any finite number. */
  margin?: number;
}

export interface TripletMarginOptions {
  /** Length of each embedding row: the inputs are viewed as [rows, dim]. Required. */
  dim: number;
  /** Default 1; any finite number. */
  margin?: number;
  /** The norm of the distances: any finite p > 0 (default 2; 1 and 2 are the fast paths; other
   *  p are computed relative to the row's largest difference, so |x|^p never overflows). */
  p?: number;
  /** Added to each difference before the norm, as pairwise_distance. Default 1e-6. */
  eps?: number;
  /** Use min(d(a, n), d(p, n)) as the negative distance (the distance swap). Default false. */
  swap?: boolean;
}

/** Rows of `dim` over equal-length inputs named `names`: validated, declared on a Launch with
 *  their gradients (one per input) and the per-row outputs. */
function embeddingRows<O>(
  call: Call,
  names: readonly string[],
  values: readonly unknown[],
  opts: unknown,
) {
  const { fn, withGrad } = call;
  const o = callOptions<O & GradsOptions & { dim?: unknown }>(call, opts);
  const inputs: FloatArray[] = names.map((name, i) => floatArray(fn, name, values[i]));
  const n = inputs[0].length;
  inputs.forEach((x, i) => sameLength(fn, names[0], n, names[i], x.length));
  const dim = rowLength(fn, "dim", o.dim, n);
  const rows = n / dim;
  const red = reduction(fn, o.reduction);
  const { lossInto, go, into } = outputs(
    fn,
    o,
    red,
    rows,
    withGrad,
    names,
    names.map(() => n),
  );
  const L = new Launch(fn);
  const X = inputs.map((x, i) => L.input(names[i], x, dim));
  const LO: Arg | typeof NONE = red === "none" ? L.output("lossInto", 1, lossInto) : NONE;
  const G: Array<Arg | typeof NONE> = names.map((_, i) =>
    withGrad ? L.output(`gradsInto[${i}]`, dim, into[i]) : NONE,
  );
  const GO: Arg | typeof NONE = go ? L.input("gradOutput", go, 1) : NONE;
  const scale = red === "mean" ? 1 / rows : 1;
  const work = { units: rows, perPiece: unitsPerPiece(dim) };
  const done = (total: number): Computed => ({
    reduction: red,
    total,
    count: rows,
    loss: LO === NONE ? undefined : L.result(LO),
    grads: withGrad ? G.map((g) => L.result(g as Arg)) : [],
  });
  return { o, L, X, LO, G, GO, scale, dim, rows, work, done };
}

type Pair3 = [input1: FloatArrayLike, input2: FloatArrayLike, target: FloatArrayLike];

function cosine(call: Call, [a, b, target]: Pair3, opts: unknown): Computed {
  const { fn } = call;
  const c = embeddingRows<CosineEmbeddingOptions>(call, ["input1", "input2"], [a, b], opts);
  const margin = finiteNumber(fn, "margin", c.o.margin, 0);
  const y = float32(fn, "target", target);
  if (y.length !== c.rows) {
    throw new RangeError(
      `${fn}: 'target' must have length ${c.rows} (one target per row); received length ${y.length}`,
    );
  }
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1 && y[i] !== -1)
      throw new RangeError(`${fn}: 'target' must contain only 1 or -1; element ${i} is ${y[i]}`);
  }
  const Y = c.L.input("target", y, 1);
  return c.done(
    c.L.run(
      "cosineEmbedding",
      [c.X[0], c.X[1], Y, COUNT, c.dim, c.LO, c.G[0], c.G[1], c.GO, c.scale, margin],
      c.work,
    ),
  );
}

/**
 * Cosine embedding loss (torch.nn.functional.cosine_embedding_loss): per pair of rows,
 * `1 − cos` where the target is 1 and `max(0, cos − margin)` where it is −1, with
 * `cos = a·b / sqrt((|a|² + 1e-12)(|b|² + 1e-12))` (a zero row has cos 0).
 * @example cosineEmbeddingLoss([1, 0, 0, 1], [1, 0, 1, 0], [1, -1], { dim: 2 }) // (0 + 0) / 2 = 0
 */
export const cosineEmbeddingLoss = defineLoss<Pair3, LossOptions & CosineEmbeddingOptions>(
  "cosineEmbeddingLoss",
  3,
  cosine,
);

/**
 * {@link cosineEmbeddingLoss} and the gradients of both inputs: `{ loss, grads: [d1, d2] }`.
 * @example const { loss, grads: [d1, d2] } = cosineEmbeddingLossWithGrad(u, v, y, { dim: 128 });
 */
export const cosineEmbeddingLossWithGrad = defineWithGrads<
  Pair3,
  GradsOptions & CosineEmbeddingOptions
>("cosineEmbeddingLoss", 3, cosine);

type Triplet = [anchor: FloatArrayLike, positive: FloatArrayLike, negative: FloatArrayLike];

function triplet(call: Call, [a, p, n]: Triplet, opts: unknown): Computed {
  const { fn } = call;
  const c = embeddingRows<TripletMarginOptions>(
    call,
    ["anchor", "positive", "negative"],
    [a, p, n],
    opts,
  );
  const margin = finiteNumber(fn, "margin", c.o.margin, 1);
  const power = finiteNumber(fn, "p", c.o.p, 2, (v) => v > 0, "a finite number > 0");
  const eps = finiteNumber(fn, "eps", c.o.eps, 1e-6);
  const swap = boolean(fn, "swap", c.o.swap, false);
  return c.done(
    c.L.run(
      "tripletMargin",
      [
        c.X[0],
        c.X[1],
        c.X[2],
        COUNT,
        c.dim,
        c.LO,
        c.G[0],
        c.G[1],
        c.G[2],
        c.GO,
        c.scale,
        margin,
        power,
        eps,
        swap ? 1 : 0,
      ],
      c.work,
    ),
  );
}

/**
 * Triplet margin loss (torch.nn.functional.triplet_margin_loss): per triplet of rows,
 * `max(0, margin + d(a, p) − d(a, n))` with `d(x, y) = ‖x − y + eps‖_p` (pairwise_distance);
 * `swap` replaces d(a, n) by min(d(a, n), d(p, n)).
 * @example tripletMarginLoss([0, 0], [3, 4], [0, 1], { dim: 2, eps: 0 }) // 1 + 5 − 1 = 5
 */
export const tripletMarginLoss = defineLoss<Triplet, LossOptions & TripletMarginOptions>(
  "tripletMarginLoss",
  3,
  triplet,
);

/**
 * {@link tripletMarginLoss} and the gradients of all three inputs: `{ loss, grads: [dA, dP, dN] }`.
 * With `swap`, a tie d(a, n) = d(p, n) shares the gradient half and half (PyTorch's minimum).
 * @example const { grads: [dA, dP, dN] } = tripletMarginLossWithGrad(a, p, n, { dim: 64, swap: true });
 */
export const tripletMarginLossWithGrad = defineWithGrads<
  Triplet,
  GradsOptions & TripletMarginOptions
>("tripletMarginLoss", 3, triplet);
