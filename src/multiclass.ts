// Cross-entropy, NLL, softmax and log-softmax (torch.nn.functional.cross_entropy, nll_loss,
// softmax, log_softmax over the class dim): thin wrappers over assembly/multiclass.ts.

import { callOptions, defineLoss, defineWithGrad, type Call, type Computed } from "./define";
import {
  COUNT,
  Launch,
  NONE,
  pieceSize,
  SPAN,
  unitsPerPiece,
  type Arg,
  type Work,
} from "./dispatch";
import { typeError } from "./errors";
import { INDEX_TYPES, isIndexArray } from "./indices";
import { options } from "./options";
import {
  classWeights,
  ignoreIndex,
  indexTargets,
  labelSmoothing,
  layout,
  type Layout,
  type LayoutOptions,
} from "./targets";
import type { FloatArrayLike, GradOptions, IndexArray, LossOptions } from "./types";
import { floatArray, outputArray, outputs, reduction } from "./validate";

export type { LayoutOptions } from "./targets";

/** Options of {@link nllLoss}: the layout, class weights and the ignored class index. */
export type NllOptions = LayoutOptions & {
  /** One weight per class (PyTorch's `weight`). "mean" divides by Σ weight[target]. */
  weight?: FloatArrayLike;
  /** Positions whose target equals this contribute nothing (default -100). */
  ignoreIndex?: number;
};

/** Options of {@link crossEntropyLoss}. */
export type CrossEntropyOptions = NllOptions & {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε / C. In [0, 1]; default 0. */
  labelSmoothing?: number;
};

/** Options of {@link softmax} and {@link logSoftmax}. */
export type SoftmaxOptions = LayoutOptions & {
  /** Write the result here (length = input length) instead of allocating. */
  out?: Float32Array;
};

/** Class indices (one per sample position), or class probabilities (crossEntropyLoss only). */
export type ClassTarget = IndexArray | Float32Array | Float64Array;

/** The pieces of a [N, C, D] layout: rows for D = 1; whole samples, or ranges of a sample's
 *  positions when one sample is larger than a piece (kernels take the class stride D). */
function work(lay: Layout): Work {
  const size = lay.C * lay.D;
  if (lay.D === 1) return { units: lay.N, perPiece: unitsPerPiece(lay.C), positions: 1 };
  const span = Math.max(4, Math.floor(pieceSize() / lay.C) & ~3);
  return {
    units: lay.N,
    perPiece: unitsPerPiece(size),
    positions: lay.D,
    span: size > pieceSize() ? span : lay.D,
  };
}

function multiclass(
  call: Call,
  nll: boolean,
  [input, target]: [unknown, unknown],
  opts: unknown,
): Computed {
  const { fn, withGrad } = call;
  const o = callOptions<CrossEntropyOptions & GradOptions>(call, opts);
  const x = floatArray(fn, "input", input);
  const lay = layout(fn, x.length, o);
  const red = reduction(fn, o.reduction);
  const weight = classWeights(fn, o.weight, lay.C);
  const ignore = ignoreIndex(fn, o.ignoreIndex);
  const eps = nll ? 0 : labelSmoothing(fn, o.labelSmoothing);
  const probs = !nll && (target instanceof Float32Array || target instanceof Float64Array);
  const L = new Launch(fn);
  const X = L.input("input", x, lay.C * lay.D);
  let T: Arg | typeof NONE, P: Arg | typeof NONE, divisor: number, active: number;
  if (probs) {
    if (o.ignoreIndex !== undefined && ignore >= 0) {
      throw new RangeError(
        `${fn}: 'ignoreIndex' cannot be used with probability targets (a Float32Array/Float64Array target); received ignoreIndex ${ignore}`,
      );
    }
    const p = floatArray(fn, "target", target);
    if (p.length !== x.length) {
      throw new RangeError(
        `${fn}: 'target' of class probabilities must have the input's length ${x.length}; received length ${p.length} ` +
          `(class indices go in an integer typed array or number[])`,
      );
    }
    P = L.input("target", p, lay.C * lay.D);
    T = NONE;
    divisor = active = lay.positions;
  } else {
    if (!isIndexArray(target)) {
      throw typeError(
        fn,
        "target",
        nll ? INDEX_TYPES : `${INDEX_TYPES}, or class probabilities (Float32Array, Float64Array)`,
        target,
      );
    }
    const t = indexTargets(fn, target, lay, ignore, weight);
    T = L.indices("target", t.source, lay.D);
    P = NONE;
    // All positions ignored: the mean is NaN (0 / 0) and the gradient all zeros (scale 0).
    divisor = t.weightSum;
    active = t.active;
  }
  const positions = lay.positions;
  const { lossInto, go, into } = outputs(fn, o, red, positions, withGrad, ["input"], [x.length]);
  const W = weight ? L.whole("weight", weight) : NONE;
  const LO = red === "none" ? L.output("lossInto", lay.D, lossInto) : NONE;
  const G = withGrad ? L.output("gradInto", lay.C * lay.D, into[0]) : NONE;
  const GO = go ? L.input("gradOutput", go, lay.D) : NONE;
  // Counted positions whose class weights are all 0: PyTorch's mean is 0/0, NaN in the loss and,
  // for cross-entropy, in the gradient of every counted position (ignored ones keep 0).
  const degenerate = red === "mean" && active > 0 && divisor === 0;
  const scale = red === "mean" ? (active === 0 ? 0 : degenerate && !nll ? NaN : 1 / divisor) : 1;
  let wAll = lay.C;
  if (weight) {
    wAll = 0;
    for (let c = 0; c < weight.length; c++) wAll += weight[c];
  }
  const total = nll
    ? L.run("nll", [X, T, W, COUNT, lay.C, SPAN, lay.D, LO, G, GO, scale], work(lay))
    : L.run(
        "crossEntropy",
        [X, T, P, W, COUNT, lay.C, SPAN, lay.D, LO, G, GO, scale, eps, wAll],
        work(lay),
      );
  return {
    // With smoothing a degenerate mean's total is not 0: total / 0 would be Infinity, not NaN.
    reduction: red,
    total: degenerate ? NaN : total,
    count: divisor,
    loss: LO === NONE ? undefined : L.result(LO),
    grads: G === NONE ? [] : [L.result(G)],
  };
}

