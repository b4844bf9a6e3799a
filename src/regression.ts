// L1, MSE, Huber and SmoothL1 losses (torch.nn.functional.l1_loss, mse_loss, huber_loss,
// smooth_l1_loss): thin wrappers over assembly/regression.ts.

import { defineLoss, defineWithGrad, type Call } from "./define";
import { PIECEWISE } from "./kernels";
import { pairArgs, pointwise } from "./pointwise";
import type { GradOptions, LossOptions, Pair } from "./types";
import { numberOption } from "./validate";

const l1 = (call: Call, [x, y]: Pair, o: unknown) => pointwise(call, "l1", pairArgs(call, x, y, o));
const mse = (call: Call, [x, y]: Pair, o: unknown) =>
  pointwise(call, "mse", pairArgs(call, x, y, o));

/**
 * Mean absolute error, `|input - target|` per element.
 * @example l1Loss(new Float32Array([1, 2, 3]), new Float32Array([1, 0, 6])) // (0 + 2 + 3) / 3 = 1.6667
 */
export const l1Loss = defineLoss<Pair, LossOptions>("l1Loss", 2, l1);

/**
 * {@link l1Loss} and its gradient `sign(input - target) / n` (0 where input == target), in one pass.
 * @example const { loss, grad } = l1LossWithGrad(prediction, target);
 */
export const l1LossWithGrad = defineWithGrad<Pair, GradOptions>("l1Loss", 2, l1);

/**
 * Mean squared error, `(input - target)^2` per element.
 * @example mseLoss([1, 2], [1, 4]) // 2
 */
export const mseLoss = defineLoss<Pair, LossOptions>("mseLoss", 2, mse);

/**
 * {@link mseLoss} and its gradient `2 (input - target) / n`, in one pass.
 * @example const { loss, grad } = mseLossWithGrad(pred, y, { gradInto: g });
 */
export const mseLossWithGrad = defineWithGrad<Pair, GradOptions>("mseLoss", 2, mse);

export interface HuberOptions {
  /** Where the loss turns from quadratic to linear; > 0 (Infinity: `d^2 / 2` everywhere). Default 1. */
  delta?: number;
}

function huber(call: Call, [x, y]: Pair, opts: unknown) {
  const p = pairArgs<HuberOptions>(call, x, y, opts);
  const delta = numberOption(call.fn, "delta", p.o.delta, 1, (d) => d > 0, "a number > 0", true);
  return pointwise(call, "piecewise", p, delta, PIECEWISE.huber);
}

/**
 * Huber loss: `d^2 / 2` where `|d| < delta`, else `delta (|d| - delta / 2)`, d = input - target.
 * @example huberLoss([0, 3], [0, 0], { delta: 1 }) // (0 + 2.5) / 2 = 1.25
 */
export const huberLoss = defineLoss<Pair, LossOptions & HuberOptions>("huberLoss", 2, huber);

/**
 * {@link huberLoss} and its gradient `clamp(d, -delta, delta) / n`, in one pass.
 * @example const { loss, grad } = huberLossWithGrad(pred, y, { delta: 0.5 });
 */
export const huberLossWithGrad = defineWithGrad<Pair, GradOptions & HuberOptions>(
  "huberLoss",
  2,
  huber,
);

export interface SmoothL1Options {
  /** Where the loss turns from quadratic to linear; >= 0, and 0 is exactly l1Loss
   *  (Infinity: 0 everywhere, as in PyTorch). Default 1. */
  beta?: number;
}

function smoothL1(call: Call, [x, y]: Pair, opts: unknown) {
  const p = pairArgs<SmoothL1Options>(call, x, y, opts);
  const beta = numberOption(call.fn, "beta", p.o.beta, 1, (b) => b >= 0, "a number >= 0", true);
  return beta === 0
    ? pointwise(call, "l1", p)
    : pointwise(call, "piecewise", p, beta, PIECEWISE.smoothL1);
}

/**
 * Smooth L1 loss: `d^2 / (2 beta)` where `|d| < beta`, else `|d| - beta / 2`. `beta: 0` is
 * exactly {@link l1Loss}, gradient 0 at d = 0 (PyTorch >= 2.1).
 * @example smoothL1Loss([0, 3], [0.5, 0]) // (0.125 + 2.5) / 2 = 1.3125
 */
export const smoothL1Loss = defineLoss<Pair, LossOptions & SmoothL1Options>(
  "smoothL1Loss",
  2,
  smoothL1,
);

/**
 * {@link smoothL1Loss} and its gradient `clamp(d / beta, -1, 1) / n`, in one pass.
 * @example const { loss, grad } = smoothL1LossWithGrad(pred, y, { beta: 0.1 });
 */
export const smoothL1LossWithGrad = defineWithGrad<Pair, GradOptions & SmoothL1Options>(
  "smoothL1Loss",
  2,
  smoothL1,
);
