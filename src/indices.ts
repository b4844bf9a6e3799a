// Integer index arrays (class indices, label lists): checked once at the boundary and converted
// to the Int32Array the kernels read. Shared by every loss that takes indices.

import { describe, typeError } from "./validate";

/** Arrays accepted where class indices are expected. */
export type IndexArray =
  | Int32Array | Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | BigInt64Array
  | readonly number[];

const INTEGER_ARRAY = "an Int32Array, Uint8Array, Uint16Array, Uint32Array, Int8Array, Int16Array, BigInt64Array or an array of integers";

export interface IndexRule {
  /** Required length, if any (a RangeError names both lengths otherwise). */
  length?: number;
  /** What the length is, for the message: e.g. "one per row". */
  lengthMeaning?: string;
  /** Valid values are min <= v < max ... */
  min: number;
  max: number;
  /** ... or exactly this value (e.g. an ignoreIndex). */
  also?: number;
}

/**
 * `value` as an Int32Array of indices, every element an integer in [rule.min, rule.max) or equal
 * to `rule.also`. Throws TypeError for anything that is not an integer array (or an array of
 * numbers), RangeError naming the position and the value of the first bad element, or the
 * lengths. Returns `value` itself when it already is an Int32Array.
 */
export function indexArray(fn: string, arg: string, value: unknown, rule: IndexRule): Int32Array {
  let n: number;
  if (Array.isArray(value)) {
    n = value.length;
  } else if (
    value instanceof Int32Array || value instanceof Uint8Array || value instanceof Uint16Array ||
    value instanceof Uint32Array || value instanceof Int8Array || value instanceof Int16Array ||
    value instanceof BigInt64Array
  ) {
    n = value.length;
  } else {
    throw typeError(fn, arg, INTEGER_ARRAY, value);
  }
  if (rule.length !== undefined && n !== rule.length) {
    throw new RangeError(
      `${fn}: '${arg}' must have length ${rule.length}${rule.lengthMeaning ? ` (${rule.lengthMeaning})` : ""}; received ${describe(value)}`,
    );
  }
  const ok = (v: number) => (v >= rule.min && v < rule.max) || v === rule.also;
  const expected = () =>
    `an integer in [${rule.min}, ${rule.max})${rule.also !== undefined ? ` or ${rule.also}` : ""}`;
  const out = value instanceof Int32Array ? value : new Int32Array(n);
  if (value instanceof BigInt64Array) {
    const lo = BigInt(Number.MIN_SAFE_INTEGER), hi = BigInt(Number.MAX_SAFE_INTEGER);
    for (let i = 0; i < n; i++) {
      const b = value[i];
      if (b < lo || b > hi || !ok(Number(b))) {
        throw new RangeError(`${fn}: '${arg}' must contain only ${expected()}; element ${i} is ${b}n`);
      }
      out[i] = Number(b);
    }
    return out;
  }
  const a = value as ArrayLike<unknown>;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (typeof v !== "number") {
      throw new TypeError(`${fn}: '${arg}' must contain only integers; element ${i} is ${describe(v)}`);
    }
    if (!Number.isInteger(v) || !ok(v)) {
      throw new RangeError(`${fn}: '${arg}' must contain only ${expected()}; element ${i} is ${v}`);
    }
    if (out !== value) out[i] = v;
  }
  return out;
}
