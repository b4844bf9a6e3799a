// The wrapper for the kernels whose shape src/pointwise.ts does not cover: several inputs, several
// gradients, a loss per row, a divisor other than the element count ("batchmean"). Callers
// validate their own arguments; a LossCall checks and places the outputs (lossInto, gradOutput,
// gradInto / gradsInto), the callers add their extra arguments to `call.f`, and run() commits the
// frame, calls the kernel once and reduces. Nothing is written before Frame.commit().
//
//   callKernel(): catalogue kernels with the generic argument order (assembly/pointwise.ts,
//     pointwise3.ts, threeinput.ts, margin.ts's multiLabelSoftMargin):
//     (...inputs, ...dims, lossOut, ...grads, gradOut, scale, ...params) -> f64 sum of the losses
//   rowCall(): losses over rows of equal-length inputs viewed as [rows, classes | dim]
//     (assembly/ranking.ts, embedding.ts), with their own argument order.

import { Frame, type Slot } from "./memory";
import { reduce, type GradOptions, type LossOptions, type LossWithGrad, type ReductionOptions } from "./pointwise";
import {
  floatArray, options, outputArray, outputs, reduction, rowLength, sameLength, typeError,
  type FloatArrayLike, type Reduction,
} from "./validate";

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

/** Options of every row loss (the same as {@link LossOptions}; `lossInto` has one value per row). */
export type RowOptions = LossOptions;
/** `…WithGrad` options of a row loss with one differentiable input (`gradOutput` per row). */
export type RowGradOptions = GradOptions;
/** `…WithGrad` options of a row loss with several differentiable inputs (`gradOutput` per row). */
export type RowGradsOptions = GradsOptions;

/** Pointers and sizes handed to the kernel. */
export interface Pointers {
  /** The inputs given to the LossCall, in order (0 for an absent optional input). */
  x: number[];
  /** Per-element or per-row loss output, or 0. */
  loss: number;
  /** One gradient output per differentiable input, or all 0 without gradient. */
  grads: number[];
  /** Upstream gradient, or 0. */
  gradOut: number;
  /** Gradient scale without gradOut: 1 / divisor for "mean", else 1. */
  scale: number;
}

export interface CallShape {
  /** The validated reduction ("batchmean" already mapped to "mean" with its divisor). */
  reduction: Reduction;
  /** Input arrays in kernel order (null: an absent optional input, pointer 0), with their names. */
  inputs: Array<[string, Float32Array | null]>;
  /** Differentiable inputs: their names and lengths, in argument order. */
  grads: Array<[string, number]>;
  /** Length of the unreduced loss (elements or rows). */
  lossLength: number;
  /** What "mean" divides by (the loss length, or rows for "batchmean"). */
  divisor: number;
  /** The caller's own arrays with their names: an output that is one of them is refused (the
   *  kernel would overwrite an input it still reads, for alloc() views used in place). */
  separateFrom?: { names: readonly string[]; values: readonly unknown[] };
}

type Out = { gradOutput?: unknown; gradInto?: unknown; gradsInto?: unknown; lossInto?: unknown };

export class LossCall {
  readonly f: Frame;
  private readonly inSlots: Array<Slot | null>;
  private readonly lossSlot: Slot | null;
  private readonly gradSlots: Slot[];
  private readonly goSlot: Slot | null;

