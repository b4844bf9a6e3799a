// KL divergence, Poisson and Gaussian negative log likelihood (torch.nn.functional.kl_div,
// poisson_nll_loss, gaussian_nll_loss): thin wrappers over assembly/divergence.ts (KL and
// Poisson, kernel "divergence") and assembly/threeinput.ts (Gaussian).

import {
  callKernel, type GradsOptions, type Loss3Fn, type Loss3WithGradsFn,
} from "./fused";
import {
  pointwise, type GradOptions, type LossFn, type LossOptions, type LossWithGradFn,
} from "./pointwise";
import {
  boolean, finiteNumber, floatArray, options, rangeError, reduction, rowLength, sameLength,
  type FloatArrayLike, type Reduction,
} from "./validate";

// ---------------------------------------------------------------------------------------------

export interface KLDivOptions {
  /** `"mean"` (default, over elements), `"batchmean"` (sum / rows, the mathematically correct
   *  KL mean), `"sum"` or `"none"`. */
  reduction?: Reduction | "batchmean";
  /** The target holds log-probabilities. Default false. */
  logTarget?: boolean;
  /** Row length C: input is [length / C, C], and "batchmean" divides by length / C. Without it
   *  "batchmean" divides by the length (a 1-D input's batch is its length, as in PyTorch). */
  classes?: number;
}

/** @inline */
type KLReduced = { reduction?: "mean" | "sum" | "batchmean" };
/** @inline */
type KLUnreduced = { reduction: "none" };
export interface KLDivFn<O> {
  (input: FloatArrayLike, target: FloatArrayLike, options?: O & KLReduced): number;
  (input: FloatArrayLike, target: FloatArrayLike, options: O & KLUnreduced): Float32Array;
  (input: FloatArrayLike, target: FloatArrayLike, options?: O): number | Float32Array;
}
export interface KLDivWithGradFn<O> {
  (input: FloatArrayLike, target: FloatArrayLike, options?: O & KLReduced): { loss: number; grad: Float32Array };
  (input: FloatArrayLike, target: FloatArrayLike, options: O & KLUnreduced): { loss: Float32Array; grad: Float32Array };
  (input: FloatArrayLike, target: FloatArrayLike, options?: O): { loss: number | Float32Array; grad: Float32Array };
}

/** @inline */
type KLOpts = KLDivOptions & Omit<GradOptions, "reduction">;

function klDiv(fn: string, input: unknown, target: unknown, opts: KLOpts | undefined, withGrad: boolean) {
  const o = options(fn, opts);
  const x = floatArray(fn, "input", input);
  const t = floatArray(fn, "target", target);
  sameLength(fn, "input", x.length, "target", t.length);
  const n = x.length;
  const red = reduction(fn, o.reduction, ["batchmean"]) as Reduction | "batchmean";
  const logTarget = boolean(fn, "logTarget", o.logTarget, false);
  const C = o.classes === undefined ? undefined : rowLength(fn, "classes", o.classes, n);
  const rows = C === undefined ? n : n / C;
  return callKernel({
    fn, kernel: "divergence", inputs: [["input", x], ["target", t]], dims: [n], grads: [["input", n]],
    lossLength: n, divisor: red === "batchmean" ? rows : n, reduction: red === "batchmean" ? "mean" : red,
    params: [0, logTarget ? 1 : 0], // the KL modes of assembly/divergence.ts
  }, o, withGrad);
}

/**
 * Kullback–Leibler divergence of `target` from the distribution whose log-probabilities are
 * `input`: `target · (log target − input)` per element (0 where target is 0), or with
 * `logTarget` `exp(target) · (target − input)`. Use `reduction: "batchmean"` for the true KL
 * mean (sum / rows).
 * @example klDivLoss(logSoftmax(logits, { classes: 3 }), probs, { reduction: "batchmean", classes: 3 })
 */
export const klDivLoss: KLDivFn<KLDivOptions & { lossInto?: Float32Array }> = (input, target, options?) =>
  klDiv("klDivLoss", input, target, options, false) as never;

/**
 * {@link klDivLoss} and its gradient `−target` (`−exp(target)` with `logTarget`), scaled by the
 * reduction, in one pass.
 * @example const { loss, grad } = klDivLossWithGrad(logQ, p, { reduction: "batchmean", classes: 10 });
 */
export const klDivLossWithGrad: KLDivWithGradFn<KLOpts> = (input, target, options?) =>
  klDiv("klDivLossWithGrad", input, target, options, true) as never;

// ---------------------------------------------------------------------------------------------

export interface PoissonNllOptions {
  /** The input is the log of the rate (default true): loss `exp(input) − target · input`.
   *  With false: `input − target · log(input + eps)`. */
  logInput?: boolean;
  /** Add the Stirling approximation `t log t − t + ½ log(2πt)` of log(t!), where target > 1. Default false. */
  full?: boolean;
  /** Added to the input before its log when `logInput` is false; >= 0. Default 1e-8. */
  eps?: number;
}

