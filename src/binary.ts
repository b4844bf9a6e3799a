// Binary cross-entropy on logits and on probabilities (torch.nn.functional.
// binary_cross_entropy_with_logits, binary_cross_entropy) and the stable output transformations
// sigmoid and logSigmoid: thin wrappers over assembly/binary.ts.

import { callOptions, defineLoss, defineWithGrad, type Call } from "./define";
import { COUNT, Launch, NONE, pieceSize, unitsPerPiece, type Arg } from "./dispatch";
import { rangeError, typeError } from "./errors";
import { options } from "./options";
import type { FloatArrayLike, GradOptions, LossOptions, Pair } from "./types";
import {
  floatArray,
  outputArray,
  outputs,
  reduction,
  rowLength,
  sameLength,
  type FloatArray,
} from "./validate";

/** Options of {@link bceLoss} (and, with posWeight, of {@link bceWithLogitsLoss}). */
export interface BceOptions {
  /** Rescales each element's loss (and gradient): a number, an array of the input's length, or,
   *  with `classes`, one value per class broadcast over the rows of `[length / classes, classes]`. */
  weight?: number | FloatArrayLike;
  /** The trailing dimension K of the input viewed as `[length / K, K]`, for a weight (or
   *  posWeight) of one value per class, as PyTorch broadcasts a tensor of shape [K]. */
  classes?: number;
}

/** Options of {@link bceWithLogitsLoss}. */
export interface BceWithLogitsOptions extends BceOptions {
  /** Weight of the positive term `y log sigmoid(x)`: a number, an array of the input's length,
   *  or, with `classes`, one value per class (PyTorch's pos_weight of a multi-label problem). */
  posWeight?: number | FloatArrayLike;
}

/** A weight as the kernel takes it: one number for every element, per element, or per class. */
type Weight = number | { a: FloatArray; perClass: boolean };

/** PyTorch's broadcasting of a weight against the input: a scalar (a number or one value), the
 *  input's shape, or its trailing dimension; any other length names both. */
function weightArg(
  fn: string,
  arg: string,
  value: unknown,
  n: number,
  K: number | undefined,
): Weight {
  if (value === undefined) return 1;
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw rangeError(fn, arg, "a finite number or an array", String(value));
    return value;
  }
  if (!(value instanceof Float32Array || value instanceof Float64Array || Array.isArray(value))) {
    throw typeError(
      fn,
      arg,
      "a number, a Float32Array, a Float64Array or an array of numbers",
      value,
    );
  }
  const a = floatArray(fn, arg, value);
  if (a.length === n) return { a, perClass: false };
  if (a.length === 1) return a[0];
  if (K !== undefined && a.length === K) return { a, perClass: true };
  const what =
    K === undefined
      ? `the input's length ${n} or 1 (for one value per class of an input [N, K], give 'classes: K')`
      : `the input's length ${n}, the trailing dimension classes = ${K}, or 1`;
  throw new RangeError(`${fn}: '${arg}' must have ${what}; received ${arg}.length = ${a.length}`);
}

/** PyTorch 2.x refuses probabilities (and targets) outside [0, 1], NaN included. */
function probabilities(fn: string, arg: string, a: FloatArray): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(
        `${fn}: '${arg}' must hold probabilities in [0, 1]; element ${i} is ${v}`,
      );
    }
  }
}

/** The kernel's pointer for a weight: NONE for a scalar, the array per element, or for a weight
 *  per class the class values repeated over one piece's rows (pieces start at row boundaries). */
function placeWeight(L: Launch, arg: string, w: Weight, perPiece: number): Arg | typeof NONE {
  if (typeof w === "number") return NONE;
  if (!w.perClass) return L.input(arg, w.a, 1);
  const K = w.a.length;
  const tile = new Float32Array(perPiece);
  for (let r = 0; r < perPiece; r += K) tile.set(w.a, r);
  return L.whole(arg, tile);
}

function bce(call: Call, logits: boolean, [input, target]: Pair, opts: unknown) {
  const { fn, withGrad } = call;
  const o = callOptions<GradOptions & BceWithLogitsOptions>(call, opts);
  const x = floatArray(fn, "input", input);
  const y = floatArray(fn, "target", target);
  sameLength(fn, "input", x.length, "target", y.length);
  const n = x.length;
  const K = o.classes === undefined ? undefined : rowLength(fn, "classes", o.classes, n);
  const red = reduction(fn, o.reduction);
  const weight = weightArg(fn, "weight", o.weight, n, K);
  const posWeight = logits ? weightArg(fn, "posWeight", o.posWeight, n, K) : 1;
  if (!logits) {
    probabilities(fn, "input", x);
    probabilities(fn, "target", y);
  }
  const { lossInto, go, into } = outputs(fn, o, red, n, withGrad, ["input"], [n]);
  // Pieces of whole rows when a weight is per class, so that one tile of it serves every piece.
  const perClass = [weight, posWeight].some((w) => typeof w !== "number" && w.perClass);
  const perPiece = perClass ? K! * unitsPerPiece(K!) : pieceSize();
  const L = new Launch(fn, true);
  const X = L.input("input", x, 1);
  const Y = L.input("target", y, 1);
  const LO = red === "none" ? L.output("lossInto", 1, lossInto) : NONE;
  const G = withGrad ? L.output("gradInto", 1, into[0]) : NONE;
  const GO = go ? L.input("gradOutput", go, 1) : NONE;
  const W = placeWeight(L, "weight", weight, perPiece);
  const P = placeWeight(L, "posWeight", posWeight, perPiece);
  const scale = red === "mean" ? 1 / n : 1;
  const ws = typeof weight === "number" ? weight : 1;
  const ps = typeof posWeight === "number" ? posWeight : 1;
  const work = { units: n, perPiece };
  const total = logits
    ? L.run("bceWithLogits", [X, Y, COUNT, LO, G, GO, scale, W, ws, P, ps], work)
    : L.run("bce", [X, Y, COUNT, LO, G, GO, scale, W, ws], work);
  return {
    reduction: red,
    total,
    count: n,
    loss: LO === NONE ? undefined : L.result(LO),
    grads: G === NONE ? [] : [L.result(G)],
  };
}

