// Twins of softMarginLoss, hingeEmbeddingLoss, marginRankingLoss and multiLabelSoftMarginLoss.

import * as core from "../index";
import type {
  HingeEmbeddingOptions as CoreHingeEmbeddingOptions,
  MarginRankingOptions as CoreMarginRankingOptions,
  MultiLabelSoftMarginOptions as CoreMultiLabelSoftMarginOptions,
  ReductionOptions,
} from "../index";
import { elementwise } from "./elementwise";
import { grads, lossOp } from "./grad";
import { isReduced, twinOptions, type TwinOptions } from "./options";
import { rows } from "./rows";
import {
  floatInput,
  floatValues,
  sameShape,
  shapeError,
  shapeText,
  tensor,
  tensorsText,
} from "./tensors";
import type { TensorLoss3Fn, TensorLossFn } from "./types";

/**
 * Options of the tfjs {@link hingeEmbeddingLoss}.
 * @example const o: HingeEmbeddingOptions = { margin: 2 };
 */
export type HingeEmbeddingOptions = TwinOptions<CoreHingeEmbeddingOptions> & ReductionOptions;
/**
 * Options of the tfjs {@link marginRankingLoss}.
 * @example const o: MarginRankingOptions = { margin: 0.5, reduction: "none" };
 */
export type MarginRankingOptions = TwinOptions<CoreMarginRankingOptions>;
/**
 * Options of the tfjs {@link multiLabelSoftMarginLoss}: `weight` (one per class) may be a tensor.
 * @example const o: MultiLabelSoftMarginOptions = { weight: tf.tensor1d([1, 2, 1]) };
 */
export type MultiLabelSoftMarginOptions = TwinOptions<CoreMultiLabelSoftMarginOptions> &
  ReductionOptions;

/**
 * Two-class logistic loss `log(1 + exp(−target·input))`, targets ±1, input and target of one shape.
 * @example softMarginLoss(scores, tf.tensor1d([1, -1, 1]))
 */
export const softMarginLoss: TensorLossFn<ReductionOptions> = (input, target, options?) =>
  elementwise(
    { fn: "softMarginLoss", loss: core.softMarginLoss, withGrad: core.softMarginLossWithGrad },
    input,
    target,
    options,
  ) as never;

/**
 * Hinge embedding loss: `input` where the target is 1, `max(0, margin − input)` where it is −1.
 * @example hingeEmbeddingLoss(distances, same, { margin: 2 })
 */
export const hingeEmbeddingLoss: TensorLossFn<HingeEmbeddingOptions> = (input, target, options?) =>
  elementwise(
    {
      fn: "hingeEmbeddingLoss",
      loss: core.hingeEmbeddingLoss,
      withGrad: core.hingeEmbeddingLossWithGrad,
    },
    input,
    target,
    options,
  ) as never;

/**
 * Margin ranking loss `max(0, −target·(input1 − input2) + margin)` over three tensors of one
 * shape; both inputs are differentiated.
 * @example marginRankingLoss(scoreA, scoreB, preferA, { margin: 0.5 })
 */
export const marginRankingLoss: TensorLoss3Fn<MarginRankingOptions> = (
  input1,
  input2,
  target,
  options?,
) => {
  const fn = "marginRankingLoss";
  const a = tensor(fn, "input1", input1);
  const b = tensor(fn, "input2", input2);
  const t = tensor(fn, "target", target);
  const o = twinOptions(fn, options);
  if (!sameShape(b.shape, a.shape))
    throw shapeError(fn, "input2", `the shape of input1, ${shapeText(a.shape)}`, b);
  if (!sameShape(t.shape, a.shape))
    throw shapeError(fn, "target", `the shape of input1, ${shapeText(a.shape)}`, t);
  const as = floatInput(fn, "input1", a);
  const bs = floatInput(fn, "input2", b);
  const ts = floatValues(fn, "target", t);
  return lossOp({
    fn,
    inputs: [a, b],
    reduced: isReduced(o),
    lossShape: a.shape,
    context: () =>
      tensorsText([
        ["input1", a],
        ["input2", b],
        ["target", t],
      ]),
    loss: () => core.marginRankingLoss(as, bs, ts, o),
    withGrad: (gradOutput) =>
      grads(core.marginRankingLossWithGrad(as, bs, ts, gradOutput ? { ...o, gradOutput } : o)),
  }) as never;
};

/**
 * Multi-label one-versus-all logistic loss over the last axis (C classes), targets 0/1 of the
 * input's shape; `"none"` gives one loss per row, shape [d0, …, dk].
 * @example multiLabelSoftMarginLoss(logits, tags, { weight: tf.tensor1d(classWeights) })
 */
export const multiLabelSoftMarginLoss: TensorLossFn<MultiLabelSoftMarginOptions> = (
  input,
  target,
  options?,
) => {
  const fn = "multiLabelSoftMarginLoss";
  const x = tensor(fn, "input", input);
  const t = tensor(fn, "target", target);
  const o = twinOptions(fn, options, ["weight"]);
  const r = rows(fn, "input", x);
  if (!sameShape(t.shape, x.shape))
    throw shapeError(fn, "target", `the input's shape ${shapeText(x.shape)}`, t);
  const xs = floatInput(fn, "input", x);
  const ts = floatValues(fn, "target", t);
  const c = { ...o, classes: r.width };
  return lossOp({
    fn,
    inputs: [x],
    reduced: isReduced(o),
    lossShape: r.shape,
    context: () =>
      tensorsText([
        ["input", x],
        ["target", t],
      ]),
    loss: () => core.multiLabelSoftMarginLoss(xs, ts, c),
    withGrad: (gradOutput) =>
      grads(core.multiLabelSoftMarginLossWithGrad(xs, ts, gradOutput ? { ...c, gradOutput } : c)),
  }) as never;
};
