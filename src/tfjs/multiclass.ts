// Twins of crossEntropyLoss, nllLoss, softmax and logSoftmax. Classes are the last axis (tfjs is
// channels-last): logits [d0, …, dk, C] are the core's `classes: C` layout with d0·…·dk rows, so
// PyTorch's K-dimensional loss over [N, C, d1, …, dk] is here [N, d1, …, dk, C] with labels
// [N, d1, …, dk], with no transpose.

import type * as tf from "@tensorflow/tfjs-core";
import * as core from "../index";
import type {
  CrossEntropyOptions as CoreCrossEntropyOptions,
  IndexArray,
  NllOptions as CoreNllOptions,
  ReductionOptions,
  SoftmaxOptions as CoreSoftmaxOptions,
} from "../index";
import { grads, lossOp, transformOp } from "./grad";
import { isReduced, twinOptions, type TwinOptions } from "./options";
import { perRow, perRowText, rows, type Rows } from "./rows";
import {
  floatInput,
  floatValues,
  indexValues,
  sameShape,
  shapeError,
  optionalTensor,
  shapeText,
  tensor,
  tensorsText,
} from "./tensors";
import type { CoreFn, TargetLike, TensorLossFn } from "./types";

/**
 * Options of the tfjs {@link crossEntropyLoss}: `weight` (one per class) may be a tensor.
 * @example const o: CrossEntropyOptions = { weight: tf.tensor1d(classWeights), ignoreIndex: 0, labelSmoothing: 0.1 };
 */
export type CrossEntropyOptions = TwinOptions<CoreCrossEntropyOptions> & ReductionOptions;
/**
 * Options of the tfjs {@link nllLoss}.
 * @example const o: NllOptions = { ignoreIndex: -1, reduction: "sum" };
 */
export type NllOptions = TwinOptions<CoreNllOptions> & ReductionOptions;
/**
 * Options of the tfjs {@link softmax} and {@link logSoftmax}: none (the classes are the last axis).
 * @example const probs = softmax(logits, {} satisfies SoftmaxOptions);
 */
export type SoftmaxOptions = TwinOptions<CoreSoftmaxOptions>;

/**
 * Class targets: int32 indices [d0, …, dk] (or [d0, …, dk, 1]), or (crossEntropyLoss) float
 * probabilities of the logits' shape; or the arrays the core takes.
 * @example const labels: ClassTargetLike = tf.tensor1d([3, 0, 7], "int32");
 */
export type ClassTargetLike = TargetLike<IndexArray | Float32Array | Float64Array>;

/** The target as the core takes it: indices or (with `probs`) probabilities, by its shape. */
function classTarget(
  fn: string,
  t: tf.Tensor,
  x: tf.Tensor,
  r: Rows,
  probs: boolean,
): Int32Array | Float32Array {
  if (probs && sameShape(t.shape, x.shape)) return floatValues(fn, "target", t);
  if (perRow(t, r)) return indexValues(fn, "target", t, "class indices");
  const expected = probs
    ? `${perRowText(r)} (class indices, int32) or ${shapeText(x.shape)} (class probabilities)`
    : `${perRowText(r)} (class indices, int32)`;
  throw shapeError(fn, "target", expected, t);
}

function multiclass(
  fn: "crossEntropyLoss" | "nllLoss",
  loss: CoreFn,
  withGrad: CoreFn,
  input: unknown,
  target: unknown,
  options: unknown,
): tf.Tensor {
  const x = tensor(fn, "input", input);
  const t = optionalTensor(fn, "target", target);
  const o = twinOptions(fn, options, ["weight"]);
  const r = rows(fn, "input", x);
  const xs = floatInput(fn, "input", x);
  const ts = t ? classTarget(fn, t, x, r, fn === "crossEntropyLoss") : target;
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
    loss: () => loss(xs, ts, c),
    withGrad: (gradOutput) => grads(withGrad(xs, ts, gradOutput ? { ...c, gradOutput } : c)),
  });
}

