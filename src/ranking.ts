// Multi-class hinge losses over rows of class scores (torch.nn.functional.multi_margin_loss,
// multilabel_margin_loss): thin wrappers over assembly/ranking.ts through the row-loss helper.

import { indexArray, type IndexArray } from "./indices";
import {
  rowCall, type RowGradOptions, type RowLossFn, type RowLossWithGradFn, type RowOptions,
} from "./fused";
import { finiteNumber, floatArray, rangeError, typeError, type FloatArrayLike } from "./validate";

export interface MultiMarginOptions extends RowOptions {
  /** Classes per row (C): the input is viewed as [rows, C]. Required. */
  classes: number;
  /** The exponent of the hinge, 1 (default) or 2. */
  p?: 1 | 2;
  /** Default 1; any finite number. */
  margin?: number;
  /** One weight per class (length C), applied as w[target] to the whole row. */
  weight?: FloatArrayLike;
}

function multiMargin(fn: string, input: unknown, target: unknown, opts: MultiMarginOptions | undefined, withGrad: boolean): unknown {
  const c = rowCall(fn, opts, withGrad, ["input"], [input], "classes");
  const o = c.o;
  const p = o.p ?? 1;
  if (typeof p !== "number") throw typeError(fn, "p", "1 or 2", p);
  if (p !== 1 && p !== 2) throw rangeError(fn, "p", "1 or 2", String(p));
  const margin = finiteNumber(fn, "margin", o.margin, 1);
  const w = o.weight === undefined ? undefined : floatArray(fn, "weight", o.weight);
  if (w && w.length !== c.width) {
    throw rangeError(fn, "weight", `of length ${c.width} (one weight per class)`, `length ${w.length}`);
  }
  const y = indexArray(fn, "target", target, { length: c.rows, lengthMeaning: "one class index per row", min: 0, max: c.width });
  const f = c.call.f;
  const Y = f.i32(y);
  const W = w ? f.f32("weight", w) : null;
  const k = f.m.kernels;
  return c.call.run((q) => k.multiMargin(q.x[0], Y.ptr, c.rows, c.width, W ? W.ptr : 0, q.loss, q.grads[0], q.gradOut, q.scale, p, margin));
}

/**
 * Multi-class hinge loss (torch.nn.functional.multi_margin_loss): per row of C scores x with
 * target class y, `Σ_{i≠y} w[y]·max(0, margin − x[y] + x[i])^p / C`. `"mean"` divides by rows.
 * @example multiMarginLoss([0.1, 0.2, 0.4, 0.8], [3], { classes: 4 }) // (0.3 + 0.4 + 0.6) / 4 = 0.325
 */
export const multiMarginLoss: RowLossFn<MultiMarginOptions, IndexArray> = (input, target, options) =>
  multiMargin("multiMarginLoss", input, target, options, false) as never;

/**
 * {@link multiMarginLoss} and its gradient in one pass (only where the hinge's argument is > 0).
 * @example const { loss, grad } = multiMarginLossWithGrad(scores, labels, { classes: 10, p: 2 });
 */
export const multiMarginLossWithGrad: RowLossWithGradFn<MultiMarginOptions & RowGradOptions, IndexArray> = (input, target, options) =>
  multiMargin("multiMarginLossWithGrad", input, target, options, true) as never;

export interface MultiLabelMarginOptions extends RowOptions {
  /** Classes per row (C): the input is viewed as [rows, C]. Required. */
  classes: number;
}

function multiLabelMargin(fn: string, input: unknown, target: unknown, opts: MultiLabelMarginOptions | undefined, withGrad: boolean): unknown {
  const c = rowCall(fn, opts, withGrad, ["input"], [input], "classes");
  const y = indexArray(fn, "target", target, {
    length: c.inputs[0].length, lengthMeaning: "the input's length: per row, its class indices ended by -1", min: -1, max: c.width,
  });
  const f = c.call.f;
  const Y = f.i32(y);
  const mask = f.temp(c.width * 4);
  const k = f.m.kernels;
  return c.call.run((q) => k.multiLabelMargin(q.x[0], Y.ptr, c.rows, c.width, mask.ptr, q.loss, q.grads[0], q.gradOut, q.scale));
}

/**
 * Multi-label hinge loss (torch.nn.functional.multilabel_margin_loss): `target` has the input's
 * length; each row lists its target classes and ends at its first −1 (later entries are ignored
 * but must lie in [−1, C)). Per row: `Σ_{j target} Σ_{i not a target} max(0, 1 − x[j] + x[i]) / C`;
 * a class listed twice counts twice.
 * @example multiLabelMarginLoss([0.1, 0.2, 0.4, 0.8], new Int32Array([3, 0, -1, 1]), { classes: 4 }) // 0.85
 */
export const multiLabelMarginLoss: RowLossFn<MultiLabelMarginOptions, IndexArray> = (input, target, options) =>
  multiLabelMargin("multiLabelMarginLoss", input, target, options, false) as never;

/**
 * {@link multiLabelMarginLoss} and its gradient in one pass.
 * @example const { loss, grad } = multiLabelMarginLossWithGrad(scores, labels, { classes: 5, reduction: "sum" });
 */
export const multiLabelMarginLossWithGrad: RowLossWithGradFn<MultiLabelMarginOptions & RowGradOptions, IndexArray> = (input, target, options) =>
  multiLabelMargin("multiLabelMarginLossWithGrad", input, target, options, true) as never;
