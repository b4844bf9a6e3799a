// The public type vocabulary shared by every family: arrays, reductions, output options, results
// and the call signatures of the losses (whose result type follows `reduction`).

/** `"mean"` (default) averages, `"sum"` adds, `"none"` returns one loss per element (or row). */
export type Reduction = "mean" | "sum" | "none";

/** Inputs accepted where a float array is expected. Float32Array is the fast path (and the only
 *  kind that can live in module memory); Float64Array is converted to float32 as it is copied in;
 *  a number[] is converted once. */
export type FloatArrayLike = Float32Array | Float64Array | readonly number[];

/** Arrays accepted where class indices (or other integers) are expected. */
export type IndexArray =
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int8Array
  | Int16Array
  | BigInt64Array
  | readonly number[];

/** Options every loss takes. */
export interface ReductionOptions {
  /** `"mean"` (default) averages, `"sum"` adds, `"none"` returns one loss per element (or row). */
  reduction?: Reduction;
}

/** Options of every loss: the reduction and where unreduced losses go. */
export interface LossOptions extends ReductionOptions {
  /** Write the unreduced losses here (reduction `"none"` only) instead of allocating. */
  lossInto?: Float32Array;
}

/** Options of the `…WithGrad` twins with one gradient. */
export interface GradOptions extends LossOptions {
  /** Upstream gradient, one value per element of the unreduced loss (reduction `"none"` only):
   *  the result is then `torch.autograd.grad(loss, input, gradOutput)`. */
  gradOutput?: FloatArrayLike;
  /** Write the gradient here (length = input length) instead of allocating. */
  gradInto?: Float32Array;
}

/** Options of the `…WithGrad` twins with several gradients (one per differentiable input). */
export interface GradsOptions extends LossOptions {
  /** Upstream gradient, one value per element of the unreduced loss (reduction `"none"` only). */
  gradOutput?: FloatArrayLike;
  /** Write the gradients here (one Float32Array per differentiable input) instead of allocating. */
  gradsInto?: Float32Array[];
}

/** `{ loss, grad }`: the loss (a number, or one value per element for `"none"`) and d(loss)/d(input). */
export interface LossWithGrad<L = number | Float32Array, G extends Float32Array = Float32Array> {
  loss: L;
  grad: G;
}

/** `{ loss, grads }`: the loss and one gradient per differentiable input, in argument order. */
export interface LossWithGrads<L = number | Float32Array, G extends Float32Array = Float32Array> {
  loss: L;
  grads: G[];
}

type Reduced = { reduction?: "mean" | "sum" | "batchmean" };
type Unreduced = { reduction: "none" };
type Any = { reduction?: Reduction };
/** The options parameter: optional unless O has a required key (e.g. `classes` of a row loss). */
type Opts<O> = {} extends O ? [options?: O] : [options: O];
/** The same for a call's inferred options P of a loss whose options are O. */
type OptsOf<O, P> = {} extends O ? [options?: P] : [options: P];
/** The array a result is: the caller's own (`lossInto`, `gradInto`) when given, else a fresh one. */
type Into<P, K extends string> = P extends { [k in K]: infer T extends Float32Array }
  ? T
  : Float32Array<ArrayBuffer>;
type IntoAll<P> = P extends { gradsInto: Array<infer T extends Float32Array> }
  ? T
  : Float32Array<ArrayBuffer>;

/** A loss of the arrays `A`: a number when reduced, the unreduced losses for `"none"`. */
export interface LossFn<A extends unknown[], O> {
  (...args: [...A, ...Opts<O & Reduced>]): number;
  <const P extends O & Unreduced>(...args: [...A, options: P]): Into<P, "lossInto">;
  (...args: [...A, ...Opts<O & Any>]): number | Float32Array;
  /** @internal The loss's arrays and options, for types derived from it (never present). */
  readonly __signature?: [A, O];
}

/** The fused `…WithGrad` twin of a {@link LossFn} with one gradient: `{ loss, grad }`. */
export interface LossWithGradFn<A extends unknown[], O> {
  <const P extends O & Reduced>(
    ...args: [...A, ...OptsOf<O, P>]
  ): LossWithGrad<number, Into<P, "gradInto">>;
  <const P extends O & Unreduced>(
    ...args: [...A, options: P]
  ): LossWithGrad<Into<P, "lossInto">, Into<P, "gradInto">>;
  (...args: [...A, ...Opts<O & Any>]): LossWithGrad;
}

/** The fused `…WithGrad` twin of a {@link LossFn} with several gradients: `{ loss, grads }`. */
export interface LossWithGradsFn<A extends unknown[], O> {
  <const P extends O & Reduced>(
    ...args: [...A, ...OptsOf<O, P>]
  ): LossWithGrads<number, IntoAll<P>>;
  <const P extends O & Unreduced>(
    ...args: [...A, options: P]
  ): LossWithGrads<Into<P, "lossInto">, IntoAll<P>>;
  (...args: [...A, ...Opts<O & Any>]): LossWithGrads;
}

/** Arrays of a loss of (input, target). */
export type Pair<T = FloatArrayLike> = [input: FloatArrayLike, target: T];
