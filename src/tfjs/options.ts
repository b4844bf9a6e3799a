// A twin's options: the core function's options, less the ones that tensors make meaningless
// (the layout comes from the shapes, results and gradients are tensors), with weight arrays also
// accepted as tensors. Everything else goes to the core unchanged, so its own checks (values,
// unknown option names) apply as they are.

import * as tf from "@tensorflow/tfjs-core";
import { describe, floatValues, tensor } from "./tensors";

/** Why a core option is not an option of a twin. */
export const NOT_OPTIONS: Record<string, string> = {
  classes: "the layout is read from the tensor shapes (classes on the last axis)",
  shape: "the layout is read from the tensor shapes",
  dim: "the row length is read from the tensor shapes (the last axis)",
  lossInto: "the loss is returned as a tf.Tensor",
  gradInto:
    "gradients come from tfjs's backpropagation (tf.grad, tf.variableGrads, optimizer.minimize)",
  gradsInto:
    "gradients come from tfjs's backpropagation (tf.grad, tf.variableGrads, optimizer.minimize)",
  gradOutput: "the upstream gradient comes from tfjs's backpropagation",
  out: "the result is returned as a tf.Tensor",
};

type Dropped =
  "classes" | "shape" | "dim" | "lossInto" | "gradInto" | "gradsInto" | "gradOutput" | "out";

/**
 * The options `O` of a core function as its tfjs twin takes them: no layout or output options
 * (shapes give the layout, results are tensors); `weight` and `posWeight` may be tensors.
 * @example type Mine = TwinOptions<import("wasm-loss").CrossEntropyOptions>; // { weight?, ignoreIndex?, labelSmoothing? }
 */
export type TwinOptions<O> = {
  [K in keyof Omit<O, Dropped>]: K extends "weight" | "posWeight"
    ? Omit<O, Dropped>[K] | tf.Tensor
    : Omit<O, Dropped>[K];
};

/**
 * The options to hand to the core: a copy of `options` with tensors under `tensorKeys` read as
 * Float32Arrays. Throws TypeError for a non-object and for the options a twin does not have.
 */
export function twinOptions(
  fn: string,
  options: unknown,
  tensorKeys: readonly string[] = [],
): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (
    typeof options !== "object" ||
    Array.isArray(options) ||
    ArrayBuffer.isView(options) ||
    options instanceof tf.Tensor
  ) {
    throw new TypeError(`${fn}: 'options' must be an object; received ${describe(options)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (Object.hasOwn(NOT_OPTIONS, key)) {
      throw new TypeError(
        `${fn}: '${key}' is not an option in wasm-loss/tfjs: ${NOT_OPTIONS[key]}; received ${key} = ${describe(value)}`,
      );
    }
    out[key] =
      tensorKeys.includes(key) && value instanceof tf.Tensor
        ? floatValues(fn, key, tensor(fn, key, value))
        : value;
  }
  return out;
}

/** Whether the options ask for a reduced (scalar) loss; an invalid reduction is left to the core. */
export const isReduced = (o: Record<string, unknown>): boolean => o.reduction !== "none";
