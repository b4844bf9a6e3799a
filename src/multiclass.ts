// Cross-entropy, NLL, softmax and log-softmax (torch.nn.functional.cross_entropy, nll_loss,
// softmax, log_softmax over the class dim): thin wrappers over assembly/multiclass.ts.

import { Frame, type Slot } from "./memory";
import { reduce, type GradOptions, type LossWithGrad } from "./pointwise";
import {
  classWeights, ignoreIndex, indexTargets, labelSmoothing, layout, type LayoutOptions,
} from "./targets";
import { INDEX_TYPES, isIndexArray, type IndexArray } from "./indices";
import {
  floatArray, options, outputArray, outputs, reduction, typeError, type FloatArrayLike, type Reduction,
} from "./validate";

export type { LayoutOptions } from "./targets";
export type { IndexArray } from "./indices";

/** Options of {@link nllLoss}: the layout, class weights and the ignored class index. */
export interface NllOptions extends LayoutOptions {
  /** One weight per class (PyTorch's `weight`). "mean" divides by Σ weight[target]. */
  weight?: FloatArrayLike;
  /** Positions whose target equals this contribute nothing (default -100). */
  ignoreIndex?: number;
}

/** Options of {@link crossEntropyLoss}. */
export interface CrossEntropyOptions extends NllOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε / C. In [0, 1]; default 0. */
  labelSmoothing?: number;
}

/** Options of {@link softmax} and {@link logSoftmax}. */
export interface SoftmaxOptions extends LayoutOptions {
  /** Write the result here (length = input length) instead of allocating. */
  out?: Float32Array;
}

/** Class indices (one per sample position), or class probabilities (crossEntropyLoss only). */
export type ClassTarget = IndexArray | Float32Array | Float64Array;

type Reduced = { reduction?: "mean" | "sum" };
type Unreduced = { reduction: "none" };

/** A multi-class loss: a number when reduced, a Float32Array (one per sample position) for "none". */
export interface MulticlassLossFn<O, T> {
  (input: FloatArrayLike, target: T, options: O & Reduced & { lossInto?: undefined }): number;
  (input: FloatArrayLike, target: T, options: O & Unreduced & { lossInto?: Float32Array }): Float32Array;
  (input: FloatArrayLike, target: T, options: O & { reduction?: Reduction; lossInto?: Float32Array }): number | Float32Array;
}

/** The fused `…WithGrad` twin of a {@link MulticlassLossFn}. */
export interface MulticlassLossWithGradFn<O, T> {
  (input: FloatArrayLike, target: T, options: O & Reduced & GradOptions): LossWithGrad<number>;
  (input: FloatArrayLike, target: T, options: O & Unreduced & GradOptions): LossWithGrad<Float32Array>;
  (input: FloatArrayLike, target: T, options: O & GradOptions): LossWithGrad;
}

type CrossEntropyKernel = (
  x: number, tgt: number, probs: number, w: number, N: number, C: number, D: number,
  lossOut: number, grad: number, gradOut: number, scale: number, eps: number, wAll: number,
) => number;
type NllKernel = (
  x: number, tgt: number, w: number, N: number, C: number, D: number,
  lossOut: number, grad: number, gradOut: number, scale: number,
) => number;

