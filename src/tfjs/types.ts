// Call signatures of the twins: a scalar tensor for "mean" and "sum", the unreduced loss's shape
// for "none".

import type * as tf from "@tensorflow/tfjs-core";

type Reduced = { reduction?: "mean" | "sum" };
type Unreduced = { reduction: "none" };
type Any = { reduction?: "mean" | "sum" | "none" };

/**
 * A non-differentiated argument (targets, labels, lengths): a tensor, or an array the core
 * function takes there (its length is then checked, not its shape).
 * @example const inputLengths: TargetLike<number[]> = [48, 48, 40];
 */
export type TargetLike<A> = tf.Tensor | A;

/**
 * A loss of an input tensor and a target: `tf.Scalar` when reduced, a tensor for `"none"`.
 * @example const loss: TensorLossFn<HuberOptions> = huberLoss;
 */
export interface TensorLossFn<O, T = tf.Tensor> {
  (input: tf.Tensor, target: T, options?: O & Reduced): tf.Scalar;
  (input: tf.Tensor, target: T, options: O & Unreduced): tf.Tensor;
  (input: tf.Tensor, target: T, options?: O & Any): tf.Tensor;
}

/**
 * A loss of three arguments (two or three of them differentiable).
 * @example const loss: TensorLoss3Fn<MarginRankingOptions> = marginRankingLoss;
 */
export interface TensorLoss3Fn<O, C = tf.Tensor> {
  (a: tf.Tensor, b: tf.Tensor, c: C, options?: O & Reduced): tf.Scalar;
  (a: tf.Tensor, b: tf.Tensor, c: C, options: O & Unreduced): tf.Tensor;
  (a: tf.Tensor, b: tf.Tensor, c: C, options?: O & Any): tf.Tensor;
}

/** A core function as the twins call it (each twin passes its own; their overloads are the core's). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every overloaded core function must be assignable
export type CoreFn = (...args: any[]) => any;
