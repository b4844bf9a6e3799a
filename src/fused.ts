// The wrapper for catalogue kernels whose shape src/pointwise.ts does not cover: several inputs,
// several gradients, a loss per row, a divisor other than the element count ("batchmean").
// Callers validate their own arguments and layout; this checks and places the outputs (lossInto,
// gradOutput, gradInto / gradsInto), calls the kernel once and reduces.
//
// Kernel argument order (assembly/pointwise.ts, pointwise3.ts, margin.ts's multiLabelSoftMargin):
//   (...inputs, ...dims, lossOut, ...grads, gradOut, scale, ...params) -> f64 sum of the losses

import { Frame, type Slot } from "./memory";
import { reduce, type LossWithGrad, type ReductionOptions } from "./pointwise";
import {
  gradOutput, outputArray, rangeError, rowLength, typeError, type FloatArrayLike, type Reduction,
} from "./validate";

/** `classes` where it is optional: validated when given (a positive integer dividing `length`). */
export function optionalClasses(fn: string, value: unknown, length: number): number | undefined {
  return value === undefined ? undefined : rowLength(fn, "classes", value, length);
}

/** `classes` where it is required: missing is a RangeError like any other bad value. */
export function requiredClasses(fn: string, value: unknown, length: number): number {
  if (value === undefined) {
    throw rangeError(fn, "classes", `a positive integer dividing the input length ${length} (it is required)`, "undefined");
  }
  return rowLength(fn, "classes", value, length);
}

/** `{ loss, grads }`: the loss and one gradient per differentiable input, in argument order. */
export interface LossWithGrads<L = number | Float32Array> {
  loss: L;
  grads: Float32Array[];
}

/** Output options of the `…WithGrad` twins with several gradients. */
export interface GradsOptions extends ReductionOptions {
  /** Upstream gradient, one value per element of the unreduced loss (reduction `"none"` only). */
  gradOutput?: FloatArrayLike;
  /** Write the gradients here (one Float32Array per differentiable input) instead of allocating. */
  gradsInto?: Float32Array[];
  /** Write the unreduced losses here (reduction `"none"`) instead of allocating. */
  lossInto?: Float32Array;
}

export interface KernelCall {
  fn: string;
  kernel: string;
  /** Input arrays in kernel order (null: an absent optional input, pointer 0), with their names. */
  inputs: Array<[string, Float32Array | null]>;
  /** Integer layout arguments after the inputs (n, or rows and C, ...). */
  dims: number[];
  /** Differentiable inputs: their names and lengths, in argument order. */
  grads: Array<[string, number]>;
  /** Length of the unreduced loss (elements or rows). */
  lossLength: number;
  /** What "mean" divides by (the loss length, or rows for "batchmean"). */
  divisor: number;
  /** The validated reduction ("batchmean" already mapped to "mean" with its divisor). */
  reduction: Reduction;
  /** The loss's own scalar parameters, after `scale`. */
  params: number[];
}

type Out = { gradOutput?: unknown; gradInto?: unknown; gradsInto?: unknown; lossInto?: unknown };

/** Runs one fused call; returns the loss, or `{ loss, grad }` / `{ loss, grads }` with gradients. */
export function callKernel(
  c: KernelCall, o: Out, withGrad: boolean,
): number | Float32Array | LossWithGrad | LossWithGrads {
  const { fn, reduction: red, lossLength } = c;
  const several = c.grads.length > 1;
  if (red !== "none" && o.lossInto !== undefined) {
    throw new RangeError(`${fn}: 'lossInto' applies to reduction "none" only; received it with reduction "${red}"`);
  }
  const lossInto = red === "none" ? outputArray(fn, "lossInto", o.lossInto, lossLength) : undefined;
  const go = withGrad ? gradOutput(fn, o.gradOutput, red, lossLength) : undefined;
  let into: Array<Float32Array | undefined> = [];
  if (withGrad) {
    if (several) {
      if (o.gradInto !== undefined) {
        throw new RangeError(`${fn}: has ${c.grads.length} gradients: use 'gradsInto' (an array of Float32Arrays), not 'gradInto'`);
      }
      into = gradsInto(fn, o.gradsInto, c.grads);
    } else {
      if (o.gradsInto !== undefined) throw new RangeError(`${fn}: has one gradient: use 'gradInto', not 'gradsInto'`);
      into = [outputArray(fn, "gradInto", o.gradInto, c.grads[0][1])];
    }
  }

  const f = new Frame(fn);
  const ins = c.inputs.map(([name, a]) => (a ? f.f32(name, a) : null));
  const L = red === "none" ? f.out("lossInto", lossLength, lossInto) : null;
  const G: Slot[] = withGrad ? c.grads.map(([, len], i) => f.out(several ? `gradsInto[${i}]` : "gradInto", len, into[i])) : [];
  const GO = go ? f.f32("gradOutput", go) : null;
  f.commit();
  const scale = red === "mean" ? 1 / c.divisor : 1;
  const ptr = (s: Slot | null) => (s ? s.ptr : 0);
  const total = f.m.kernels[c.kernel](
    ...ins.map(ptr), ...c.dims, ptr(L), ...c.grads.map((_, i) => ptr(G[i] ?? null)), ptr(GO), scale, ...c.params,
  );
  const loss = L ? f.result(L) : reduce(total, red, c.divisor);
  if (!withGrad) return loss;
  const grads = G.map((s) => f.result(s));
  return several ? { loss, grads } : { loss, grad: grads[0] };
}

function gradsInto(fn: string, value: unknown, grads: Array<[string, number]>): Array<Float32Array | undefined> {
  if (value === undefined) return grads.map(() => undefined);
  const expected = `an array of ${grads.length} Float32Arrays (${grads.map(([n, len]) => `${n}: length ${len}`).join(", ")})`;
  if (!Array.isArray(value)) throw typeError(fn, "gradsInto", expected, value);
  if (value.length !== grads.length) {
    throw new RangeError(`${fn}: 'gradsInto' must be ${expected}; received an Array of length ${value.length}`);
  }
  const out = value.map((a, i) => outputArray(fn, `gradsInto[${i}]`, a, grads[i][1]));
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < i; j++) {
      if (out[i] === out[j]) throw new RangeError(`${fn}: 'gradsInto' must hold distinct arrays; received the same array at ${j} and ${i}`);
    }
  }
  return out;
}

type Reduced = { reduction?: "mean" | "sum" };
type Unreduced = { reduction: "none" };

/** A loss of three arrays (e.g. input, target, variance): a number when reduced, a Float32Array for `"none"`. */
export interface Loss3Fn<O> {
  (a: FloatArrayLike, b: FloatArrayLike, c: FloatArrayLike, options?: O & Reduced): number;
  (a: FloatArrayLike, b: FloatArrayLike, c: FloatArrayLike, options: O & Unreduced): Float32Array;
  (a: FloatArrayLike, b: FloatArrayLike, c: FloatArrayLike, options?: O): number | Float32Array;
}

/** The fused `…WithGrad` twin of a {@link Loss3Fn} with several gradients. */
export interface Loss3WithGradsFn<O> {
  (a: FloatArrayLike, b: FloatArrayLike, c: FloatArrayLike, options?: O & Reduced): LossWithGrads<number>;
  (a: FloatArrayLike, b: FloatArrayLike, c: FloatArrayLike, options: O & Unreduced): LossWithGrads<Float32Array>;
  (a: FloatArrayLike, b: FloatArrayLike, c: FloatArrayLike, options?: O): LossWithGrads;
}