function multiclass(
  fn: string, input: unknown, target: unknown, opts: (CrossEntropyOptions & GradOptions) | undefined,
  withGrad: boolean, nll: boolean,
): number | Float32Array | LossWithGrad {
  const f = new Frame(fn);
  const o = options(fn, opts);
  const x = floatArray(fn, "input", input);
  const X = f.f32("input", x); // first: a stale alloc() view is reported as such, not by its length 0
  const lay = layout(fn, x.length, o);
  const red = reduction(fn, o.reduction);
  const weight = classWeights(fn, o.weight, lay.C);
  const W = weight ? f.f32("weight", weight) : null;
  const ignore = ignoreIndex(fn, o.ignoreIndex);
  const eps = nll ? 0 : labelSmoothing(fn, o.labelSmoothing);
  const probs = !nll && (target instanceof Float32Array || target instanceof Float64Array);
  let y: Int32Array | null = null;
  let p: Float32Array | null = null;
  let P: Slot | null = null;
  let divisor: number, active: number;
  if (probs) {
    if (o.ignoreIndex !== undefined && ignore >= 0) {
      throw new RangeError(
        `${fn}: 'ignoreIndex' cannot be used with probability targets (a Float32Array/Float64Array target); received ignoreIndex ${ignore}`,
      );
    }
    p = floatArray(fn, "target", target);
    P = f.f32("target", p);
    if (p.length !== x.length) {
      throw new RangeError(
        `${fn}: 'target' of class probabilities must have the input's length ${x.length}; received length ${p.length} ` +
          `(class indices go in an integer typed array or number[])`,
      );
    }
    divisor = active = lay.positions;
  } else {
    if (!isIndexArray(target)) {
      throw typeError(fn, "target", nll ? INDEX_TYPES : `${INDEX_TYPES}, or class probabilities (Float32Array, Float64Array)`, target);
    }
    const t = indexTargets(fn, target, lay, ignore, weight);
    y = t.i32;
    // All positions ignored: the mean is NaN (0 / 0) and the gradient all zeros (scale 0).
    divisor = t.weightSum;
    active = t.active;
  }
  const n = lay.positions;
  const { lossInto, go, gradInto } = outputs(fn, o, red, n, withGrad, x.length);

  const Y = y ? f.i32(y) : null;
  const inputs = { input: x, target: p, weight, gradOutput: go };
  const mem = f.m.memory.buffer;
  const L = red === "none" ? f.out("lossInto", n, apart(fn, "lossInto", lossInto, inputs, mem)) : null;
  const G = withGrad ? f.out("gradInto", x.length, apart(fn, "gradInto", gradInto, inputs, mem)) : null;
  const GO = go ? f.f32("gradOutput", go) : null;
  f.commit();
  // Counted positions whose class weights are all 0: PyTorch's mean is 0/0, NaN in the loss and,
  // for cross-entropy, in the gradient of every counted position (ignored ones keep 0).
  const degenerate = red === "mean" && active > 0 && divisor === 0;
  const scale = red === "mean" ? (active === 0 ? 0 : degenerate && !nll ? NaN : 1 / divisor) : 1;
  const k = f.m.kernels;
  const args = [L ? L.ptr : 0, G ? G.ptr : 0, GO ? GO.ptr : 0, scale] as const;
  const total = nll
    ? (k.nll as NllKernel)(X.ptr, Y!.ptr, W ? W.ptr : 0, lay.N, lay.C, lay.D, ...args)
    : (k.crossEntropy as CrossEntropyKernel)(
        X.ptr, Y ? Y.ptr : 0, P ? P.ptr : 0, W ? W.ptr : 0, lay.N, lay.C, lay.D, ...args, eps,
        weight ? weight.reduce((s, v) => s + v, 0) : lay.C,
      );
  let loss = L ? f.result(L) : reduce(total, red, divisor);
  if (degenerate) loss = NaN; // with smoothing the total is not 0: x/0 would be Infinity
  return G ? { loss, grad: f.result(G) } : loss;
}

/** `into` itself, after checking that it does not share module memory with an input: the kernels
 *  read their inputs again after writing (second pass, overlapping last vector), so two views
 *  on one alloc() block cannot be input and output. (Ordinary arrays are copied in and out, so
 *  `gradInto: logits` is fine for them.) */
function apart(fn: string, arg: string, into: Float32Array | undefined, inputs: Record<string, Float32Array | null | undefined>, memory: ArrayBuffer): Float32Array | undefined {
  if (into === undefined || into.buffer !== memory) return into;
  const lo = into.byteOffset, hi = lo + into.byteLength;
  for (const [name, a] of Object.entries(inputs)) {
    if (a && a.buffer === memory && a.byteOffset < hi && lo < a.byteOffset + a.byteLength) {
      throw new RangeError(
        `${fn}: '${arg}' must not share memory with '${name}'; received two overlapping views on one alloc() block (use a separate alloc() view for the output)`,
      );
    }
  }
  return into;
}