type Args = [logits: FloatArrayLike, target: ClassTarget];
type NllArgs = [logProbs: FloatArrayLike, target: IndexArray];
const ce = (call: Call, args: Args, o: unknown) => multiclass(call, false, args, o);
const nllOf = (call: Call, args: NllArgs, o: unknown) => multiclass(call, true, args, o);

/**
 * Cross-entropy of logits against class indices or class probabilities (PyTorch's
 * `cross_entropy`): log-softmax over the class dim, then the (weighted, smoothed) negative
 * log-likelihood. Give the layout with `classes: C` ([N, C] rows) or `shape` ([N, C, d1, …] or
 * the unbatched [C]). "mean" divides by Σ weight[target] over non-ignored positions (index
 * targets) or by the number of positions (probability targets); all ignored → NaN.
 * @example
 * crossEntropyLoss(new Float32Array([2, 0, 0, 0, 3, 0]), new Int32Array([0, 1]), { classes: 3 }) // ≈ 0.1672
 */
export const crossEntropyLoss = defineLoss<Args, LossOptions & CrossEntropyOptions>(
  "crossEntropyLoss",
  2,
  ce,
);

/**
 * {@link crossEntropyLoss} and its gradient `(softmax − target distribution) · scale` with
 * respect to the logits, in one call.
 * @example
 * const { loss, grad } = crossEntropyLossWithGrad(logits, labels, { classes: 10, labelSmoothing: 0.1 });
 */
export const crossEntropyLossWithGrad = defineWithGrad<Args, GradOptions & CrossEntropyOptions>(
  "crossEntropyLoss",
  2,
  ce,
);

/**
 * Negative log-likelihood of log-probabilities at the target classes (PyTorch's `nll_loss`):
 * `−weight[y] · input[y]` per position. Same layouts, weights and ignoreIndex as
 * {@link crossEntropyLoss}; targets are class indices only.
 * @example
 * nllLoss([-0.1, -2.4, -1.2, -0.4], [0, 1], { classes: 2 }) // (0.1 + 0.4) / 2 = 0.25
 */
export const nllLoss = defineLoss<NllArgs, LossOptions & NllOptions>("nllLoss", 2, nllOf);

/**
 * {@link nllLoss} and its gradient (`−weight[y] · scale` at each target class, 0 elsewhere).
 * @example const { loss, grad } = nllLossWithGrad(logProbs, labels, { shape: [8, 5, 32, 32] });
 */
export const nllLossWithGrad = defineWithGrad<NllArgs, GradOptions & NllOptions>(
  "nllLoss",
  2,
  nllOf,
);

function softmaxOf(
  fn: string,
  input: unknown,
  opts: SoftmaxOptions | undefined,
  log: boolean,
): Float32Array {
  const o = options(fn, opts);
  const x = floatArray(fn, "input", input);
  const lay = layout(fn, x.length, o);
  const into = outputArray(fn, "out", o.out, x.length);
  const L = new Launch(fn);
  const X = L.input("input", x, lay.C * lay.D);
  const O = L.output("out", lay.C * lay.D, into);
  L.run("softmax", [X, O, COUNT, lay.C, SPAN, lay.D, log ? 1 : 0], work(lay));
  return L.result(O);
}

/**
 * Softmax over the class dim, stable for any input (the row max is subtracted).
 * @example softmax([1, 2, 3, 1, 1, 1], { classes: 3 }) // [0.090, 0.245, 0.665, 1/3, 1/3, 1/3]
 */
export function softmax(
  input: FloatArrayLike,
  options: SoftmaxOptions & { out?: undefined },
): Float32Array<ArrayBuffer>;
export function softmax<T extends Float32Array>(
  input: FloatArrayLike,
  options: SoftmaxOptions & { out: T },
): T;
export function softmax(input: FloatArrayLike, options: SoftmaxOptions): Float32Array;
export function softmax(input: FloatArrayLike, options: SoftmaxOptions): Float32Array {
  return softmaxOf("softmax", input, options, false);
}

/**
 * Log-softmax over the class dim: `(x − max) − log Σ exp(x − max)`, finite for any finite input.
 * @example logSoftmax(new Float32Array([0, 1e4]), { shape: [2] }) // [-10000, 0]
 */
export function logSoftmax(
  input: FloatArrayLike,
  options: SoftmaxOptions & { out?: undefined },
): Float32Array<ArrayBuffer>;
export function logSoftmax<T extends Float32Array>(
  input: FloatArrayLike,
  options: SoftmaxOptions & { out: T },
): T;
export function logSoftmax(input: FloatArrayLike, options: SoftmaxOptions): Float32Array;
export function logSoftmax(input: FloatArrayLike, options: SoftmaxOptions): Float32Array {
  return softmaxOf("logSoftmax", input, options, true);
}
