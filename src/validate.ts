// Argument checks, run once at the boundary before any WebAssembly call. Every message names the
// function, the argument, what was expected and what was received.

import { assertUsable } from "./memory";

export type Reduction = "mean" | "sum" | "none";

/** Inputs accepted where a float array is expected. Float32Array is the fast path; the others
 *  are converted to a new Float32Array (a copy). */
export type FloatArrayLike = Float32Array | Float64Array | readonly number[];

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `an Array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    const len = (value as unknown as { length?: number }).length;
    return len === undefined ? `a ${name}` : `a ${name} of length ${len}`;
  }
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "object") return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return `${typeof value} ${String(value)}`;
}

export function typeError(fn: string, arg: string, expected: string, received: unknown): TypeError {
  return new TypeError(`${fn}: '${arg}' must be ${expected}; received ${describe(received)}`);
}

export function rangeError(fn: string, arg: string, expected: string, received: string): RangeError {
  return new RangeError(`${fn}: '${arg}' must be ${expected}; received ${received}`);
}

/** A Float32Array view of `value` (the value itself when it already is one). */
export function floatArray(fn: string, arg: string, value: unknown): Float32Array {
  if (value instanceof Float32Array) {
    assertUsable(fn, arg, value);
    return value;
  }
  if (value instanceof Float64Array) return Float32Array.from(value);
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

export function sameLength(fn: string, a: string, lenA: number, b: string, lenB: number): void {
  if (lenA !== lenB) {
    throw new RangeError(
      `${fn}: '${a}' and '${b}' must have the same length; received ${a}.length = ${lenA} and ${b}.length = ${lenB}`,
    );
  }
}

export function options<T extends object>(fn: string, value: T | undefined): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw typeError(fn, "options", "an object", value);
  }
  return value;
}

export function reduction(fn: string, value: unknown, extra: readonly string[] = []): Reduction {
  if (value === undefined) return "mean";
  if (value === "mean" || value === "sum" || value === "none" || extra.includes(value as string)) {
    return value as Reduction;
  }
  const allowed = ["mean", "sum", "none", ...extra].map((r) => `"${r}"`).join(", ");
  throw new RangeError(`${fn}: 'reduction' must be one of ${allowed}; received ${describe(value)}`);
}

/** A finite number, optionally restricted (e.g. delta > 0). */
export function finiteNumber(
  fn: string, arg: string, value: unknown, fallback: number,
  check?: (v: number) => boolean, expected = "a finite number",
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") throw typeError(fn, arg, expected, value);
  if (!Number.isFinite(value) || (check && !check(value))) {
    throw rangeError(fn, arg, expected, String(value));
  }
  return value;
}

export function boolean(fn: string, arg: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw typeError(fn, arg, "a boolean", value);
  return value;
}

/** A Float32Array of exactly `length` elements to write into (gradInto, lossInto). */
export function outputArray(fn: string, arg: string, value: unknown, length: number): Float32Array | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Float32Array)) throw typeError(fn, arg, `a Float32Array of length ${length}`, value);
  assertUsable(fn, arg, value);
  if (value.length !== length) {
    throw rangeError(fn, arg, `a Float32Array of length ${length}`, `length ${value.length}`);
  }
  return value;
}

/** The upstream gradient of an unreduced loss: one value per element of the loss. */
export function gradOutput(
  fn: string, value: unknown, red: Reduction, length: number,
): Float32Array | undefined {
  if (value === undefined) return undefined;
  if (red !== "none") {
    throw new RangeError(
      `${fn}: 'gradOutput' applies to reduction "none" only (the upstream gradient of a scalar loss is 1); received it with reduction "${red}"`,
    );
  }
  const g = floatArray(fn, "gradOutput", value);
  if (g.length !== length) {
    throw rangeError(fn, "gradOutput", `of length ${length} (one value per element of the unreduced loss)`, `length ${g.length}`);
  }
  return g;
}

/** The output options of a call, checked: `lossInto` (reduction "none" only; `lossLength`
 *  values) and, with the gradient, `gradOutput` (one value per loss value) and `gradInto`
 *  (`gradLength` values; pass -1 when the caller checks its gradient outputs itself). */
export function outputs(
  fn: string, o: { lossInto?: unknown; gradOutput?: unknown; gradInto?: unknown }, red: Reduction,
  lossLength: number, withGrad: boolean, gradLength: number,
): { lossInto?: Float32Array; go?: Float32Array; gradInto?: Float32Array } {
  if (red !== "none" && o.lossInto !== undefined) {
    throw new RangeError(`${fn}: 'lossInto' applies to reduction "none" only; received it with reduction "${red}"`);
  }
  return {
    lossInto: red === "none" ? outputArray(fn, "lossInto", o.lossInto, lossLength) : undefined,
    go: withGrad ? gradOutput(fn, o.gradOutput, red, lossLength) : undefined,
    gradInto: withGrad && gradLength >= 0 ? outputArray(fn, "gradInto", o.gradInto, gradLength) : undefined,
  };
}

/** `classes` (or `dim`): a positive integer that divides the input length. Missing (undefined)
 *  is a RangeError like any other bad value: callers where it is optional check for it first. */
export function rowLength(fn: string, arg: string, value: unknown, length: number): number {
  if (value === undefined) {
    throw rangeError(fn, arg, `a positive integer dividing the input length ${length} (it is required)`, "undefined");
  }
  if (typeof value !== "number") throw typeError(fn, arg, "a positive integer", value);
  if (!Number.isInteger(value) || value <= 0) throw rangeError(fn, arg, "a positive integer", String(value));
  if (length % value !== 0) {
    throw rangeError(fn, arg, `a divisor of the input length ${length}`, String(value));
  }
  return value;
}

/** The common start of every (input, target) loss: options object, both arrays as Float32Array,
 *  equal lengths, the reduction. */
export function inputPair<O extends { reduction?: unknown }>(
  fn: string, input: unknown, target: unknown, opts: O | undefined,
): { o: Partial<O>; x: Float32Array; y: Float32Array; red: Reduction; n: number } {
  const o = options(fn, opts);
  const x = floatArray(fn, "input", input);
  const y = floatArray(fn, "target", target);
  sameLength(fn, "input", x.length, "target", y.length);
  return { o, x, y, red: reduction(fn, o.reduction), n: x.length };
}
