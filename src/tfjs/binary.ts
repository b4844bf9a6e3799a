// Twins of the binary cross-entropies (input and target of one shape; a weight or posWeight of
// length K broadcasts over the last axis, as in the core) and of sigmoid and logSigmoid.

import type * as tf from "@tensorflow/tfjs-core";
import * as core from "../index";
import type {
  BceOptions as CoreBceOptions,
  BceWithLogitsOptions as CoreBceWithLogitsOptions,
  ReductionOptions,
  TransformOptions as CoreTransformOptions,
} from "../index";
import { elementwise } from "./elementwise";
import { transformOp } from "./grad";
import { twinOptions, type TwinOptions } from "./options";
import { floatInput, tensor, tensorsText } from "./tensors";
import type { TensorLossFn } from "./types";

/**
 * Options of the tfjs {@link bceWithLogitsLoss}: weights may be tensors.
 * @example const o: BceWithLogitsOptions = { posWeight: tf.tensor1d([3, 1, 1]), reduction: "sum" };
 */
export type BceWithLogitsOptions = TwinOptions<CoreBceWithLogitsOptions> & ReductionOptions;
/**
 * Options of the tfjs {@link bceLoss}.
 * @example const o: BceOptions = { weight: 0.5 };
 */
export type BceOptions = TwinOptions<CoreBceOptions> & ReductionOptions;
/**
 * Options of the tfjs {@link sigmoid} and {@link logSigmoid}: none (the core's `out` does not
 * apply to tensors).
 * @example const p = sigmoid(logits, {} satisfies TransformOptions);
 */
export type TransformOptions = TwinOptions<CoreTransformOptions>;

const WEIGHTS = ["weight", "posWeight"] as const;

/** With a weight, the core is told the last axis (`classes`), so that one of length K broadcasts
 *  over it as PyTorch broadcasts a weight of shape [K]. */
function lastAxis(shape: readonly number[], o: Record<string, unknown>): Record<string, unknown> {
  const K = shape[shape.length - 1];
  return (o.weight !== undefined || o.posWeight !== undefined) && K > 0 ? { classes: K } : {};
}

/**
 * Binary cross-entropy on logits, finite for any magnitude. `posWeight` of length K weighs the
 * positives of each of the K classes on the last axis of a multi-label [N, K] input.
 * @example bceWithLogitsLoss(logits, labels, { posWeight: tf.tensor1d([3, 1, 1]) })
 */
export const bceWithLogitsLoss: TensorLossFn<BceWithLogitsOptions> = (input, target, options?) =>
  elementwise(
    {
      fn: "bceWithLogitsLoss",
      loss: core.bceWithLogitsLoss,
      withGrad: core.bceWithLogitsLossWithGrad,
      tensorKeys: WEIGHTS,
      derived: lastAxis,
    },
    input,
    target,
    options,
  ) as never;

/**
 * Binary cross-entropy on probabilities in [0, 1] (each log clamped at −100, as in PyTorch).
 * @example bceLoss(tf.sigmoid(logits), labels, { reduction: "sum" })
 */
export const bceLoss: TensorLossFn<BceOptions> = (input, target, options?) =>
  elementwise(
    {
      fn: "bceLoss",
      loss: core.bceLoss,
      withGrad: core.bceLossWithGrad,
      tensorKeys: WEIGHTS,
      derived: lastAxis,
    },
    input,
    target,
    options,
  ) as never;

function pointwise(
  fn: "sigmoid" | "logSigmoid",
  x: unknown,
  options: unknown,
  vjp: (y: Float32Array, dy: Float32Array) => Float32Array,
): tf.Tensor {
  const t = tensor(fn, "x", x);
  const o = twinOptions(fn, options);
  const values = floatInput(fn, "x", t);
  return transformOp(
    fn,
    t,
    () => tensorsText([["x", t]]),
    () => core[fn](values, o),
    vjp,
  );
}

/**
 * The logistic function of a float32 tensor, stable for any input; differentiable
 * (dx = dy·y·(1 − y), computed from y).
 * @example const p = sigmoid(logits); // same shape as logits
 */
export function sigmoid(x: tf.Tensor, options?: TransformOptions): tf.Tensor {
  return pointwise("sigmoid", x, options, (y, dy) =>
    Float32Array.from(y, (v, i) => dy[i] * v * (1 - v)),
  );
}

/**
 * `log(sigmoid(x))`, exact for any input; differentiable (dx = dy·(1 − sigmoid(x)) =
 * −dy·expm1(y), which stays exact where sigmoid(x) rounds to 1).
 * @example const logP = logSigmoid(logits);
 */
export function logSigmoid(x: tf.Tensor, options?: TransformOptions): tf.Tensor {
  return pointwise("logSigmoid", x, options, (y, dy) =>
    Float32Array.from(y, (v, i) => -dy[i] * Math.expm1(v)),
  );
}
