// Validation of the multi-class arguments: the class layout (`classes` or `shape`), class-index
// targets (checked by indices.ts's element checks and converted to Int32 in the same pass, with
// Σ weight[target] — the mean's divisor — on the way), probability targets, class weights,
// ignoreIndex and label smoothing.

import type { IndexSource } from "./dispatch";
import { describe, rangeError, typeError } from "./errors";
import { indexAt, indexError, indexKind, type IndexContext } from "./indices";
import type { IndexArray } from "./types";
import { finiteNumber, float32, rowLength } from "./validate";

/** Input viewed as [N, C, D]: N samples, C classes, D positions per sample (class stride D). */
export interface Layout {
  readonly N: number;
  readonly C: number;
  readonly D: number;
  /** Sample positions N·D: the length of index targets, of "none" losses and of gradOutput. */
  readonly positions: number;
}

/** The class layout of the input: exactly one of `classes` or `shape`. */
export type LayoutOptions =
  | {
      /** Input is [N, classes], rows contiguous. */
      classes: number;
      shape?: undefined;
    }
  | {
      /** PyTorch's shape of the input: [N, C, d1, …, dk] (class dim 1) or the unbatched [C]. */
      shape: readonly number[];
      classes?: undefined;
    };

export function layout(
  fn: string,
  length: number,
  o: { classes?: unknown; shape?: unknown },
): Layout {
  const { classes, shape } = o;
  if ((classes === undefined) === (shape === undefined)) {
    throw new RangeError(
      `${fn}: exactly one of 'classes' or 'shape' is required; received ${classes === undefined ? "neither" : "both"}`,
    );
  }
  if (classes !== undefined) {
    const C = rowLength(fn, "classes", classes, length);
    return { N: length / C, C, D: 1, positions: length / C };
  }
  if (!Array.isArray(shape))
    throw typeError(fn, "shape", "an array of non-negative integers [N, C, d1, …] or [C]", shape);
  if (shape.length === 0)
    throw rangeError(fn, "shape", "an array of non-negative integers [N, C, d1, …] or [C]", "[]");
  for (let i = 0; i < shape.length; i++) {
    const v: unknown = shape[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      throw rangeError(
        fn,
        "shape",
        "an array of non-negative integers",
        `${describe(v)} at index ${i}`,
      );
    }
  }
  const C = shape.length === 1 ? shape[0] : shape[1];
  if (C === 0)
    throw rangeError(fn, "shape", "a shape with at least one class", `[${shape.join(", ")}]`);
  const product = shape.reduce((p, v) => p * v, 1);
  if (product !== length) {
    throw new RangeError(
      `${fn}: 'shape' [${shape.join(", ")}] must have as many elements as the input; received ${product} elements for an input of length ${length}`,
    );
  }
  if (shape.length === 1) return { N: 1, C, D: 1, positions: 1 };
  const D = shape.slice(2).reduce((p, v) => p * v, 1);
  return { N: shape[0], C, D, positions: shape[0] * D };
}

/** Class weights: one per class, as a Float32Array. */
export function classWeights(fn: string, value: unknown, C: number): Float32Array | undefined {
  if (value === undefined) return undefined;
  const w = float32(fn, "weight", value);
  if (w.length !== C)
    throw rangeError(fn, "weight", `one value per class (length ${C})`, `length ${w.length}`);
  return w;
}

export const ignoreIndex = (fn: string, value: unknown): number =>
  finiteNumber(fn, "ignoreIndex", value, -100, Number.isInteger, "an integer");

export const labelSmoothing = (fn: string, value: unknown): number =>
  finiteNumber(fn, "labelSmoothing", value, 0, (v) => v >= 0 && v <= 1, "a number in [0, 1]");

export interface IndexTargets {
  /** The targets as the kernels take them: Int32, ignored positions mapped to -1 (converted as
   *  they are copied into module memory, so no copy of the whole array is made). */
  readonly source: IndexSource;
  /** Σ weight[target] over the positions not ignored (their count without weights). */
  readonly weightSum: number;
  /** Number of positions not ignored. */
  readonly active: number;
}