  /** Validates the output options `o` and declares the inputs and outputs in a new Frame. */
  constructor(readonly fn: string, o: Out, readonly withGrad: boolean, readonly shape: CallShape) {
    const { reduction: red, lossLength, grads } = shape;
    const several = grads.length > 1;
    const { lossInto, go } = outputs(fn, o, red, lossLength, withGrad, -1);
    let into: Array<Float32Array | undefined> = [];
    if (withGrad) {
      if (several) {
        if (o.gradInto !== undefined) {
          throw new RangeError(`${fn}: has ${grads.length} gradients: use 'gradsInto' (an array of Float32Arrays), not 'gradInto'`);
        }
        into = gradsInto(fn, o.gradsInto, grads);
      } else {
        if (o.gradsInto !== undefined) throw new RangeError(`${fn}: has one gradient: use 'gradInto', not 'gradsInto'`);
        into = [outputArray(fn, "gradInto", o.gradInto, grads[0][1])];
      }
    }
    const gradArg = (i: number) => (several ? `gradsInto[${i}]` : "gradInto");
    if (shape.separateFrom) {
      const { names, values } = shape.separateFrom;
      const outs: Array<[string, unknown]> = [["lossInto", lossInto], ...into.map((g, i): [string, unknown] => [gradArg(i), g])];
      for (const [arg, out] of outs) {
        const k = out === undefined ? -1 : values.indexOf(out);
        if (k >= 0) throw new RangeError(`${fn}: '${arg}' must be a separate array; received '${names[k]}' itself`);
      }
    }
    const f = (this.f = new Frame(fn));
    this.inSlots = shape.inputs.map(([name, a]) => (a ? f.f32(name, a) : null));
    this.lossSlot = red === "none" ? f.out("lossInto", lossLength, lossInto) : null;
    this.gradSlots = withGrad ? grads.map(([, len], i) => f.out(gradArg(i), len, into[i])) : [];
    this.goSlot = go ? f.f32("gradOutput", go) : null;
  }

  /** Commits the frame (every declared slot), calls the kernel and assembles the result. */
  run(kernel: (p: Pointers) => number): number | Float32Array | LossWithGrad | LossWithGrads {
    const { f, shape } = this;
    f.commit();
    const ptr = (s: Slot | null) => (s ? s.ptr : 0);
    const total = kernel({
      x: this.inSlots.map(ptr),
      loss: ptr(this.lossSlot),
      grads: shape.grads.map((_, i) => ptr(this.gradSlots[i] ?? null)),
      gradOut: ptr(this.goSlot),
      scale: shape.reduction === "mean" ? 1 / shape.divisor : 1,
    });
    const loss = this.lossSlot ? f.result(this.lossSlot) : reduce(total, shape.reduction, shape.divisor);
    if (!this.withGrad) return loss;
    const grads = this.gradSlots.map((s) => f.result(s));
    return grads.length > 1 ? { loss, grads } : { loss, grad: grads[0] };
  }
}