const withLogits = (call: Call, args: Pair, o: unknown) => bce(call, true, args, o);
const onProbabilities = (call: Call, args: Pair, o: unknown) => bce(call, false, args, o);

/**
 * Binary cross-entropy on logits, `-[posWeight y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))]`
 * times `weight`. Finite and exact for logits of any magnitude. Targets may be soft (any value,
 * as in PyTorch).
 * @example
 * bceWithLogitsLoss([2, -1], [1, 0])                                      // (0.1269 + 0.3133) / 2 = 0.2201
 * bceWithLogitsLoss(logits, labels, { classes: 3, posWeight: [3, 1, 1] }) // logits viewed as [N, 3]
 */
export const bceWithLogitsLoss = defineLoss<Pair, LossOptions & BceWithLogitsOptions>(
  "bceWithLogitsLoss",
  2,
  withLogits,
);

/**
 * {@link bceWithLogitsLoss} and its gradient `(lw sigmoid(x) - posWeight y) weight / n` with
 * `lw = (posWeight - 1) y + 1`, in one pass.
 * @example const { loss, grad } = bceWithLogitsLossWithGrad(logits, labels, { gradInto: g });
 */
export const bceWithLogitsLossWithGrad = defineWithGrad<Pair, GradOptions & BceWithLogitsOptions>(
  "bceWithLogitsLoss",
  2,
  withLogits,
);

/**
 * Binary cross-entropy on probabilities, `-(y log x + (1 - y) log(1 - x))` times `weight`, each
 * log clamped at -100 (PyTorch). Probabilities and targets must lie in [0, 1] (a RangeError names
 * the first element outside); prefer {@link bceWithLogitsLoss} on logits.
 * @example bceLoss([0.9, 0.2], [1, 0]) // (0.1054 + 0.2231) / 2 = 0.1643
 */
export const bceLoss = defineLoss<Pair, LossOptions & BceOptions>("bceLoss", 2, onProbabilities);

/**
 * {@link bceLoss} and its gradient `(x - y) / max((1 - x) x, 1e-12) weight / n`, in one pass. The
 * gradient is not zeroed where the log is clamped: at x = 0, y = 1 it is -1e12 (PyTorch).
 * @example const { loss, grad } = bceLossWithGrad(probs, labels, { reduction: "sum" });
 */
export const bceLossWithGrad = defineWithGrad<Pair, GradOptions & BceOptions>(
  "bceLoss",
  2,
  onProbabilities,
);

/** Options of {@link sigmoid} and {@link logSigmoid}. */
export interface TransformOptions {
  /** Write the result here (a Float32Array of the input's length; may be the input itself). */
  out?: Float32Array;
}

function transform(
  fn: string,
  kernel: "sigmoid" | "logSigmoid",
  x: unknown,
  opts: TransformOptions | undefined,
): Float32Array {
  const o = options(fn, opts);
  const a = floatArray(fn, "x", x);
  const out = outputArray(fn, "out", o.out, a.length);
  const L = new Launch(fn, true);
  const X = L.input("x", a, 1);
  const O = L.output("out", 1, out);
  L.run(kernel, [X, O, COUNT], { units: a.length, perPiece: pieceSize() });
  return L.result(O);
}

/**
 * The logistic function `1 / (1 + exp(-x))`, stable for any input (0 and 1 at the extremes,
 * never NaN for non-NaN input).
 * @example sigmoid([0, 2, -1e4]) // Float32Array [0.5, 0.8808, 0]
 */
export function sigmoid(
  x: FloatArrayLike,
  options?: { out?: undefined },
): Float32Array<ArrayBuffer>;
export function sigmoid<T extends Float32Array>(x: FloatArrayLike, options: { out: T }): T;
export function sigmoid(x: FloatArrayLike, options?: TransformOptions): Float32Array;
export function sigmoid(x: FloatArrayLike, options?: TransformOptions): Float32Array {
  return transform("sigmoid", "sigmoid", x, options);
}

/**
 * `log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|))`, exact for any input: logSigmoid(-1e4) is
 * -1e4, logSigmoid(20) is -2.06e-9 (not 0).
 * @example logSigmoid([0, -1e4]) // Float32Array [-0.6931, -10000]
 */
export function logSigmoid(
  x: FloatArrayLike,
  options?: { out?: undefined },
): Float32Array<ArrayBuffer>;
export function logSigmoid<T extends Float32Array>(x: FloatArrayLike, options: { out: T }): T;
export function logSigmoid(x: FloatArrayLike, options?: TransformOptions): Float32Array;
export function logSigmoid(x: FloatArrayLike, options?: TransformOptions): Float32Array {
  return transform("logSigmoid", "logSigmoid", x, options);
}
