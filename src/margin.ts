// Margin losses of one score per element (torch.nn.functional.soft_margin_loss,
// multilabel_soft_margin_loss, hinge_embedding_loss, margin_ranking_loss): thin wrappers over
// assembly/margin.ts and, for marginRankingLoss, assembly/threeinput.ts.

import {
  callKernel, type GradsOptions, type Loss3Fn, type Loss3WithGradsFn,
} from "./fused";
import {
  pointwise, type GradOptions, type LossFn, type LossOptions, type LossWithGradFn,
} from "./pointwise";
import {
  finiteNumber, floatArray, options, rangeError, reduction, rowLength, sameLength, type FloatArrayLike, type Reduction,
} from "./validate";

// The modes of assembly/margin.ts's marginPointwise kernel.
const SOFT_MARGIN = 0;
const HINGE = 1;

/**
 * Two-class logistic loss `log(1 + exp(−target · input))` per element, target ±1. Finite and
 * exact for any input (where PyTorch's float32 `log1p(exp(·))` overflows, past −target·input
 * > 88.7, this returns the exact softplus).
 * @example softMarginLoss([2, -1], [1, -1]) // (log(1 + e^-2) + log(1 + e^-1)) / 2
 */
export const softMarginLoss: LossFn<LossOptions> = (input, target, options?: LossOptions) =>
  pointwise("softMarginLoss", "marginPointwise", input, target, options, false, 0, SOFT_MARGIN) as never;

/**
 * {@link softMarginLoss} and its gradient `−target · sigmoid(−target · input)`, in one pass.
 * @example const { loss, grad } = softMarginLossWithGrad(scores, labels);
 */
export const softMarginLossWithGrad: LossWithGradFn<GradOptions> = (input, target, options?: GradOptions) =>
  pointwise("softMarginLossWithGrad", "marginPointwise", input, target, options, true, 0, SOFT_MARGIN) as never;

// ---------------------------------------------------------------------------------------------

export interface HingeEmbeddingOptions {
  /** The margin for target −1 (any finite number; negative is legal). Default 1. */
  margin?: number;
}

const margin = (fn: string, o: { margin?: number } | undefined, fallback: number): number =>
  finiteNumber(fn, "margin", options(fn, o).margin, fallback);

/**
 * Hinge embedding loss: `input` where target is 1, `max(0, margin − input)` where it is −1
 * (input is typically a distance). At `input === margin` the loss is 0 and the gradient −1
 * (PyTorch's clamp_min).
 * @example hingeEmbeddingLoss([0.3, 0.2], [1, -1]) // (0.3 + 0.8) / 2
 */
export const hingeEmbeddingLoss: LossFn<LossOptions & HingeEmbeddingOptions> = (input, target, options?) =>
  pointwise("hingeEmbeddingLoss", "marginPointwise", input, target, options, false, margin("hingeEmbeddingLoss", options, 1), HINGE) as never;

/**
 * {@link hingeEmbeddingLoss} and its gradient (1 where target is 1, −1 where target is −1 and
 * input <= margin, else 0), in one pass.
 * @example const { loss, grad } = hingeEmbeddingLossWithGrad(dist, same, { margin: 2 });
 */
export const hingeEmbeddingLossWithGrad: LossWithGradFn<GradOptions & HingeEmbeddingOptions> = (input, target, options?) =>
  pointwise("hingeEmbeddingLossWithGrad", "marginPointwise", input, target, options, true, margin("hingeEmbeddingLossWithGrad", options, 1), HINGE) as never;

// ---------------------------------------------------------------------------------------------

export interface MarginRankingOptions {
  /** Required advantage of the preferred input (any finite number). Default 0. */
  margin?: number;
  reduction?: Reduction;
}

