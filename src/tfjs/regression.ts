// Twins of the regression losses: input and target of one shape, any rank.

import * as core from "../index";
import type {
  HuberOptions as CoreHuberOptions,
  ReductionOptions,
  SmoothL1Options as CoreSmoothL1Options,
} from "../index";
import { elementwise } from "./elementwise";
import type { TwinOptions } from "./options";
import type { TensorLossFn } from "./types";

/**
 * Options of the tfjs {@link huberLoss}.
 * @example const o: HuberOptions = { delta: 0.5 };
 */
export type HuberOptions = TwinOptions<CoreHuberOptions> & ReductionOptions;
/**
 * Options of the tfjs {@link smoothL1Loss}.
 * @example const o: SmoothL1Options = { beta: 1 / 9 };
 */
export type SmoothL1Options = TwinOptions<CoreSmoothL1Options> & ReductionOptions;

/**
 * Mean absolute error of two float32 tensors of one shape (`"none"`: that shape); the gradient
 * is the core's `sign(input − target) / n`.
 * @example const loss = l1Loss(model.predict(x) as tf.Tensor, y); // tf.Scalar
 */
export const l1Loss: TensorLossFn<ReductionOptions> = (input, target, options?) =>
  elementwise(
    { fn: "l1Loss", loss: core.l1Loss, withGrad: core.l1LossWithGrad },
    input,
    target,
    options,
  ) as never;

/**
 * Mean squared error of two float32 tensors of one shape.
 * @example const { value, grads } = tf.variableGrads(() => mseLoss(model.apply(x) as tf.Tensor, y));
 */
export const mseLoss: TensorLossFn<ReductionOptions> = (input, target, options?) =>
  elementwise(
    { fn: "mseLoss", loss: core.mseLoss, withGrad: core.mseLossWithGrad },
    input,
    target,
    options,
  ) as never;

/**
 * Huber loss (quadratic below `delta`, linear above) of two tensors of one shape.
 * @example huberLoss(pred, y, { delta: 0.5, reduction: "sum" })
 */
export const huberLoss: TensorLossFn<HuberOptions> = (input, target, options?) =>
  elementwise(
    { fn: "huberLoss", loss: core.huberLoss, withGrad: core.huberLossWithGrad },
    input,
    target,
    options,
  ) as never;

/**
 * Smooth L1 loss (`beta: 0` is exactly {@link l1Loss}) of two tensors of one shape.
 * @example smoothL1Loss(boxes, targetBoxes, { beta: 1 / 9 })
 */
export const smoothL1Loss: TensorLossFn<SmoothL1Options> = (input, target, options?) =>
  elementwise(
    { fn: "smoothL1Loss", loss: core.smoothL1Loss, withGrad: core.smoothL1LossWithGrad },
    input,
    target,
    options,
  ) as never;
