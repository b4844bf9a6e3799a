// Twins of multiMarginLoss and multiLabelMarginLoss: class scores on the last axis.

import * as core from "../index";
import type {
  IndexArray,
  MultiLabelMarginOptions as CoreMultiLabelMarginOptions,
  MultiMarginOptions as CoreMultiMarginOptions,
} from "../index";
import { grads, lossOp } from "./grad";
import { isReduced, twinOptions, type TwinOptions } from "./options";
import { perRow, perRowText, rows } from "./rows";
import {
  floatInput,
  indexValues,
  sameShape,
  shapeError,
  optionalTensor,
  shapeText,
  tensor,
  tensorsText,
} from "./tensors";
import type { TargetLike, TensorLossFn } from "./types";

/**
 * Options of the tfjs {@link multiMarginLoss}: `weight` (one per class) may be a tensor.
 * @example const o: MultiMarginOptions = { p: 2, margin: 0.5 };
 */
export type MultiMarginOptions = TwinOptions<CoreMultiMarginOptions>;
/**
 * Options of the tfjs {@link multiLabelMarginLoss}.
 * @example const o: MultiLabelMarginOptions = { reduction: "none" };
 */
export type MultiLabelMarginOptions = TwinOptions<CoreMultiLabelMarginOptions>;

/**
 * Multi-class hinge loss of scores [d0, …, dk, C] at int32 class indices [d0, …, dk]; `"none"`
 * gives one loss per row.
 * @example multiMarginLoss(scores, labels, { p: 2, margin: 0.5 })
 */
export const multiMarginLoss: TensorLossFn<MultiMarginOptions, TargetLike<IndexArray>> = (
  input,
  target,
  options?,
) => {
  const fn = "multiMarginLoss";
  const x = tensor(fn, "input", input);
  const t = optionalTensor(fn, "target", target);
  const o = twinOptions(fn, options, ["weight"]);
  const r = rows(fn, "input", x);
  if (t && !perRow(t, r))
    throw shapeError(fn, "target", `${perRowText(r)} (one class index per row, int32)`, t);
  const xs = floatInput(fn, "input", x);
  const ts = t ? indexValues(fn, "target", t, "class indices") : target;
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
    loss: () => core.multiMarginLoss(xs, ts as IndexArray, c),
    withGrad: (gradOutput) =>
      grads(
        core.multiMarginLossWithGrad(xs, ts as IndexArray, gradOutput ? { ...c, gradOutput } : c),
      ),
  }) as never;
};

/**
 * Multi-label hinge loss of scores [d0, …, dk, C]; the int32 target has the input's shape and
 * lists each row's classes, ended by −1.
 * @example multiLabelMarginLoss(scores, tf.tensor2d([[3, 0, -1, 1]], [1, 4], "int32"))
 */
export const multiLabelMarginLoss: TensorLossFn<MultiLabelMarginOptions, TargetLike<IndexArray>> = (
  input,
  target,
  options?,
) => {
  const fn = "multiLabelMarginLoss";
  const x = tensor(fn, "input", input);
  const t = optionalTensor(fn, "target", target);
  const o = twinOptions(fn, options);
  const r = rows(fn, "input", x);
  if (t && !sameShape(t.shape, x.shape))
    throw shapeError(fn, "target", `the input's shape ${shapeText(x.shape)}`, t);
  const xs = floatInput(fn, "input", x);
  const ts = t ? indexValues(fn, "target", t, "class indices ended by -1") : target;
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
    loss: () => core.multiLabelMarginLoss(xs, ts as IndexArray, c),
    withGrad: (gradOutput) =>
      grads(
        core.multiLabelMarginLossWithGrad(
          xs,
          ts as IndexArray,
          gradOutput ? { ...c, gradOutput } : c,
        ),
      ),
  }) as never;
};