function gradsInto(fn: string, value: unknown, grads: Array<[string, number]>): Array<Float32Array | undefined> {
  if (value === undefined) return grads.map(() => undefined);
  const expected = `an array of ${grads.length} Float32Arrays (${grads.map(([n, len]) => `${n}: length ${len}`).join(", ")})`;
  if (!Array.isArray(value)) throw typeError(fn, "gradsInto", expected, value);
  if (value.length !== grads.length) {
    throw new RangeError(
      `${fn}: 'gradsInto' must be ${expected}; received an Array of length ${value.length} (received ${value.length} of ${grads.length})`,
    );
  }
  const out = value.map((a, i) => outputArray(fn, `gradsInto[${i}]`, a, grads[i][1]));
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < i; j++) {
      if (out[i] === out[j]) {
        throw new RangeError(`${fn}: 'gradsInto' must hold distinct arrays; received the same array at 'gradsInto[${j}]' and 'gradsInto[${i}]'`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export interface KernelCall extends CallShape {
  fn: string;
  kernel: string;
  /** Integer layout arguments after the inputs (n, or rows and C, ...). */
  dims: number[];
  /** The loss's own scalar parameters, after `scale`. */
  params: number[];
}

/** Runs one call of a kernel with the generic argument order (see the header). */
export function callKernel(c: KernelCall, o: Out, withGrad: boolean): number | Float32Array | LossWithGrad | LossWithGrads {
  const call = new LossCall(c.fn, o, withGrad, c);
  const k = call.f.m.kernels[c.kernel];
  return call.run((p) => k(...p.x, ...c.dims, p.loss, ...p.grads, p.gradOut, p.scale, ...c.params));
}

export interface RowCall<O> {
  /** The options (validated as an object). */
  o: Partial<O & GradOptions & GradsOptions>;
  /** The inputs, as Float32Arrays of equal length. */
  inputs: Float32Array[];
  /** Row length (`classes` or `dim`) and row count. */
  width: number;
  rows: number;
  call: LossCall;
}

/**
 * Validates the common arguments of a row loss: the inputs (`names[i]` = `values[i]`, all
 * differentiable, of equal length), the row length `widthArg` (required), reduction, and the
 * outputs (per-row lossInto and gradOutput; gradInto for one input, gradsInto for several; none
 * of them one of the inputs).
 */
export function rowCall<O extends RowOptions>(
  fn: string, opts: O | undefined, withGrad: boolean,
  names: readonly string[], values: readonly unknown[], widthArg: "classes" | "dim",
): RowCall<O> {
  const o = options(fn, opts) as Partial<O & GradOptions & GradsOptions>;
  const inputs = names.map((name, i) => floatArray(fn, name, values[i]));
  const n = inputs[0].length;
  inputs.forEach((x, i) => sameLength(fn, names[0], n, names[i], x.length));
  const width = rowLength(fn, widthArg, (o as Record<string, unknown>)[widthArg], n);
  const rows = n / width;
  const call = new LossCall(fn, o, withGrad, {
    reduction: reduction(fn, o.reduction), inputs: inputs.map((x, i) => [names[i], x]),
    grads: names.map((name) => [name, n]), lossLength: rows, divisor: rows, separateFrom: { names, values },
  });
  return { o, inputs, width, rows, call };
}

// ---------------------------------------------------------------------------------------------

/** @inline */
type Reduced = { reduction?: "mean" | "sum" };
/** @inline */
type Unreduced = { reduction: "none" };
/**
 * The options argument: optional unless O has a required key (e.g. `classes` of a row loss).
 * @inline
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- {} extends O: no key of O is required
type Opts<O, R> = {} extends O ? [options?: O & R] : [options: O & R];

/** A loss of three arrays (e.g. input, target, variance): a number when reduced, a Float32Array for `"none"`. */
export interface Loss3Fn<O, T = FloatArrayLike> {
  (a: FloatArrayLike, b: FloatArrayLike, c: T, ...options: Opts<O, Reduced>): number;
  (a: FloatArrayLike, b: FloatArrayLike, c: T, options: O & Unreduced): Float32Array;
  (a: FloatArrayLike, b: FloatArrayLike, c: T, ...options: Opts<O, unknown>): number | Float32Array;
}

/** The fused `…WithGrad` twin of a {@link Loss3Fn} with several gradients. */
export interface Loss3WithGradsFn<O, T = FloatArrayLike> {
  (a: FloatArrayLike, b: FloatArrayLike, c: T, ...options: Opts<O, Reduced>): LossWithGrads<number>;
  (a: FloatArrayLike, b: FloatArrayLike, c: T, options: O & Unreduced): LossWithGrads<Float32Array>;
  (a: FloatArrayLike, b: FloatArrayLike, c: T, ...options: Opts<O, unknown>): LossWithGrads;
}

/** A row loss of three arrays: the same as {@link Loss3Fn} (options required, they hold `dim`). */
export type RowLoss3Fn<O, T = FloatArrayLike> = Loss3Fn<O, T>;
/** The fused `…WithGrad` twin of a {@link RowLoss3Fn}: `{ loss, grads }`. */
export type RowLoss3WithGradsFn<O, T = FloatArrayLike> = Loss3WithGradsFn<O, T>;

/** A row loss of (input, target): a number when reduced, one loss per row for `"none"`. */
export interface RowLossFn<O, T> {
  (input: FloatArrayLike, target: T, options: O & Reduced): number;
  (input: FloatArrayLike, target: T, options: O & Unreduced): Float32Array;
  (input: FloatArrayLike, target: T, options: O): number | Float32Array;
}

/** The fused `…WithGrad` twin of a {@link RowLossFn}: `{ loss, grad }`. */
export interface RowLossWithGradFn<O, T> {
  (input: FloatArrayLike, target: T, options: O & Reduced): LossWithGrad<number>;
  (input: FloatArrayLike, target: T, options: O & Unreduced): LossWithGrad<Float32Array>;
  (input: FloatArrayLike, target: T, options: O): LossWithGrad;
}
