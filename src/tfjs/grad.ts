// The one place where tensors meet the core: a twin's values are read once (by the twin, before
// this), the core computes the loss — and, when tfjs records gradients, the gradient in the same
// fused pass — and tf.customGrad hands tfjs the value and a gradient function that only turns
// the core's Float32Arrays into tensors. No intermediate tensor is made, none is kept, and no
// tensor of the caller's is disposed.

import * as tf from "@tensorflow/tfjs-core";
import { coreCall } from "./errors";

/** The core's result, gradients as a list in the order of the differentiable inputs. */
export interface CoreResult {
  loss: number | Float32Array;
  grads?: Float32Array[];
}

export interface LossSpec {
  /** The twin's name (the core function's). */
  fn: string;
  /** The differentiable tensors, in the order of the core's gradients. */
  inputs: readonly tf.Tensor[];
  /** `reduction` is not "none": the value is a scalar and dy is a scalar. */
  reduced: boolean;
  /** Shape of the unreduced loss. */
  lossShape: readonly number[];
  /** The tensors' dtypes and shapes, for error messages. */
  context: () => string;
  /** The core function on the values read. */
  loss: () => number | Float32Array;
  /** Its `…WithGrad` twin, with `gradOutput` for reduction "none". */
  withGrad: (gradOutput?: Float32Array) => CoreResult;
  /** Gradient i in the input's layout, where the core's differs (CTC's time-major). */
  toInputLayout?: (grad: Float32Array, i: number) => Float32Array;
}

/** `{ loss, grad }` and `{ loss, grads }` alike as a CoreResult. */
export function grads(r: {
  loss: number | Float32Array;
  grad?: Float32Array;
  grads?: Float32Array[];
}): CoreResult {
  return { loss: r.loss, grads: r.grads ?? [r.grad!] };
}

/**
 * Whether tfjs is recording operations for a gradient now. Only then is the gradient computed in
 * the forward pass (the fused kernel gives it for the cost of one more pass over the output);
 * a loss evaluated outside tf.grad / variableGrads / fit computes the value alone. Engines
 * without the method are assumed to record.
 */
function recording(): boolean {
  const engine = tf.engine() as unknown as { isTapeOn?: () => boolean };
  return typeof engine.isTapeOn === "function" ? engine.isTapeOn() : true;
}

/**
 * The loss as a tensor whose gradient is the core's. Reduced: the forward call is the fused one
 * (when recording) and the backward pass scales its gradient by the scalar dy (1 in a plain
 * training step, which leaves the core's gradient bitwise unchanged). Unreduced: the backward
 * pass calls the fused function again with dy as `gradOutput`, so the result is exactly the
 * core's `torch.autograd.grad(loss, input, dy)`.
 */
export function lossOp(s: LossSpec): tf.Tensor {
  const first = coreCall(s.fn, s.context, () =>
    s.reduced && recording() ? s.withGrad() : { loss: s.loss() },
  );
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xs = args.slice(0, s.inputs.length) as tf.Tensor[];
    const value =
      typeof first.loss === "number"
        ? tf.scalar(first.loss)
        : tf.tensor(first.loss, s.lossShape as number[], "float32");
    const gradFunc = (dy: tf.Tensor) => {
      let gs: Float32Array[];
      if (s.reduced) {
        gs = first.grads ?? coreCall(s.fn, s.context, () => s.withGrad()).grads!;
        const scale = dy.dataSync()[0];
        if (scale !== 1) gs = gs.map((g) => Float32Array.from(g, (v) => v * scale)); // float32 products, as tf.mul
      } else {
        gs = coreCall(s.fn, s.context, () => s.withGrad(dy.dataSync() as Float32Array)).grads!;
      }
      return gs.map((g, i) =>
        tf.tensor(s.toInputLayout ? s.toInputLayout(g, i) : g, xs[i].shape, "float32"),
      );
    };
    return { value, gradFunc };
  });
  return op(...s.inputs);
}

/**
 * An output transformation (softmax, sigmoid, …) as a tensor of x's shape: the core computes y;
 * the gradient is the transformation's vector-Jacobian product `vjp(y, dy)`, computed from y in
 * one pass (the core has no gradient for these: they are outputs, not losses).
 */
export function transformOp(
  fn: string,
  x: tf.Tensor,
  context: () => string,
  forward: () => Float32Array,
  vjp: (y: Float32Array, dy: Float32Array) => Float32Array,
): tf.Tensor {
  const y = coreCall(fn, context, forward);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as tf.Tensor;
    return {
      value: tf.tensor(y, input.shape, "float32"),
      gradFunc: (dy: tf.Tensor) =>
        tf.tensor(vjp(y, dy.dataSync() as Float32Array), input.shape, "float32"),
    };
  });
  return op(x);
}
