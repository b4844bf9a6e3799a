// Integer index arrays (class indices, label lists): checked once at the boundary and converted
// to the Int32Array the kernels read. The one implementation of the element checks (number[]
// elements are numbers and integers, BigInt64Array values as numbers, a bad element named by
// position and value): indexArray() for a plain range of valid values, and the pieces
// (indexKind, indexAt, indexError) for a caller that converts in its own single pass
// (targets.ts: cross-entropy's ignoreIndex and Σ weight[target]).

import { describe, typeError } from "./errors";
import type { IndexArray } from "./types";

const INDEX_CLASSES = [
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Int8Array,
  Int16Array,
  BigInt64Array,
];

/** "an integer typed array (Int32Array, …, BigInt64Array) or an array of integers" */
export const INDEX_TYPES = `an integer typed array (${INDEX_CLASSES.map((c) => c.name).join(", ")}) or an array of integers`;

export function isIndexArray(v: unknown): v is IndexArray {
  return Array.isArray(v) || INDEX_CLASSES.some((c) => v instanceof c);
}

/** What indexAt() must do per element: nothing (integer typed array), convert a bigint, or check a number[] element. */
export type IndexKind = "typed" | "big" | "plain";

export function indexKind(a: IndexArray): IndexKind {
  return a instanceof BigInt64Array ? "big" : Array.isArray(a) ? "plain" : "typed";
}

/** Who is checking, and how a bad element is named: `"position"` reads "received 5 at position
 *  1" (multi-class), `"element"` reads "element 1 is 5" (a bigint with its n). */
export interface IndexContext {
  fn: string;
  arg: string;
  where: "position" | "element";
  /** What a non-integer violates, after "must ": e.g. "contain only integers (class indices)". */
  integers: string;
}

/** The RangeError for element `i` (its raw value `raw`): `${fn}: '${arg}' must ${expected}; …`. */
export function indexError(c: IndexContext, expected: string, raw: unknown, i: number): RangeError {
  const at =
    c.where === "position"
      ? `received ${String(raw)} at position ${i}`
      : `element ${i} is ${typeof raw === "bigint" ? `${raw}n` : String(raw)}`;
  return new RangeError(`${c.fn}: '${c.arg}' must ${expected}; ${at}`);
}

/**
 * Element `i` of `a` (of kind `kind`) as a number: a bigint beyond ±2^53 becomes ±Infinity (so no
 * range check passes, and indexError shows the bigint). A number[] element that is not a number
 * is a TypeError, one that is not an integer a RangeError.
 */
export function indexAt(c: IndexContext, a: IndexArray, kind: IndexKind, i: number): number {
  if (kind === "typed") return a[i] as number;
  if (kind === "big") {
    const b = a[i] as unknown as bigint;
    return b >= -(2n ** 53n) && b <= 2n ** 53n ? Number(b) : b > 0n ? Infinity : -Infinity;
  }
  const v: unknown = a[i];
  if (typeof v !== "number") {
    throw new TypeError(
      `${c.fn}: '${c.arg}' must contain only integers; element ${i} is ${describe(v)}`,
    );
  }
  if (!Number.isInteger(v)) throw indexError(c, c.integers, v, i);
  return v;
}

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
  if (!isIndexArray(value)) throw typeError(fn, arg, INDEX_TYPES, value);
  const n = value.length;
  if (rule.length !== undefined && n !== rule.length) {
    throw new RangeError(
      `${fn}: '${arg}' must have length ${rule.length}${rule.lengthMeaning ? ` (${rule.lengthMeaning})` : ""}; received ${describe(value)}`,
    );
  }
  const expected = `contain only an integer in [${rule.min}, ${rule.max})${rule.also !== undefined ? ` or ${rule.also}` : ""}`;
  const c: IndexContext = { fn, arg, where: "element", integers: expected };
  const kind = indexKind(value);
  const out = value instanceof Int32Array ? value : new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = indexAt(c, value, kind, i);
    if (!((v >= rule.min && v < rule.max) || v === rule.also))
      throw indexError(c, expected, value[i], i);
    if (out !== value) out[i] = v;
  }
  return out;
}
