// L1, MSE, Huber and SmoothL1 losses (torch.nn.functional.l1_loss, mse_loss, huber_loss,
// smooth_l1_loss): thin wrappers over assembly/regression.ts.

import {
  pointwise, type GradOptions, type LossFn, type LossOptions, type LossWithGrad, type LossWithGradFn,
} from "./pointwise";
import { finiteNumber, options } from "./validate";

/**
 * Mean absolute error, `|input - target|` per element.
 * @example l1Loss(new Float32Array([1, 2, 3]), new Float32Array([1, 0, 6])) // (0 + 2 + 3) / 3 = 1.6667
 */
export const l1Loss: LossFn<LossOptions> = (input, target, options?: LossOptions) =>
  pointwise("l1Loss", "l1", input, target, options, false) as never;

/**
 * {@link l1Loss} and its gradient `sign(input - target) / n` (0 where input == target), in one pass.
 * @example const { loss, grad } = l1LossWithGrad(prediction, target);
 */
export const l1LossWithGrad: LossWithGradFn<GradOptions> = (input, target, options?: GradOptions) =>
  pointwise("l1LossWithGrad", "l1", input, target, options, true) as never;

/**
 * Mean squared error, `(input - target)^2` per element.
 * @example mseLoss([1, 2], [1, 4]) // 2
 */
export const mseLoss: LossFn<LossOptions> = (input, target, options?: LossOptions) =>
  pointwise("mseLoss", "mse", input, target, options, false) as never;

/**
 * {@link mseLoss} and its gradient `2 (input - target) / n`, in one pass.
 * @example const { loss, grad } = mseLossWithGrad(pred, y, { gradInto: g });
 */
export const mseLossWithGrad: LossWithGradFn<GradOptions> = (input, target, options?: GradOptions) =>
  pointwise("mseLossWithGrad", "mse", input, target, options, true) as never;

export interface HuberOptions {
  /** Where the loss turns from quadratic to linear; > 0 (Infinity: quadratic everywhere). Default 1. */
  delta?: number;
}

/** delta or beta: a number > 0 (or >= 0), +Infinity included as PyTorch accepts it (the loss is
 *  then quadratic everywhere: ½d² for Huber, 0 for SmoothL1's d²/(2β)). */
function threshold(fn: string, arg: string, value: unknown, zero: boolean): number {
  if (value === Infinity) return value;
  const expected = `a number ${zero ? ">=" : ">"} 0 (Infinity included)`;
  return finiteNumber(fn, arg, value, 1, (v) => (zero ? v >= 0 : v > 0), expected);
}

const delta = (fn: string, o: HuberOptions | undefined): number => threshold(fn, "delta", options(fn, o).delta, false);

/**
 * Huber loss: `d^2 / 2` where `|d| < delta`, else `delta (|d| - delta / 2)`, d = input - target.
 * @example huberLoss([0, 3], [0, 0], { delta: 1 }) // (0 + 2.5) / 2 = 1.25
 */
export const huberLoss: LossFn<LossOptions & HuberOptions> = (input, target, options?: LossOptions & HuberOptions) =>
  pointwise("huberLoss", "piecewise", input, target, options, false, delta("huberLoss", options), 0) as never;

/** {@link huberLoss} and its gradient `clamp(d, -delta, delta) / n`, in one pass. */
export const huberLossWithGrad: LossWithGradFn<GradOptions & HuberOptions> = (input, target, options?: GradOptions & HuberOptions) =>
  pointwise("huberLossWithGrad", "piecewise", input, target, options, true, delta("huberLossWithGrad", options), 0) as never;

export interface SmoothL1Options {
  /** Where the loss turns from quadratic to linear; >= 0, and 0 is exactly l1Loss (Infinity: the
   *  quadratic d²/(2β) everywhere, which is 0). Default 1. */
  beta?: number;
}

const beta = (fn: string, o: SmoothL1Options | undefined): number => threshold(fn, "beta", options(fn, o).beta, true);

/**
 * Smooth L1 loss: `d^2 / (2 beta)` where `|d| < beta`, else `|d| - beta / 2`. `beta: 0` is
 * exactly {@link l1Loss}, gradient 0 at d = 0 (PyTorch >= 2.1).
 * @example smoothL1Loss([0, 3], [0.5, 0]) // (0.125 + 2.5) / 2 = 1.3125
 */
export const smoothL1Loss: LossFn<LossOptions & SmoothL1Options> = (input, target, options?: LossOptions & SmoothL1Options) => {
  const b = beta("smoothL1Loss", options);
  return pointwise("smoothL1Loss", b === 0 ? "l1" : "piecewise", input, target, options, false, b, 1) as never;
};

/** {@link smoothL1Loss} and its gradient `clamp(d / beta, -1, 1) / n`, in one pass. */
export const smoothL1LossWithGrad: LossWithGradFn<GradOptions & SmoothL1Options> = (input, target, options?: GradOptions & SmoothL1Options) => {
  const b = beta("smoothL1LossWithGrad", options);
  return pointwise("smoothL1LossWithGrad", b === 0 ? "l1" : "piecewise", input, target, options, true, b, 1) as never;
};