function marginRanking(
  fn: string, input1: unknown, input2: unknown, target: unknown, opts: (MarginRankingOptions & GradsOptions) | undefined, withGrad: boolean,
) {
  const o = options(fn, opts);
  const x1 = floatArray(fn, "input1", input1);
  const x2 = floatArray(fn, "input2", input2);
  const y = floatArray(fn, "target", target);
  sameLength(fn, "input1", x1.length, "input2", x2.length);
  sameLength(fn, "input1", x1.length, "target", y.length);
  const n = x1.length;
  const red = reduction(fn, o.reduction);
  return callKernel({
    fn, kernel: "threeInput", inputs: [["input1", x1], ["input2", x2], ["target", y]],
    dims: [1, n, 0], grads: [["input1", n], ["input2", n]], lossLength: n, divisor: n, reduction: red,
    params: [margin(fn, o, 0), 2], // mode 2 of assembly/threeinput.ts
  }, o, withGrad);
}

/**
 * Margin ranking loss `max(0, −target · (input1 − input2) + margin)` per element: target 1
 * means input1 should rank higher, −1 input2.
 * @example marginRankingLoss([0.9, 0.2], [0.1, 0.4], [1, -1], { margin: 0.5 }) // (0 + 0.3) / 2
 */
export const marginRankingLoss: Loss3Fn<MarginRankingOptions & { lossInto?: Float32Array }> = (input1, input2, target, options?) =>
  marginRanking("marginRankingLoss", input1, input2, target, options, false) as never;

/**
 * {@link marginRankingLoss} and its gradients `[dInput1, dInput2]` (−target and target where the
 * hinge is active, its point included), in one pass.
 * @example const { loss, grads: [d1, d2] } = marginRankingLossWithGrad(s1, s2, y, { gradsInto: [g1, g2] });
 */
export const marginRankingLossWithGrad: Loss3WithGradsFn<MarginRankingOptions & GradsOptions> = (input1, input2, target, options?) =>
  marginRanking("marginRankingLossWithGrad", input1, input2, target, options, true) as never;

// ---------------------------------------------------------------------------------------------

export interface MultiLabelSoftMarginOptions {
  /** Row length C (required): input and target are [length / C, C]. */
  classes: number;
  /** One weight per class (length C). */
  weight?: FloatArrayLike;
}

type MLSMOpts = MultiLabelSoftMarginOptions & GradOptions;

function multiLabelSoftMargin(fn: string, input: unknown, target: unknown, opts: MLSMOpts | undefined, withGrad: boolean) {
  const o = options(fn, opts);
  const x = floatArray(fn, "input", input);
  const t = floatArray(fn, "target", target);
  sameLength(fn, "input", x.length, "target", t.length);
  const n = x.length;
  const C = rowLength(fn, "classes", o.classes, n);
  const w = o.weight === undefined ? null : floatArray(fn, "weight", o.weight);
  if (w && w.length !== C) throw rangeError(fn, "weight", `of length classes = ${C} (one weight per class)`, `length ${w.length}`);
  const red = reduction(fn, o.reduction);
  const rows = n / C;
  return callKernel({
    fn, kernel: "multiLabelSoftMargin", inputs: [["input", x], ["target", t], ["weight", w]],
    dims: [rows, C], grads: [["input", n]], lossLength: rows, divisor: rows, reduction: red, params: [],
  }, o, withGrad);
}

/**
 * Multi-label one-versus-all logistic loss over rows of `classes` scores, target 0/1 per class:
 * per row `mean_j w_j · (t log σ(x) + (1 − t) log σ(−x))` negated. The unreduced loss (and
 * `gradOutput`, `lossInto`) has one value per row.
 * @example multiLabelSoftMarginLoss(logits, labels, { classes: 5 }) // labels: 0/1, logits.length / 5 rows
 */
export const multiLabelSoftMarginLoss: LossFn<LossOptions & MultiLabelSoftMarginOptions> = (input, target, options?) =>
  multiLabelSoftMargin("multiLabelSoftMarginLoss", input, target, options, false) as never;

/**
 * {@link multiLabelSoftMarginLoss} and its gradient `w_j (σ(x) − t) / C` times the row's upstream
 * gradient, in one pass.
 * @example const { loss, grad } = multiLabelSoftMarginLossWithGrad(logits, labels, { classes: 5, weight });
 */
export const multiLabelSoftMarginLossWithGrad: LossWithGradFn<GradOptions & MultiLabelSoftMarginOptions> = (input, target, options?) =>
  multiLabelSoftMargin("multiLabelSoftMarginLossWithGrad", input, target, options, true) as never;
