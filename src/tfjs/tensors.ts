// Arguments as tensors: the checks a tensor needs before the core sees its values (a live
// tf.Tensor, its dtype, its shape), and the one read of its values (dataSync). The core then
// checks the values themselves, as for any array.

import * as tf from "@tensorflow/tfjs-core";

export const shapeText = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

export const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

export const sizeOf = (shape: readonly number[]): number => shape.reduce((p, v) => p * v, 1);

/** What a value is, for messages (the core's wording, and tensors by dtype and shape). */
export function describe(value: unknown): string {
  if (value instanceof tf.Tensor) {
    const kind = `${value.isDisposed ? "disposed " : ""}${value.dtype}`;
    return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} tf.Tensor of shape ${shapeText(value.shape)}`;
  }
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an Array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === "object")
    return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value === "number" ? "the number" : typeof value} ${String(value)}`;
}

/** `value` as a live tf.Tensor, or a TypeError naming the function and the argument. */
export function tensor(fn: string, arg: string, value: unknown): tf.Tensor {
  if (!(value instanceof tf.Tensor) || value.isDisposed) {
    throw new TypeError(
      `${fn}: '${arg}' must be a tf.Tensor that is not disposed; received ${describe(value)}`,
    );
  }
  return value;
}

/** A non-differentiated argument (target, labels, lengths): a live tensor, or null when it is not
 *  a tensor (then it goes to the core as it is, as an array the core checks). */
export function optionalTensor(fn: string, arg: string, value: unknown): tf.Tensor | null {
  return value instanceof tf.Tensor ? tensor(fn, arg, value) : null;
}

/** A differentiable input: a float32 tensor (its gradient is float32 of its shape), read once. */
export function floatInput(fn: string, arg: string, t: tf.Tensor): Float32Array {
  if (t.dtype !== "float32") {
    throw new TypeError(
      `${fn}: '${arg}' must be a float32 tf.Tensor (it is differentiated); received ${describe(t)} (use tf.cast(${arg}, "float32"))`,
    );
  }
  return t.dataSync() as Float32Array;
}

/** A value-valued target (or weight): float32 read as is; int32 and bool converted exactly. */
export function floatValues(fn: string, arg: string, t: tf.Tensor): Float32Array {
  const data = t.dataSync();
  if (data instanceof Float32Array) return data;
  if (data instanceof Int32Array || data instanceof Uint8Array) return Float32Array.from(data);
  throw new TypeError(
    `${fn}: '${arg}' must be a float32, int32 or bool tf.Tensor; received ${describe(t)}`,
  );
}

/** Class indices (or other integer labels): an int32 tensor of the given shape. */
export function indexValues(fn: string, arg: string, t: tf.Tensor, what: string): Int32Array {
  if (t.dtype !== "int32") {
    throw new TypeError(
      `${fn}: '${arg}' holds ${what} and must be an int32 tf.Tensor; received ${describe(t)} (use tf.cast(${arg}, "int32"))`,
    );
  }
  return t.dataSync() as Int32Array;
}

/** The RangeError of a tensor whose shape does not fit: `${fn}: '${arg}' must have shape …; received shape […]`. */
export function shapeError(fn: string, arg: string, expected: string, t: tf.Tensor): RangeError {
  return new RangeError(
    `${fn}: '${arg}' must have ${expected}; received shape ${shapeText(t.shape)}`,
  );
}

/** The shapes and dtypes of a call's tensors, appended to the core's messages. */
export function tensorsText(args: ReadonlyArray<readonly [string, unknown]>): string {
  const shown = args.filter(([, t]) => t instanceof tf.Tensor) as Array<[string, tf.Tensor]>;
  return shown.map(([name, t]) => `${name} ${t.dtype} ${shapeText(t.shape)}`).join(", ");
}