/**
 * Cross-entropy of logits [d0, …, dk, C] (classes last) with int32 class indices [d0, …, dk]
 * (or [d0, …, dk, 1]) or class probabilities of the logits' shape; PyTorch's weights,
 * ignoreIndex and labelSmoothing. `"none"` gives shape [d0, …, dk]. The gradient is the fused
 * kernel's `(softmax − target distribution) · scale`.
 * @example
 * const loss = crossEntropyLoss(logits, labels, { labelSmoothing: 0.1, ignoreIndex: 0 }); // tf.Scalar
 */
export const crossEntropyLoss: TensorLossFn<CrossEntropyOptions, ClassTargetLike> = (
  input,
  target,
  options?,
) =>
  multiclass(
    "crossEntropyLoss",
    core.crossEntropyLoss,
    core.crossEntropyLossWithGrad,
    input,
    target,
    options,
  ) as never;

/**
 * Negative log-likelihood of log-probabilities [d0, …, dk, C] at int32 class indices
 * [d0, …, dk]; weights and ignoreIndex as {@link crossEntropyLoss}.
 * @example nllLoss(logSoftmax(logits), labels, { weight: classWeights })
 */
export const nllLoss: TensorLossFn<NllOptions, TargetLike<IndexArray>> = (
  input,
  target,
  options?,
) => multiclass("nllLoss", core.nllLoss, core.nllLossWithGrad, input, target, options) as never;

function softmaxOf(
  fn: "softmax" | "logSoftmax",
  input: unknown,
  options: unknown,
  vjp: (y: Float32Array, dy: Float32Array, C: number) => Float32Array,
): tf.Tensor {
  const x = tensor(fn, "input", input);
  const o = twinOptions(fn, options);
  const r = rows(fn, "input", x);
  const xs = floatInput(fn, "input", x);
  return transformOp(
    fn,
    x,
    () => tensorsText([["input", x]]),
    () => core[fn](xs, { ...o, classes: r.width }),
    (y, dy) => vjp(y, dy, r.width),
  );
}

/** Row by row (C values each): `out = f(y_row, dy_row, Σ of the row)`, with the row's sum of `term`. */
function byRows(
  y: Float32Array,
  dy: Float32Array,
  C: number,
  term: (y: number, dy: number) => number,
  f: (y: number, dy: number, s: number) => number,
): Float32Array {
  const dx = new Float32Array(y.length);
  for (let start = 0; start < y.length; start += C) {
    let s = 0;
    for (let j = start; j < start + C; j++) s += term(y[j], dy[j]);
    for (let j = start; j < start + C; j++) dx[j] = f(y[j], dy[j], s);
  }
  return dx;
}

/**
 * Softmax over the last axis of a float32 tensor, stable for any input; differentiable
 * (dx = y·(dy − Σ dy·y) per row, computed from y).
 * @example const probs = softmax(logits); // rows of the last axis sum to 1
 */
export function softmax(input: tf.Tensor, options?: SoftmaxOptions): tf.Tensor {
  return softmaxOf("softmax", input, options, (y, dy, C) =>
    byRows(
      y,
      dy,
      C,
      (v, d) => v * d,
      (v, d, s) => v * (d - s),
    ),
  );
}

/**
 * Log-softmax over the last axis, finite for any finite input; differentiable
 * (dx = dy − exp(y)·Σ dy per row). The input {@link ctcLoss} and {@link nllLoss} expect.
 * @example const logProbs = logSoftmax(logits);
 */
export function logSoftmax(input: tf.Tensor, options?: SoftmaxOptions): tf.Tensor {
  return softmaxOf("logSoftmax", input, options, (y, dy, C) =>
    byRows(
      y,
      dy,
      C,
      (_, d) => d,
      (v, d, s) => d - Math.exp(v) * s,
    ),
  );
}
