// Twins of cosineEmbeddingLoss and tripletMarginLoss: embeddings on the last axis (the core's
// `dim`), one loss per row.

import * as core from "../index";
import type {
  CosineEmbeddingOptions as CoreCosineEmbeddingOptions,
  TripletMarginOptions as CoreTripletMarginOptions,
} from "../index";
import { grads, lossOp } from "./grad";
import { isReduced, twinOptions, type TwinOptions } from "./options";
import { perRow, perRowText, rows } from "./rows";
import {
  floatInput,
  floatValues,
  sameShape,
  shapeError,
  shapeText,
  tensor,
  tensorsText,
} from "./tensors";
import type { TensorLoss3Fn } from "./types";

/**
 * Options of the tfjs {@link cosineEmbeddingLoss} (the embedding dimension is the last axis).
 * @example const o: CosineEmbeddingOptions = { margin: 0.2 };
 */
export type CosineEmbeddingOptions = TwinOptions<CoreCosineEmbeddingOptions>;
/**
 * Options of the tfjs {@link tripletMarginLoss} (the embedding dimension is the last axis).
 * @example const o: TripletMarginOptions = { margin: 1, p: 2, swap: true };
 */
export type TripletMarginOptions = TwinOptions<CoreTripletMarginOptions>;

/**
 * Cosine embedding loss of two tensors of embeddings [d0, …, dk, D] with targets ±1 of shape
 * [d0, …, dk]: `1 − cos` where the target is 1, `max(0, cos − margin)` where it is −1. Both
 * inputs are differentiated.
 * @example cosineEmbeddingLoss(u, v, tf.tensor1d([1, -1, 1]), { margin: 0.2 })
 */
export const cosineEmbeddingLoss: TensorLoss3Fn<CosineEmbeddingOptions> = (
  input1,
  input2,
  target,
  options?,
) => {
  const fn = "cosineEmbeddingLoss";
  const a = tensor(fn, "input1", input1);
  const b = tensor(fn, "input2", input2);
  const t = tensor(fn, "target", target);
  const o = twinOptions(fn, options);
  const r = rows(fn, "input1", a, "the embedding");
  if (!sameShape(b.shape, a.shape))
    throw shapeError(fn, "input2", `the shape of input1, ${shapeText(a.shape)}`, b);
  if (!perRow(t, r)) throw shapeError(fn, "target", `${perRowText(r)} (one target per row)`, t);
  const as = floatInput(fn, "input1", a);
  const bs = floatInput(fn, "input2", b);
  const ts = floatValues(fn, "target", t);
  const c = { ...o, dim: r.width };
  return lossOp({
    fn,
    inputs: [a, b],
    reduced: isReduced(o),
    lossShape: r.shape,
    context: () =>
      tensorsText([
        ["input1", a],
        ["input2", b],
        ["target", t],
      ]),
    loss: () => core.cosineEmbeddingLoss(as, bs, ts, c),
    withGrad: (gradOutput) =>
      grads(core.cosineEmbeddingLossWithGrad(as, bs, ts, gradOutput ? { ...c, gradOutput } : c)),
  }) as never;
};

/**
 * Triplet margin loss of anchors, positives and negatives [d0, …, dk, D] (one shape); all three
 * are differentiated.
 * @example tripletMarginLoss(anchor, positive, negative, { margin: 1, swap: true })
 */
export const tripletMarginLoss: TensorLoss3Fn<TripletMarginOptions> = (
  anchor,
  positive,
  negative,
  options?,
) => {
  const fn = "tripletMarginLoss";
  const a = tensor(fn, "anchor", anchor);
  const p = tensor(fn, "positive", positive);
  const n = tensor(fn, "negative", negative);
  const o = twinOptions(fn, options);
  const r = rows(fn, "anchor", a, "the embedding");
  if (!sameShape(p.shape, a.shape))
    throw shapeError(fn, "positive", `the shape of anchor, ${shapeText(a.shape)}`, p);
  if (!sameShape(n.shape, a.shape))
    throw shapeError(fn, "negative", `the shape of anchor, ${shapeText(a.shape)}`, n);
  const as = floatInput(fn, "anchor", a);
  const ps = floatInput(fn, "positive", p);
  const ns = floatInput(fn, "negative", n);
  const c = { ...o, dim: r.width };
  return lossOp({
    fn,
    inputs: [a, p, n],
    reduced: isReduced(o),
    lossShape: r.shape,
    context: () =>
      tensorsText([
        ["anchor", a],
        ["positive", p],
        ["negative", n],
      ]),
    loss: () => core.tripletMarginLoss(as, ps, ns, c),
    withGrad: (gradOutput) =>
      grads(core.tripletMarginLossWithGrad(as, ps, ns, gradOutput ? { ...c, gradOutput } : c)),
  }) as never;
};
