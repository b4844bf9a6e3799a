// The shared wrapper of every loss computed by assembly/pointwise.ts: validate, place arguments,
// call the kernel once, reduce. Per-loss files only name the kernel and their parameters.

import { Frame } from "./memory";
import {
  floatArray, gradOutput, options, outputArray, reduction, sameLength,
  type FloatArrayLike, type Reduction,
} from "./validate";

/** Options every loss takes. */
export interface ReductionOptions {
  /** `"mean"` (default) averages, `"sum"` adds, `"none"` returns one loss per element. */
  reduction?: Reduction;
}

/** Options of the `…WithGrad` twins and of `"none"` outputs. */
export interface GradOptions extends ReductionOptions {
  /** Upstream gradient, one value per element of the unreduced loss (reduction `"none"` only):
   *  the result is then `torch.autograd.grad(loss, input, gradOutput)`. */
  gradOutput?: FloatArrayLike;
  /** Write the gradient here (length = input length) instead of allocating. */
  gradInto?: Float32Array;
  /** Write the per-element losses here (reduction `"none"`) instead of allocating. */
  lossInto?: Float32Array;
}

export interface LossOptions extends ReductionOptions {
  lossInto?: Float32Array;
}

/** `{ loss, grad }`: the loss (a number, or a Float32Array for `"none"`) and d(loss)/d(input). */
export interface LossWithGrad<L = number | Float32Array> {
  loss: L;
  grad: Float32Array;
}

let lastTotal = 0;
let lastCount = 0;

/**
 * A reduced loss as a float32 value: `"mean"` divides by `count` (NaN when it is 0). Every loss
 * reduces through here, so the float64 total and the mean's divisor of the latest call are known
 * to LossMeter (see {@link lastReduction}) without a second pass.
 */
export function reduce(total: number, red: Reduction, count: number): number {
  lastTotal = total;
  lastCount = count;
  return Math.fround(red === "sum" ? total : total / count);
}

/** The float64 sum and the mean's divisor (element count, or weight total) of the last reduce(). */
export function lastReduction(): { total: number; count: number } {
  return { total: lastTotal, count: lastCount };
}

/** Kernel ABI of assembly/pointwise.ts: (x, y, n, lossOut, grad, gradOut, scale, a, b) -> sum. */
export type PointwiseKernel = (
  x: number, y: number, n: number, lossOut: number, grad: number, gradOut: number, scale: number, a: number, b: number,
) => number;

export function pointwise(
  fn: string, kernel: string, input: unknown, target: unknown, opts: GradOptions | undefined,
  withGrad: boolean, a = 0, b = 0,
): number | Float32Array | LossWithGrad {
  const o = options(fn, opts);
  const x = floatArray(fn, "input", input);
  const y = floatArray(fn, "target", target);
  sameLength(fn, "input", x.length, "target", y.length);
  const red = reduction(fn, o.reduction);
  const n = x.length;
  const lossInto = red === "none" ? outputArray(fn, "lossInto", o.lossInto, n) : undefined;
  if (red !== "none" && o.lossInto !== undefined) {
    throw new RangeError(`${fn}: 'lossInto' applies to reduction "none" only; received it with reduction "${red}"`);
  }
  const go = withGrad ? gradOutput(fn, o.gradOutput, red, n) : undefined;
  const gradInto = withGrad ? outputArray(fn, "gradInto", o.gradInto, n) : undefined;

  const f = new Frame(fn);
  const X = f.f32("input", x);
  const Y = f.f32("target", y);
  const L = red === "none" ? f.out("lossInto", n, lossInto) : null;
  const G = withGrad ? f.out("gradInto", n, gradInto) : null;
  const GO = go ? f.f32("gradOutput", go) : null;
  f.commit();
  const scale = red === "mean" ? 1 / n : 1;
  const total = (f.m.kernels[kernel] as PointwiseKernel)(
    X.ptr, Y.ptr, n, L ? L.ptr : 0, G ? G.ptr : 0, GO ? GO.ptr : 0, scale, a, b,
  );
  const loss = L ? f.result(L) : reduce(total, red, n);
  return G ? { loss, grad: f.result(G) } : loss;
}

type Reduced = { reduction?: "mean" | "sum" };
type Unreduced = { reduction: "none" };

/** A loss of (input, target): a number when reduced, a Float32Array for `"none"`. */
export interface LossFn<O, T = FloatArrayLike> {
  (input: FloatArrayLike, target: T, options?: O & Reduced): number;
  (input: FloatArrayLike, target: T, options: O & Unreduced): Float32Array;
  (input: FloatArrayLike, target: T, options?: O): number | Float32Array;
}

/** The fused `…WithGrad` twin of a {@link LossFn}. */
export interface LossWithGradFn<O, T = FloatArrayLike> {
  (input: FloatArrayLike, target: T, options?: O & Reduced): LossWithGrad<number>;
  (input: FloatArrayLike, target: T, options: O & Unreduced): LossWithGrad<Float32Array>;
  (input: FloatArrayLike, target: T, options?: O): LossWithGrad;
}
