// Binary cross-entropy on logits and on probabilities (torch.nn.functional.
// binary_cross_entropy_with_logits, binary_cross_entropy) and the stable output transformations
// sigmoid and logSigmoid: thin wrappers over assembly/binary.ts.

import { LossCall } from "./fused";
import { Frame, type Slot } from "./memory";
import {
  type GradOptions, type LossFn, type LossOptions, type LossWithGrad, type LossWithGradFn,
} from "./pointwise";
import {
  floatArray, inputPair, options, outputArray, rangeError, typeError,
  type FloatArrayLike,
} from "./validate";

/** Options of {@link bceLoss} (and, with posWeight, of {@link bceWithLogitsLoss}). */
export interface BceOptions {
  /** Rescales each element's loss (and gradient): a number, an array of the input's length, or
   *  an array of length K broadcast over the rows of the input viewed as [length / K, K]. */
  weight?: number | FloatArrayLike;
}

/** Options of {@link bceWithLogitsLoss}. */
export interface BceWithLogitsOptions extends BceOptions {
  /** Weight of the positive term `y log sigmoid(x)`: a number, an array of the input's length,
   *  or one value per class K of a multi-label input [length / K, K] (PyTorch's pos_weight). */
  posWeight?: number | FloatArrayLike;
}

/** A weight as the kernel takes it: one number for every element, or an array of length n or K. */
type Weight = number | Float32Array;

function weightArg(fn: string, arg: string, value: unknown, n: number): Weight {
  if (value === undefined) return 1;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw rangeError(fn, arg, "a finite number or an array", String(value));
    return value;
  }
  if (!(value instanceof Float32Array || value instanceof Float64Array || Array.isArray(value))) {
    throw typeError(fn, arg, "a number, a Float32Array, a Float64Array or an array of numbers", value);
  }
  const a = floatArray(fn, arg, value);
  if (a.length === n) return a;
  if (a.length > 0 && n % a.length === 0) return a.length === 1 ? a[0] : a;
  throw new RangeError(
    `${fn}: '${arg}' must have the input's length ${n} or the length K of its trailing dimension ` +
      `(a divisor of ${n}); received ${arg}.length = ${a.length}`,
  );
}

/** PyTorch 2.x refuses probabilities (and targets) outside [0, 1], NaN included. Checked here,
 *  before any WebAssembly call (the API's contract), in one monomorphic loop. */
function probabilities(fn: string, arg: string, a: Float32Array): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(`${fn}: '${arg}' must hold probabilities in [0, 1]; element ${i} is ${v}`);
    }
  }
}

/** Places a weight: a number stays a scalar (the kernel's slot); an array is an input, and one of
 *  length K < n also gets an n-element scratch block that expandWeight fills after commit(). */
function placeWeight(f: Frame, arg: string, w: Weight, n: number): { src: Slot | null; full: Slot | null; scalar: number } {
  if (typeof w === "number") return { src: null, full: null, scalar: w };
  const src = f.f32(arg, w);
  return { src, full: w.length === n ? src : f.temp(n * 4), scalar: 1 };
}

/** The kernel's pointer for a placed weight (0 for a scalar), expanding a length-K one first. */
function expandWeight(f: Frame, w: { src: Slot | null; full: Slot | null }, n: number): number {
  if (w.full === null || w.src === null) return 0;
  if (w.full !== w.src) f.m.kernels.broadcastRows(w.src.ptr, w.src.length, w.full.ptr, n);
  return w.full.ptr;
}

function bce(
  fn: string, logits: boolean, input: unknown, target: unknown,
  opts: (GradOptions & BceWithLogitsOptions) | undefined, withGrad: boolean,
): number | Float32Array | LossWithGrad {
  const { o, x, y, red, n } = inputPair(fn, input, target, opts);
  const weight = weightArg(fn, "weight", o.weight, n);
  let posWeight: Weight = 1;
  if (logits) {
    posWeight = weightArg(fn, "posWeight", o.posWeight, n);
  } else {
    if (o.posWeight !== undefined) {
      throw new TypeError(`${fn}: option 'posWeight' belongs to bceWithLogitsLoss; received it for probabilities`);
    }
    probabilities(fn, "input", x);
    probabilities(fn, "target", y);
  }
  // Only the options this loss has (a stray gradsInto stays ignored, as in the pointwise losses).
  const outs = { lossInto: o.lossInto, gradOutput: o.gradOutput, gradInto: o.gradInto };
  const call = new LossCall(fn, outs, withGrad, {
    reduction: red, inputs: [["input", x], ["target", y]], grads: [["input", n]], lossLength: n, divisor: n,
  });
  const f = call.f;
  const W = placeWeight(f, "weight", weight, n);
  const P = placeWeight(f, "posWeight", posWeight, n);
  const k = f.m.kernels[logits ? "bceWithLogits" : "bce"];
  return call.run((q) => {
    const w = expandWeight(f, W, n);
    const pw = expandWeight(f, P, n);
    return k(q.x[0], q.x[1], n, q.loss, q.grads[0], q.gradOut, q.scale, w, W.scalar, pw, P.scalar);
  }) as number | Float32Array | LossWithGrad;
}

