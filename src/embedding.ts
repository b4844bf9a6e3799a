// Losses over pairs and triplets of embedding rows (torch.nn.functional.cosine_embedding_loss,
// triplet_margin_loss): thin wrappers over assembly/embedding.ts through the row-loss helper.

import {
  rowCall, type RowGradsOptions, type RowLoss3Fn, type RowLoss3WithGradsFn, type RowOptions,
} from "./fused";
import { boolean, finiteNumber, floatArray, type FloatArrayLike } from "./validate";

export interface CosineEmbeddingOptions extends RowOptions {
  /** Length of each embedding row: the inputs are viewed as [rows, dim]. Required. */
  dim: number;
  /** Applies to target −1 rows: `max(0, cos − margin)`. Default 0; any finite number. */
  margin?: number;
}

function cosine(fn: string, a: unknown, b: unknown, target: unknown, opts: CosineEmbeddingOptions | undefined, withGrad: boolean): unknown {
  const c = rowCall(fn, opts, withGrad, ["input1", "input2"], [a, b], "dim");
  const margin = finiteNumber(fn, "margin", c.o.margin, 0);
  const y = floatArray(fn, "target", target);
  if (y.length !== c.rows) {
    throw new RangeError(`${fn}: 'target' must have length ${c.rows} (one target per row); received length ${y.length}`);
  }
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1 && y[i] !== -1) {
      throw new RangeError(`${fn}: 'target' must contain only 1 or -1; element ${i} is ${y[i]}`);
    }
  }
  const f = c.call.f;
  const Y = f.f32("target", y);
  const k = f.m.kernels;
  return c.call.run((q) => k.cosineEmbedding(q.x[0], q.x[1], Y.ptr, c.rows, c.width, q.loss, q.grads[0], q.grads[1], q.gradOut, q.scale, margin));
}

/**
 * Cosine embedding loss (torch.nn.functional.cosine_embedding_loss): per pair of rows,
 * `1 − cos` where the target is 1 and `max(0, cos − margin)` where it is −1, with
 * `cos = a·b / sqrt((|a|² + 1e-12)(|b|² + 1e-12))` (a zero row has cos 0).
 * @example cosineEmbeddingLoss([1, 0, 0, 1], [1, 0, 1, 0], [1, -1], { dim: 2 }) // (0 + 0) / 2 = 0
 */
export const cosineEmbeddingLoss: RowLoss3Fn<CosineEmbeddingOptions> = (input1, input2, target, options) =>
  cosine("cosineEmbeddingLoss", input1, input2, target, options, false) as never;

/**
 * {@link cosineEmbeddingLoss} and the gradients of both inputs: `{ loss, grads: [d1, d2] }`.
 * @example const { loss, grads: [d1, d2] } = cosineEmbeddingLossWithGrad(u, v, y, { dim: 128 });
 */
export const cosineEmbeddingLossWithGrad: RowLoss3WithGradsFn<CosineEmbeddingOptions & RowGradsOptions> = (input1, input2, target, options) =>
  cosine("cosineEmbeddingLossWithGrad", input1, input2, target, options, true) as never;

export interface TripletMarginOptions extends RowOptions {
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

function triplet(fn: string, a: unknown, p: unknown, n: unknown, opts: TripletMarginOptions | undefined, withGrad: boolean): unknown {
  const c = rowCall(fn, opts, withGrad, ["anchor", "positive", "negative"], [a, p, n], "dim");
  const o = c.o;
  const margin = finiteNumber(fn, "margin", o.margin, 1);
  const power = finiteNumber(fn, "p", o.p, 2, (v) => v > 0, "a finite number > 0");
  const eps = finiteNumber(fn, "eps", o.eps, 1e-6);
  const swap = boolean(fn, "swap", o.swap, false);
  const k = c.call.f.m.kernels;
  return c.call.run((q) => k.tripletMargin(
    q.x[0], q.x[1], q.x[2], c.rows, c.width, q.loss, q.grads[0], q.grads[1], q.grads[2], q.gradOut, q.scale,
    margin, power, eps, swap ? 1 : 0,
  ));
}

/**
 * Triplet margin loss (torch.nn.functional.triplet_margin_loss): per triplet of rows,
 * `max(0, margin + d(a, p) − d(a, n))` with `d(x, y) = ‖x − y + eps‖_p` (pairwise_distance);
 * `swap` replaces d(a, n) by min(d(a, n), d(p, n)).
 * @example tripletMarginLoss([0, 0], [3, 4], [0, 1], { dim: 2, eps: 0 }) // 1 + 5 − 1 = 5
 */
export const tripletMarginLoss: RowLoss3Fn<TripletMarginOptions, FloatArrayLike> = (anchor, positive, negative, options) =>
  triplet("tripletMarginLoss", anchor, positive, negative, options, false) as never;

/**
 * {@link tripletMarginLoss} and the gradients of all three inputs: `{ loss, grads: [dA, dP, dN] }`.
 * With `swap`, a tie d(a, n) = d(p, n) shares the gradient half and half (PyTorch's minimum).
 * @example const { grads: [dA, dP, dN] } = tripletMarginLossWithGrad(a, p, n, { dim: 64, swap: true });
 */
export const tripletMarginLossWithGrad: RowLoss3WithGradsFn<TripletMarginOptions & RowGradsOptions, FloatArrayLike> = (anchor, positive, negative, options) =>
  triplet("tripletMarginLossWithGrad", anchor, positive, negative, options, true) as never;
