// The shared wrapper of the row losses (ranking.ts, embedding.ts): inputs of equal length viewed
// as [rows, width] (width from `classes` or `dim`), one loss per row for "none" (lossInto and
// gradOutput have `rows` elements), one gradient per differentiable input (`grad`/`gradInto` for
// one, `grads`/`gradsInto` for several). Validation happens in the constructor and in the
// caller's own checks before run(); nothing is written before Frame.commit().

import { Frame, type Slot } from "./memory";
import { reduce, type ReductionOptions } from "./pointwise";
import {
  describe, floatArray, gradOutput, options, outputArray, reduction, rowLength, sameLength,
  type FloatArrayLike, type Reduction,
} from "./validate";

/** Options of every row loss: `lossInto`/`gradOutput` have one value per row. */
export interface RowOptions extends ReductionOptions {
  /** Write the per-row losses here (reduction `"none"`; length = rows). */
  lossInto?: Float32Array;
}

export interface RowGradBase extends RowOptions {
  /** Upstream gradient, one value per row (reduction `"none"` only). */
  gradOutput?: FloatArrayLike;
}

/** `…WithGrad` options of a row loss with one differentiable input. */
export interface RowGradOptions extends RowGradBase {
  /** Write the gradient here (length = input length) instead of allocating. */
  gradInto?: Float32Array;
}

/** `…WithGrad` options of a row loss with several differentiable inputs. */
export interface RowGradsOptions extends RowGradBase {
  /** One Float32Array per differentiable input (each of the input length), in argument order. */
  gradsInto?: Float32Array[];
}

/** `{ loss, grads }`: the loss and one gradient per differentiable input, in argument order. */
export interface LossWithGrads<L = number | Float32Array> {
  loss: L;
  grads: Float32Array[];
}

/** Pointers and sizes handed to the kernel call. */
export interface RowPointers {
  /** The differentiable inputs, in argument order. */
  x: number[];
  rows: number;
  width: number;
  /** Per-row loss output, or 0. */
  loss: number;
  /** One gradient output per input, or all 0 without gradient. */
  grads: number[];
  /** Per-row upstream gradient, or 0. */
  gradOut: number;
  /** Gradient scale without gradOut: 1 / rows for "mean", else 1. */
  scale: number;
}

export class RowCall<O extends RowOptions> {
  readonly o: Partial<O & RowGradOptions & RowGradsOptions>;
  readonly inputs: Float32Array[];
  readonly width: number;
  readonly rows: number;
  readonly red: Reduction;
  readonly f: Frame;
  private readonly inSlots: Slot[];
  private readonly lossSlot: Slot | null;
  private readonly gradSlots: Slot[];
  private readonly goSlot: Slot | null;

  /**
   * Validates the common arguments: the inputs (`names[i]` = `values[i]`), the row length
   * `widthArg` (required), reduction, lossInto, and for the `…WithGrad` twin gradOutput and
   * gradInto (one input) or gradsInto (several).
   */
  constructor(
    readonly fn: string, opts: O | undefined, readonly withGrad: boolean,
    names: readonly string[], values: readonly unknown[], widthArg: "classes" | "dim",
  ) {
    const o = options(fn, opts) as Partial<O & RowGradOptions & RowGradsOptions>;
    this.o = o;
    this.inputs = names.map((name, i) => floatArray(fn, name, values[i]));
    const n = this.inputs[0].length;
    this.inputs.forEach((x, i) => sameLength(fn, names[0], n, names[i], x.length));
    const w = (o as Record<string, unknown>)[widthArg];
    if (w === undefined) {
      throw new RangeError(
        `${fn}: '${widthArg}' is required (a positive integer: the input is viewed as [rows, ${widthArg}]); received undefined`,
      );
    }
    this.width = rowLength(fn, widthArg, w, n);
    this.rows = n / this.width;
    const red = (this.red = reduction(fn, o.reduction));
    const rows = this.rows;
    const lossInto = red === "none" ? outputArray(fn, "lossInto", o.lossInto, rows) : undefined;
    if (red !== "none" && o.lossInto !== undefined) {
      throw new RangeError(`${fn}: 'lossInto' applies to reduction "none" only; received it with reduction "${red}"`);
    }
    const multi = names.length > 1;
    let go: Float32Array | undefined;
    let into: (Float32Array | undefined)[] = [];
    if (withGrad) {
      go = gradOutput(fn, o.gradOutput, red, rows);
      if (multi) {
        if (o.gradInto !== undefined) {
          throw new RangeError(`${fn}: has ${names.length} gradients, so its output option is 'gradsInto' (an array of ${names.length} Float32Arrays), not 'gradInto'`);
        }
        into = this.gradsInto(names, n);
      } else {
        if (o.gradsInto !== undefined) {
          throw new RangeError(`${fn}: has one gradient, so its output option is 'gradInto', not 'gradsInto'`);
        }
        into = [outputArray(fn, "gradInto", o.gradInto, n)];
      }
    }
    // An output that is one of the inputs would be overwritten while the kernel still reads it
    // (for alloc() views, which are used in place).
    const outs: [string, unknown][] = [["lossInto", lossInto], ...into.map((g, i): [string, unknown] => [multi ? `gradsInto[${i}]` : "gradInto", g])];
    for (const [arg, out] of outs) {
      const k = out === undefined ? -1 : values.indexOf(out);
      if (k >= 0) throw new RangeError(`${fn}: '${arg}' must be a separate array; received '${names[k]}' itself`);
    }
    const f = (this.f = new Frame(fn));
    this.inSlots = this.inputs.map((x, i) => f.f32(names[i], x));
    this.lossSlot = red === "none" ? f.out("lossInto", rows, lossInto) : null;
    this.gradSlots = into.map((g, i) => f.out(multi ? `gradsInto[${i}]` : "gradInto", n, g));
    this.goSlot = go ? f.f32("gradOutput", go) : null;
  }