/**
 * Binary cross-entropy on logits, `(1 - y) x - lw log sigmoid(x)` with `lw = (posWeight - 1) y + 1`,
 * times `weight`: `-[posWeight y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))]`. Finite and exact
 * for logits of any magnitude. Targets may be soft (any value, as in PyTorch).
 * @example
 * bceWithLogitsLoss([2, -1], [1, 0])                       // (0.1269 + 0.3133) / 2 = 0.2201
 * bceWithLogitsLoss(logits, labels, { posWeight: [3, 1, 1] }) // logits viewed as [N, 3]
 */
export const bceWithLogitsLoss: LossFn<LossOptions & BceWithLogitsOptions> = (
  input, target, options?: LossOptions & BceWithLogitsOptions,
) => bce("bceWithLogitsLoss", true, input, target, options, false) as never;

/**
 * {@link bceWithLogitsLoss} and its gradient `(lw sigmoid(x) - posWeight y) weight / n`, in one pass.
 * @example const { loss, grad } = bceWithLogitsLossWithGrad(logits, labels, { gradInto: g });
 */
export const bceWithLogitsLossWithGrad: LossWithGradFn<GradOptions & BceWithLogitsOptions> = (
  input, target, options?: GradOptions & BceWithLogitsOptions,
) => bce("bceWithLogitsLossWithGrad", true, input, target, options, true) as never;

/**
 * Binary cross-entropy on probabilities, `-(y log x + (1 - y) log(1 - x))` times `weight`, each
 * log clamped at -100 (PyTorch). Probabilities and targets must lie in [0, 1] (a RangeError names
 * the first element outside); prefer {@link bceWithLogitsLoss} on logits.
 * @example bceLoss([0.9, 0.2], [1, 0]) // (0.1054 + 0.2231) / 2 = 0.1643
 */
export const bceLoss: LossFn<LossOptions & BceOptions> = (input, target, options?: LossOptions & BceOptions) =>
  bce("bceLoss", false, input, target, options, false) as never;

/**
 * {@link bceLoss} and its gradient `(x - y) / max((1 - x) x, 1e-12) weight / n`, in one pass. The
 * gradient is not zeroed where the log is clamped: at x = 0, y = 1 it is -1e12 (PyTorch).
 * @example const { loss, grad } = bceLossWithGrad(probs, labels, { reduction: "sum" });
 */
export const bceLossWithGrad: LossWithGradFn<GradOptions & BceOptions> = (
  input, target, options?: GradOptions & BceOptions,
) => bce("bceLossWithGrad", false, input, target, options, true) as never;

/** Options of {@link sigmoid} and {@link logSigmoid}. */
export interface TransformOptions {
  /** Write the result here (a Float32Array of the input's length; may be the input itself). */
  out?: Float32Array;
}

function transform(fn: string, kernel: string, x: unknown, opts: TransformOptions | undefined): Float32Array {
  const o = options(fn, opts);
  const a = floatArray(fn, "x", x);
  const out = outputArray(fn, "out", o.out, a.length);
  const f = new Frame(fn);
  const X = f.f32("x", a);
  const O = f.out("out", a.length, out);
  f.commit();
  f.m.kernels[kernel](X.ptr, O.ptr, a.length);
  return f.result(O);
}

/**
 * The logistic function `1 / (1 + exp(-x))`, stable for any input (0 and 1 at the extremes,
 * never NaN for non-NaN input).
 * @example sigmoid([0, 2, -1e4]) // Float32Array [0.5, 0.8808, 0]
 */
export function sigmoid(x: FloatArrayLike, options?: TransformOptions): Float32Array {
  return transform("sigmoid", "sigmoid", x, options);
}

/**
 * `log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|))`, exact for any input: logSigmoid(-1e4) is
 * -1e4, logSigmoid(20) is -2.06e-9 (not 0).
 * @example logSigmoid([0, -1e4]) // Float32Array [-0.6931, -10000]
 */
export function logSigmoid(x: FloatArrayLike, options?: TransformOptions): Float32Array {
  return transform("logSigmoid", "logSigmoid", x, options);
}
