// The shared wrapper of every loss computed by assembly/pointwise.ts: validate, place arguments,
// call the kernel once, reduce. Per-loss files only name the kernel and their parameters.

import { Frame, type Slot } from "./memory";
import { inputPair, outputs, type FloatArrayLike, type Reduction } from "./validate";

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
  const { o, x, y, red, n } = inputPair(fn, input, target, opts);
  const { lossInto, go, gradInto } = outputs(fn, o, red, n, withGrad, n);

  const f = new Frame(fn);
  // Arrays that must be copied are streamed through a small window of scratch, STREAM elements
  // at a time: the copies then stay in cache and each input is read from main memory once.
  const w = n > STREAM ? STREAM : n;
  const X = f.f32("input", x, w);
  const Y = f.f32("target", y, w);
  // A fresh result is written whole into scratch and copied out once by the typed-array copy
  // constructor (no zero-filling of the new array); a caller's array is filled window by window.
  const L = red === "none" ? f.out("lossInto", n, lossInto, lossInto ? w : n) : null;
  const G = withGrad ? f.out("gradInto", n, gradInto, gradInto ? w : n) : null;
  const GO = go ? f.f32("gradOutput", go, w) : null;
  f.commit();
  const scale = red === "mean" ? 1 / n : 1;
  const k = f.m.kernels[kernel] as PointwiseKernel;
  let total: number;
  let lossOut: Float32Array | undefined;
  let gradOut: Float32Array | undefined;
  if ([X, Y, L, G, GO].every((s) => !s || s.window === n)) {
    total = k(X.ptr, Y.ptr, n, L ? L.ptr : 0, G ? G.ptr : 0, GO ? GO.ptr : 0, scale, a, b);
    if (L) lossOut = f.result(L);
    if (G) gradOut = f.result(G);
  } else {
    const buffer = f.m.memory.buffer;
    const xs = new Stream(X, buffer), ys = new Stream(Y, buffer);
    const gos = GO ? new Stream(GO, buffer) : null;
    const ls = L ? new Stream(L, buffer) : null, gs = G ? new Stream(G, buffer) : null;
    total = 0;
    for (let s = 0; s < n; s += w) {
      const len = Math.min(w, n - s);
      total += k(
        xs.in(s, len), ys.in(s, len), len, ls ? ls.at(s) : 0, gs ? gs.at(s) : 0, gos ? gos.in(s, len) : 0,
        scale, a, b,
      );
      ls?.out(s, len);
      gs?.out(s, len);
    }
    if (L) lossOut = ls!.result(f);
    if (G) gradOut = gs!.result(f);
  }
  const loss = lossOut ?? reduce(total, red, n);
  return gradOut ? { loss, grad: gradOut } : loss;
}

/** Elements per window of a streamed call (64 KiB per array: the whole working set stays in L2,
 *  and a multiple of the kernels' reduction BLOCK, so the sums are those of one call). */
const STREAM = 16384;

/** One argument of a streamed call: either resident (used in place at its offset) or copied
 *  through its scratch window, chunk by chunk. */
class Stream {
  private readonly view: Float32Array | null;
  private readonly dest: Float32Array | null;
  constructor(private readonly slot: Slot, buffer: ArrayBuffer) {
    const streamed = slot.window < slot.length;
    this.view = streamed ? new Float32Array(buffer, slot.ptr, slot.window) : null;
    this.dest = streamed && slot.source === null ? slot.into! : null;
  }
  /** Input: copies [s, s + len) in if streamed; the pointer of element s. */
  in(s: number, len: number): number {
    const v = this.view;
    if (v === null) return this.slot.ptr + s * 4;
    const src = this.slot.source as Float32Array;
    v.set(src.subarray(s, s + len));
    return this.slot.ptr;
  }
  /** Output: the pointer the kernel writes element s to. */
  at(s: number): number {
    return this.view === null ? this.slot.ptr + s * 4 : this.slot.ptr;
  }
  /** Output: copies the window out after the kernel ran on [s, s + len). */
  out(s: number, len: number): void {
    const v = this.view;
    if (v !== null) this.dest!.set(len === v.length ? v : v.subarray(0, len), s);
  }
  result(f: Frame): Float32Array {
    return this.dest ?? f.result(this.slot);
  }
}

/** @inline */
type Reduced = { reduction?: "mean" | "sum" };
/** @inline */
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