/**
 * Validates class indices (one per sample position, each in [0, C) or ignoreIndex) and converts
 * them to Int32 in one pass, summing weight[target] over the non-ignored positions.
 */
export function indexTargets(
  fn: string,
  target: IndexArray,
  lay: Layout,
  ignore: number,
  weight: Float32Array | undefined,
): IndexTargets {
  if (target.length !== lay.positions) {
    throw rangeError(
      fn,
      "target",
      `one class index per sample position (length ${lay.positions})`,
      `length ${target.length}`,
    );
  }
  const C = lay.C;
  const c: IndexContext = {
    fn,
    arg: "target",
    where: "position",
    integers: "contain only integers (class indices)",
  };
  const expected = `hold class indices in [0, ${C}) or ignoreIndex (${ignore})`;
  if (target instanceof Int32Array) {
    // The common case in a monomorphic loop (indexAt's `a[i]` sees every array type).
    const bad = checkInt32(target, C, ignore, weight);
    if (bad >= 0) throw indexError(c, expected, target[bad], bad);
    const plain = scanActive === target.length || ignore === -1;
    return {
      source: plain ? typedSource(target) : mapped(target, ignore, "typed"),
      weightSum: scanSum,
      active: scanActive,
    };
  }
  let weightSum = 0;
  let active = 0;
  const kind = indexKind(target);
  for (let i = 0; i < target.length; i++) {
    const t = indexAt(c, target, kind, i);
    if (t === ignore) continue;
    if (!(t >= 0 && t < C)) throw indexError(c, expected, target[i], i);
    weightSum += weight ? weight[t] : 1;
    active++;
  }
  const plain = kind === "typed" && active === target.length;
  return {
    source: plain ? typedSource(target as TypedIndices) : mapped(target, ignore, kind),
    weightSum,
    active,
  };
}

type TypedIndices = Exclude<IndexArray, BigInt64Array | readonly number[]>;

/** An integer typed array as it is (set() converts to int32 natively). */
export function typedSource(t: TypedIndices): IndexSource {
  return {
    length: t.length,
    copyTo: (heap, at, start, count) =>
      heap.set(start === 0 && count === t.length ? t : t.subarray(start, start + count), at),
  };
}

/** Validated class indices of any kind, as int32 with `ignore` mapped to -1. */
function mapped(t: IndexArray, ignore: number, kind: "typed" | "big" | "plain"): IndexSource {
  return {
    length: t.length,
    copyTo(heap, at, start, count) {
      for (let i = 0; i < count; i++) {
        const v =
          kind === "big" ? Number(t[start + i] as unknown as bigint) : (t[start + i] as number);
        heap[at + i] = v === ignore ? -1 : v;
      }
    },
  };
}

let scanSum = 0;
let scanActive = 0;

/** Checks Int32 class indices: returns the position of the first one neither in [0, C) nor
 *  `ignore` (-1 if none), and leaves Σ weight[t] and the count of the others in scanSum/scanActive. */
function checkInt32(
  t: Int32Array,
  C: number,
  ignore: number,
  weight: Float32Array | undefined,
): number {
  // One unsigned compare tests 0 <= v < C. Without weights the divisor is the count (an integer
  // loop: a float64 sum of ones was a 4-cycle add chain per element).
  let active = 0;
  if (weight === undefined) {
    for (let i = 0; i < t.length; i++) {
      const v = t[i];
      if (v !== ignore) {
        if (v >>> 0 >= C) return i;
        active++;
      }
    }
    scanSum = active;
  } else {
    let sum = 0;
    for (let i = 0; i < t.length; i++) {
      const v = t[i];
      if (v !== ignore) {
        if (v >>> 0 >= C) return i;
        sum += weight[v];
        active++;
      }
    }
    scanSum = sum;
  }
  scanActive = active;
  return -1;
}
