// Argument checks, run once at the boundary before any WebAssembly call. Every message names the
// function, the argument, what was expected and what was received (errors.ts).

import { describe, rangeError, typeError } from "./errors";
import { assertUsable } from "./memory";
import type { Reduction } from "./types";

/** A float array as the kernels take it: float32, or float64 converted as it is copied in. */
export type FloatArray = Float32Array | Float64Array;

/** `value` as a float array: itself when it is a Float32Array or Float64Array, a number[]
 *  converted to a new Float32Array. */
export function floatArray(fn: string, arg: string, value: unknown): FloatArray {
  if (value instanceof Float32Array) {
    assertUsable(fn, arg, value);
    return value;
  }
  if (value instanceof Float64Array) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] !== "number") {
        throw new TypeError(
          `${fn}: '${arg}' must contain only numbers; element ${i} is ${describe(value[i])}`,
        );
      }
    }
    return Float32Array.from(value as number[]);
  }
  throw typeError(fn, arg, "a Float32Array, a Float64Array or an array of numbers", value);
}

/** `value` as a Float32Array (small arrays the wrapper reads itself: weights, targets per row). */
export function float32(fn: string, arg: string, value: unknown): Float32Array {
  const a = floatArray(fn, arg, value);
  return a instanceof Float32Array ? a : Float32Array.from(a);
}

export function sameLength(fn: string, a: string, lenA: number, b: string, lenB: number): void {
  if (lenA !== lenB) {
    throw new RangeError(
      `${fn}: '${a}' and '${b}' must have the same length; received ${a}.length = ${lenA} and ${b}.length = ${lenB}`,
    );
  }
}

export function reduction<E extends string = never>(
  fn: string,
  value: unknown,
  extra: readonly E[] = [],
): Reduction | E {
  if (value === undefined) return "mean";
  if (value === "mean" || value === "sum" || value === "none" || extra.includes(value as E)) {
    return value as Reduction | E;
  }
  const allowed = ["mean", "sum", "none", ...extra].map((r) => `"${r}"`).join(", ");
  throw new RangeError(`${fn}: 'reduction' must be one of ${allowed}; received ${describe(value)}`);
}

/** A number, optionally restricted (e.g. delta > 0); finite unless `infinite` is allowed. */
export function numberOption(
  fn: string,
  arg: string,
  value: unknown,
  fallback: number,
  check?: (v: number) => boolean,
  expected = "a finite number",
  infinite = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") throw typeError(fn, arg, expected, value);
  if (Number.isNaN(value) || (!infinite && !Number.isFinite(value)) || (check && !check(value))) {
    throw rangeError(fn, arg, expected, String(value));
  }
  return value;
}

/** A finite number, optionally restricted. */
export function finiteNumber(
  fn: string,
  arg: string,
  value: unknown,
  fallback: number,
  check?: (v: number) => boolean,
  expected = "a finite number",
): number {
  return numberOption(fn, arg, value, fallback, check, expected);
}

export function boolean(fn: string, arg: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw typeError(fn, arg, "a boolean", value);
  return value;
}

/** A Float32Array of exactly `length` elements to write into (gradInto, lossInto, out). */
export function outputArray(
  fn: string,
  arg: string,
  value: unknown,
  length: number,
): Float32Array | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Float32Array))
    throw typeError(fn, arg, `a Float32Array of length ${length}`, value);
  assertUsable(fn, arg, value);
  if (value.length !== length) {
    throw rangeError(fn, arg, `a Float32Array of length ${length}`, `length ${value.length}`);
  }
  return value;
}

/** The upstream gradient of an unreduced loss: one value per element of the loss. */
export function gradOutput(
  fn: string,
  value: unknown,
  red: string,
  length: number,
): FloatArray | undefined {
  if (value === undefined) return undefined;
  if (red !== "none") {
    throw new RangeError(
      `${fn}: 'gradOutput' applies to reduction "none" only (the upstream gradient of a scalar loss is 1); received it with reduction "${red}"`,
    );
  }
  const g = floatArray(fn, "gradOutput", value);
  if (g.length !== length) {
    throw rangeError(
      fn,
      "gradOutput",
      `of length ${length} (one value per element of the unreduced loss)`,
      `length ${g.length}`,
    );
  }
  return g;
}

/** The output options of a call, checked: `lossInto` (reduction "none" only; `lossLength`
 *  values), and with the gradient `gradOutput` (one value per loss value) and `gradInto` or
 *  `gradsInto` (one array per entry of `gradLengths`, named by `gradNames`). */
export function outputs(
  fn: string,
  o: { lossInto?: unknown; gradOutput?: unknown; gradInto?: unknown; gradsInto?: unknown },
  red: string,
  lossLength: number,
  withGrad: boolean,
  gradNames: readonly string[],
  gradLengths: readonly number[],
): { lossInto?: Float32Array; go?: FloatArray; into: Array<Float32Array | undefined> } {
  if (red !== "none" && o.lossInto !== undefined) {
    throw new RangeError(
      `${fn}: 'lossInto' applies to reduction "none" only; received it with reduction "${red}"`,
    );
  }
  const lossInto = red === "none" ? outputArray(fn, "lossInto", o.lossInto, lossLength) : undefined;
  if (!withGrad) return { lossInto, into: [] };
  const go = gradOutput(fn, o.gradOutput, red, lossLength);
  const into =
    gradLengths.length === 1
      ? [outputArray(fn, "gradInto", o.gradInto, gradLengths[0])]
      : gradsInto(fn, o.gradsInto, gradNames, gradLengths);
  if (lossInto !== undefined && into.includes(lossInto)) {
    throw new RangeError(
      `${fn}: 'lossInto' and the gradient must be distinct arrays; received the same array for both`,
    );
  }
  return { lossInto, go, into };
}

function gradsInto(
  fn: string,
  value: unknown,
  names: readonly string[],
  lengths: readonly number[],
): Array<Float32Array | undefined> {
  if (value === undefined) return lengths.map(() => undefined);
  const expected = `an array of ${lengths.length} Float32Arrays (${names.map((n, i) => `${n}: length ${lengths[i]}`).join(", ")})`;
  if (!Array.isArray(value)) throw typeError(fn, "gradsInto", expected, value);
  if (value.length !== lengths.length)
    throw rangeError(fn, "gradsInto", expected, `an Array of length ${value.length}`);
  const out = value.map((a, i) => outputArray(fn, `gradsInto[${i}]`, a, lengths[i]));
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < i; j++) {
      if (out[i] === out[j]) {
        throw new RangeError(
          `${fn}: 'gradsInto' must hold distinct arrays; received the same array at 'gradsInto[${j}]' and 'gradsInto[${i}]'`,
        );
      }
    }
  }
  return out;
}

/** `classes` (or `dim`): a positive integer that divides the input length. Missing (undefined)
 *  is a RangeError like any other bad value: callers where it is optional check for it first. */
export function rowLength(fn: string, arg: string, value: unknown, length: number): number {
  if (value === undefined) {
    throw rangeError(
      fn,
      arg,
      `a positive integer dividing the input length ${length} (it is required)`,
      "undefined",
    );
  }
  if (typeof value !== "number") throw typeError(fn, arg, "a positive integer", value);
  if (!Number.isInteger(value) || value <= 0)
    throw rangeError(fn, arg, "a positive integer", String(value));
  if (length % value !== 0) {
    throw rangeError(fn, arg, `a divisor of the input length ${length}`, String(value));
  }
  return value;
}