/**
 * Cross-entropy of logits against class indices or class probabilities (PyTorch's
 * `cross_entropy`): log-softmax over the class dim, then the (weighted, smoothed) negative
 * log-likelihood. Give the layout with `classes: C` ([N, C] rows) or `shape` ([N, C, d1, …] or
 * the unbatched [C]). "mean" divides by Σ weight[target] over non-ignored positions (index
 * targets) or by the number of positions (probability targets); all ignored → NaN.
 * @example
 * crossEntropyLoss(new Float32Array([2, 0, 0, 0, 3, 0]), new Int32Array([0, 1]), { classes: 3 }) // ≈ 0.1672
 */
export const crossEntropyLoss: MulticlassLossFn<CrossEntropyOptions, ClassTarget> = (input: FloatArrayLike, target: ClassTarget, options: CrossEntropyOptions & GradOptions) =>
  multiclass("crossEntropyLoss", input, target, options, false, false) as never;

/**
 * {@link crossEntropyLoss} and its gradient `(softmax − target distribution) · scale` with
 * respect to the logits, in one call.
 * @example
 * const { loss, grad } = crossEntropyLossWithGrad(logits, labels, { classes: 10, labelSmoothing: 0.1 });
 */
export const crossEntropyLossWithGrad: MulticlassLossWithGradFn<CrossEntropyOptions, ClassTarget> = (input, target, options) =>
  multiclass("crossEntropyLossWithGrad", input, target, options, true, false) as never;

/**
 * Negative log-likelihood of log-probabilities at the target classes (PyTorch's `nll_loss`):
 * `−weight[y] · input[y]` per position. Same layouts, weights and ignoreIndex as
 * {@link crossEntropyLoss}; targets are class indices only.
 * @example
 * nllLoss([-0.1, -2.4, -1.2, -0.4], [0, 1], { classes: 2 }) // (0.1 + 0.4) / 2 = 0.25
 */
export const nllLoss: MulticlassLossFn<NllOptions, IndexArray> = (input: FloatArrayLike, target: IndexArray, options: NllOptions & GradOptions) =>
  multiclass("nllLoss", input, target, options, false, true) as never;

/**
 * {@link nllLoss} and its gradient (`−weight[y] · scale` at each target class, 0 elsewhere).
 * @example const { loss, grad } = nllLossWithGrad(logProbs, labels, { shape: [8, 5, 32, 32] });
 */
export const nllLossWithGrad: MulticlassLossWithGradFn<NllOptions, IndexArray> = (input, target, options) =>
  multiclass("nllLossWithGrad", input, target, options, true, true) as never;

type SoftmaxKernel = (x: number, out: number, N: number, C: number, D: number, log: number) => void;

function softmaxOf(fn: string, input: unknown, opts: SoftmaxOptions | undefined, log: boolean): Float32Array {
  const f = new Frame(fn);
  const o = options(fn, opts);
  const x = floatArray(fn, "input", input);
  const X = f.f32("input", x);
  const lay = layout(fn, x.length, o);
  const into = outputArray(fn, "out", o.out, x.length);
  const O = f.out("out", x.length, apart(fn, "out", into, { input: x }, f.m.memory.buffer));
  f.commit();
  (f.m.kernels.softmax as SoftmaxKernel)(X.ptr, O.ptr, lay.N, lay.C, lay.D, log ? 1 : 0);
  return f.result(O);
}

/**
 * Softmax over the class dim, stable for any input (the row max is subtracted).
 * @example softmax([1, 2, 3, 1, 1, 1], { classes: 3 }) // [0.090, 0.245, 0.665, 1/3, 1/3, 1/3]
 */
export function softmax(input: FloatArrayLike, options: SoftmaxOptions): Float32Array {
  return softmaxOf("softmax", input, options, false);
}

/**
 * Log-softmax over the class dim: `(x − max) − log Σ exp(x − max)`, finite for any finite input.
 * @example logSoftmax(new Float32Array([0, 1e4]), { shape: [2] }) // [-10000, 0]
 */
export function logSoftmax(input: FloatArrayLike, options: SoftmaxOptions): Float32Array {
  return softmaxOf("logSoftmax", input, options, true);
}