function poissonParams(fn: string, opts: PoissonNllOptions | undefined): [number, number] {
  const o = options(fn, opts);
  const logInput = boolean(fn, "logInput", o.logInput, true);
  const full = boolean(fn, "full", o.full, false);
  const eps = finiteNumber(fn, "eps", o.eps, 1e-8, (e) => e >= 0, "a finite number >= 0");
  return [eps, (logInput ? 4 : 2) + (full ? 1 : 0)]; // the Poisson modes of assembly/divergence.ts
}

/**
 * Poisson negative log likelihood of counts `target` under rates given by `input` (their logs
 * by default).
 * @example poissonNllLoss([0, Math.log(2)], [1, 3]) // mean of exp(x) − t·x
 */
export const poissonNllLoss: LossFn<LossOptions & PoissonNllOptions> = (input, target, options?) =>
  pointwise("poissonNllLoss", "divergence", input, target, options, false, ...poissonParams("poissonNllLoss", options)) as never;

/**
 * {@link poissonNllLoss} and its gradient (`exp(input) − target`, or `1 − target / (input + eps)`
 * without `logInput`), in one pass.
 * @example const { loss, grad } = poissonNllLossWithGrad(logRate, counts, { full: true });
 */
export const poissonNllLossWithGrad: LossWithGradFn<GradOptions & PoissonNllOptions> = (input, target, options?) =>
  pointwise("poissonNllLossWithGrad", "divergence", input, target, options, true, ...poissonParams("poissonNllLossWithGrad", options)) as never;

// ---------------------------------------------------------------------------------------------

export interface GaussianNllOptions {
  /** Add the constant ½ log(2π) to each loss. Default false. */
  full?: boolean;
  /** Variances are clamped below at eps (the gradient still flows); >= 0. Default 1e-6. */
  eps?: number;
  /** Row length C: `variance` may then hold one value per row (length / C values). */
  classes?: number;
  reduction?: Reduction;
}

function gaussianNll(
  fn: string, input: unknown, target: unknown, variance: unknown, opts: (GaussianNllOptions & GradsOptions) | undefined, withGrad: boolean,
) {
  const o = options(fn, opts);
  const x = floatArray(fn, "input", input);
  const t = floatArray(fn, "target", target);
  const v = floatArray(fn, "variance", variance);
  sameLength(fn, "input", x.length, "target", t.length);
  const n = x.length;
  const C = o.classes === undefined ? undefined : rowLength(fn, "classes", o.classes, n);
  const rows = C === undefined ? 1 : n / C;
  const perRow = C !== undefined && v.length === rows && v.length !== n;
  if (v.length !== n && !perRow) {
    const expected = C === undefined
      ? `of the input's length ${n} (or one value per row with 'classes')`
      : `of the input's length ${n} or one value per row (${rows} rows of ${C})`;
    throw rangeError(fn, "variance", expected, `length ${v.length}`);
  }
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0) throw rangeError(fn, "variance", "non-negative everywhere", `${v[i]} at index ${i}`);
  }
  const full = boolean(fn, "full", o.full, false);
  const eps = finiteNumber(fn, "eps", o.eps, 1e-6, (e) => e >= 0, "a finite number >= 0");
  const red = reduction(fn, o.reduction);
  return callKernel({
    fn, kernel: "threeInput", inputs: [["input", x], ["variance", v], ["target", t]],
    dims: perRow ? [rows, C!, 1] : [1, n, 0], grads: [["input", n], ["variance", v.length]],
    lossLength: n, divisor: n, reduction: red, params: [eps, full ? 1 : 0], // modes of assembly/threeinput.ts
  }, o, withGrad);
}

/**
 * Gaussian negative log likelihood of `target` under N(input, variance):
 * `½ (log max(var, eps) + (input − target)² / max(var, eps))` per element (+ ½ log 2π with
 * `full`). `variance` has the input's length, or one value per row with `classes`.
 * @example gaussianNllLoss(mu, y, sigma2)  // sigma2.length === mu.length
 * @example gaussianNllLoss(mu, y, rowVar, { classes: 4 })  // one variance per row of 4
 */
export const gaussianNllLoss: Loss3Fn<GaussianNllOptions & { lossInto?: Float32Array }> = (input, target, variance, options?) =>
  gaussianNll("gaussianNllLoss", input, target, variance, options, false) as never;

/**
 * {@link gaussianNllLoss} and its gradients `[dInput, dVariance]` in one pass:
 * dInput = d / v, dVariance = ½ (1/v − d²/v²) at v = max(var, eps) (the clamp does not stop the
 * gradient, as in PyTorch); a per-row variance gets the sum over its row.
 * @example const { loss, grads: [dMu, dVar] } = gaussianNllLossWithGrad(mu, y, sigma2);
 */
export const gaussianNllLossWithGrad: Loss3WithGradsFn<GaussianNllOptions & GradsOptions> = (input, target, variance, options?) =>
  gaussianNll("gaussianNllLossWithGrad", input, target, variance, options, true) as never;