  private gradsInto(names: readonly string[], n: number): (Float32Array | undefined)[] {
    const v = this.o.gradsInto as unknown;
    if (v === undefined) return names.map(() => undefined);
    const fn = this.fn;
    if (!Array.isArray(v)) {
      throw new TypeError(`${fn}: 'gradsInto' must be an array of ${names.length} Float32Arrays (${names.join(", ")}); received ${describe(v)}`);
    }
    if (v.length !== names.length) {
      throw new RangeError(`${fn}: 'gradsInto' must hold ${names.length} Float32Arrays (${names.join(", ")}); received ${v.length}`);
    }
    const out = v.map((g, i) => outputArray(fn, `gradsInto[${i}]`, g, n));
    for (let i = 0; i < out.length; i++) {
      for (let j = 0; j < i; j++) {
        if (out[i] === out[j]) throw new RangeError(`${fn}: 'gradsInto[${j}]' and 'gradsInto[${i}]' must be different arrays; received the same array twice`);
      }
    }
    return out;
  }

  /** Commits the frame (every declared slot), calls the kernel and assembles the result. */
  run(kernel: (p: RowPointers) => number): unknown {
    const f = this.f;
    f.commit();
    const total = kernel({
      x: this.inSlots.map((s) => s.ptr),
      rows: this.rows,
      width: this.width,
      loss: this.lossSlot ? this.lossSlot.ptr : 0,
      grads: this.gradSlots.length ? this.gradSlots.map((s) => s.ptr) : this.inputs.map(() => 0),
      gradOut: this.goSlot ? this.goSlot.ptr : 0,
      scale: this.red === "mean" ? 1 / this.rows : 1,
    });
    const loss = this.lossSlot ? f.result(this.lossSlot) : reduce(total, this.red, this.rows);
    if (!this.withGrad) return loss;
    const grads = this.gradSlots.map((s) => f.result(s));
    return this.inputs.length > 1 ? { loss, grads } : { loss, grad: grads[0] };
  }
}

type Reduced = { reduction?: "mean" | "sum" };
type Unreduced = { reduction: "none" };

/** A row loss of (input, target): a number when reduced, one loss per row for `"none"`. */
export interface RowLossFn<O, T> {
  (input: FloatArrayLike, target: T, options: O & Reduced): number;
  (input: FloatArrayLike, target: T, options: O & Unreduced): Float32Array;
  (input: FloatArrayLike, target: T, options: O): number | Float32Array;
}

/** The fused `…WithGrad` twin of a {@link RowLossFn}: `{ loss, grad }`. */
export interface RowLossWithGradFn<O, T> {
  (input: FloatArrayLike, target: T, options: O & Reduced): { loss: number; grad: Float32Array };
  (input: FloatArrayLike, target: T, options: O & Unreduced): { loss: Float32Array; grad: Float32Array };
  (input: FloatArrayLike, target: T, options: O): { loss: number | Float32Array; grad: Float32Array };
}

/** A row loss of three arrays (two or three of them differentiable). */
export interface RowLoss3Fn<O, T = FloatArrayLike> {
  (a: FloatArrayLike, b: FloatArrayLike, c: T, options: O & Reduced): number;
  (a: FloatArrayLike, b: FloatArrayLike, c: T, options: O & Unreduced): Float32Array;
  (a: FloatArrayLike, b: FloatArrayLike, c: T, options: O): number | Float32Array;
}

/** The fused `…WithGrad` twin of a {@link RowLoss3Fn}: `{ loss, grads }`. */
export interface RowLoss3WithGradsFn<O, T = FloatArrayLike> {
  (a: FloatArrayLike, b: FloatArrayLike, c: T, options: O & Reduced): LossWithGrads<number>;
  (a: FloatArrayLike, b: FloatArrayLike, c: T, options: O & Unreduced): LossWithGrads<Float32Array>;
  (a: FloatArrayLike, b: FloatArrayLike, c: T, options: O): LossWithGrads;
}
