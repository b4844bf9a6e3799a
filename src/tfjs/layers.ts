// The loss of tfjs-layers' `compile`: a function of (yTrue, yPred), yTrue of the model output's
// shape (tfjs-layers checks it against the output before training).

import type * as tf from "@tensorflow/tfjs-core";

/**
 * A twin of (input, target, options) form, as {@link forLayers} takes it.
 * @example const fn: TwinLossFn<CrossEntropyOptions> = crossEntropyLoss;
 */
export type TwinLossFn<O> = (input: tf.Tensor, target: tf.Tensor, options?: O) => tf.Tensor;

/**
 * The `(yTrue, yPred) => loss` function that tfjs-layers' `compile({ loss })` takes, computing
 * `lossFn(yPred, yTrue, options)`. tfjs-layers gives yTrue the model output's shape, so class
 * losses get one-hot (or probability) targets [N, C] and the model's last layer must output
 * logits (no softmax). With probability targets PyTorch's `"mean"` divides by N even with class
 * weights; with `reduction: "none"` tfjs-layers averages the per-sample losses itself and can
 * apply fit's `classWeight` / `sampleWeight` to them.
 * @example
 * model.compile({ optimizer: "adam", loss: forLayers(crossEntropyLoss, { labelSmoothing: 0.1 }), metrics: ["accuracy"] });
 * await model.fit(xs, tf.oneHot(labels, 10), { epochs: 5 });
 */
export function forLayers<O>(
  lossFn: TwinLossFn<O>,
  options?: O,
): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  if (typeof lossFn !== "function") {
    throw new TypeError(
      `forLayers: 'lossFn' must be a loss function of wasm-loss/tfjs; received ${lossFn === null ? "null" : typeof lossFn}`,
    );
  }
  const loss = (yTrue: tf.Tensor, yPred: tf.Tensor) => lossFn(yPred, yTrue, options);
  // tfjs-layers names the loss in logs and in its errors by the function's name.
  Object.defineProperty(loss, "name", { value: lossFn.name || "loss" });
  return loss;
}
