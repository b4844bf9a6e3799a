// Margin losses of one score per element (torch.nn.functional.soft_margin_loss,
// multilabel_soft_margin_loss, hinge_embedding_loss, margin_ranking_loss): thin wrappers over
// assembly/margin.ts and, for marginRankingLoss, assembly/threeinput.ts.

import {
  callOptions,
  defineLoss,
  defineWithGrad,
  defineWithGrads,
  type Call,
  type Computed,
} from "./define";
import { COUNT, Launch, NONE, pieceSize, unitsPerPiece } from "./dispatch";
import { rangeError } from "./errors";
import { MARGIN, THREE_INPUT } from "./kernels";
import { pairArgs, pointwise } from "./pointwise";
import type { FloatArrayLike, GradOptions, GradsOptions, LossOptions, Pair } from "./types";
import {
  finiteNumber,
  float32,
  floatArray,
  outputs,
  reduction,
  rowLength,
  sameLength,
} from "./validate";

const softMargin = (call: Call, [x, y]: Pair, o: unknown) =>
  pointwise(call, "marginPointwise", pairArgs(call, x, y, o), 0, MARGIN.softMargin);

/**
 * Two-class logistic loss `log(1 + exp(−target · input))` per element, target ±1. Finite and
 * exact for any input (where PyTorch's float32 `log1p(exp(·))` overflows, past −target·input
 * > 88.7, this returns the exact softplus).
 * @example softMarginLoss([2, -1], [1, -1]) // (log(1 + e^-2) + log(1 + e^-1)) / 2
 */
export const softMarginLoss = defineLoss<Pair, LossOptions>("softMarginLoss", 2, softMargin);

/**
 * {@link softMarginLoss} and its gradient `−target · sigmoid(−target · input)`, in one pass.
 * @example const { loss, grad } = softMarginLossWithGrad(scores, labels);
 */
export const softMarginLossWithGrad = defineWithGrad<Pair, GradOptions>(
  "softMarginLoss",
  2,
  softMargin,
);

// ---------------------------------------------------------------------------------------------

export interface HingeEmbeddingOptions {
  /** The margin for target −1 (any finite number; negative is legal). Default 1. */
  margin?: number;
}

function hinge(call: Call, [x, y]: Pair, opts: unknown): Computed {
  const p = pairArgs<HingeEmbeddingOptions>(call, x, y, opts);
  return pointwise(
    call,
    "marginPointwise",
    p,
    finiteNumber(call.fn, "margin", p.o.margin, 1),
    MARGIN.hingeEmbedding,
  );
}

/**
 * Hinge embedding loss: `input` where target is 1, `max(0, margin − input)` where it is −1
 * (input is typically a distance). At `input === margin` the loss is 0 and the gradient −1
 * (PyTorch's clamp_min).
 * @example hingeEmbeddingLoss([0.3, 0.2], [1, -1]) // (0.3 + 0.8) / 2
 */
export const hingeEmbeddingLoss = defineLoss<Pair, LossOptions & HingeEmbeddingOptions>(
  "hingeEmbeddingLoss",
  2,
  hinge,
);

/**
 * {@link hingeEmbeddingLoss} and its gradient (1 where target is 1, −1 where target is −1 and
 * input <= margin, else 0), in one pass.
 * @example const { loss, grad } = hingeEmbeddingLossWithGrad(dist, same, { margin: 2 });
 */
export const hingeEmbeddingLossWithGrad = defineWithGrad<Pair, GradOptions & HingeEmbeddingOptions>(
  "hingeEmbeddingLoss",
  2,
  hinge,
);

// ---------------------------------------------------------------------------------------------

export interface MarginRankingOptions {
  /** Required advantage of the preferred input (any finite number). Default 0. */
  margin?: number;
}

type Ranked = [input1: FloatArrayLike, input2: FloatArrayLike, target: FloatArrayLike];

function marginRanking(call: Call, [input1, input2, target]: Ranked, opts: unknown): Computed {
  const { fn, withGrad } = call;
  const o = callOptions<MarginRankingOptions & GradsOptions>(call, opts);
  const x1 = floatArray(fn, "input1", input1);
  const x2 = floatArray(fn, "input2", input2);
  const y = floatArray(fn, "target", target);
  sameLength(fn, "input1", x1.length, "input2", x2.length);
  sameLength(fn, "input1", x1.length, "target", y.length);
  const n = x1.length;
  const red = reduction(fn, o.reduction);
  const margin = finiteNumber(fn, "margin", o.margin, 0);
  const { lossInto, go, into } = outputs(fn, o, red, n, withGrad, ["input1", "input2"], [n, n]);
  const L = new Launch(fn, true);
  const X1 = L.input("input1", x1, 1);
  const X2 = L.input("input2", x2, 1);
  const Y = L.input("target", y, 1);
  const LO = red === "none" ? L.output("lossInto", 1, lossInto) : NONE;
  const G1 = withGrad ? L.output("gradsInto[0]", 1, into[0]) : NONE;
  const G2 = withGrad ? L.output("gradsInto[1]", 1, into[1]) : NONE;
  const GO = go ? L.input("gradOutput", go, 1) : NONE;
  const scale = red === "mean" ? 1 / n : 1;
  const total = L.run(
    "threeInput",
    [X1, X2, Y, 1, COUNT, 0, LO, G1, G2, GO, scale, margin, THREE_INPUT.marginRanking],
    { units: n, perPiece: pieceSize() },
  );
  return {
    reduction: red,
    total,
    count: n,
    loss: LO === NONE ? undefined : L.result(LO),
    grads: G1 === NONE || G2 === NONE ? [] : [L.result(G1), L.result(G2)],
  };
}

/**
 * Margin ranking loss `max(0, −target · (input1 − input2) + margin)` per element: target 1
 * means input1 should rank higher, −1 input2.
 * @example marginRankingLoss([0.9, 0.2], [0.1, 0.4], [1, -1], { margin: 0.5 }) // (0 + 0.3) / 2
 */
export const marginRankingLoss = defineLoss<Ranked, LossOptions & MarginRankingOptions>(
  "marginRankingLoss",
  3,
  marginRanking,
);

/**
 * {@link marginRankingLoss} and its gradients `[dInput1, dInput2]` (−target and target where the
 * hinge is active, its point included), in one pass.
 * @example const { loss, grads: [d1, d2] } = marginRankingLossWithGrad(s1, s2, y, { gradsInto: [g1, g2] });
 */
export const marginRankingLossWithGrad = defineWithGrads<
  Ranked,
  GradsOptions & MarginRankingOptions
>("marginRankingLoss", 3, marginRanking);

// ---------------------------------------------------------------------------------------------

export interface MultiLabelSoftMarginOptions {
  /** Row length C (required): input and target are [length / C, C]. */
  classes: number;
  /** One weight per class (length C). */
  weight?: FloatArrayLike;
}

function multiLabelSoftMargin(call: Call, [input, target]: Pair, opts: unknown): Computed {
  const { fn, withGrad } = call;
  const o = callOptions<MultiLabelSoftMarginOptions & GradOptions>(call, opts);
  const x = floatArray(fn, "input", input);
  const t = floatArray(fn, "target", target);
  sameLength(fn, "input", x.length, "target", t.length);
  const n = x.length;
  const C = rowLength(fn, "classes", o.classes, n);
  const w = o.weight === undefined ? null : float32(fn, "weight", o.weight);
  if (w && w.length !== C)
    throw rangeError(
      fn,
      "weight",
      `of length classes = ${C} (one weight per class)`,
      `length ${w.length}`,
    );
  const red = reduction(fn, o.reduction);
  const rows = n / C;
  const { lossInto, go, into } = outputs(fn, o, red, rows, withGrad, ["input"], [n]);
  const L = new Launch(fn);
  const X = L.input("input", x, C);
  const T = L.input("target", t, C);
  const W = w ? L.whole("weight", w) : NONE;
  const LO = red === "none" ? L.output("lossInto", 1, lossInto) : NONE;
  const G = withGrad ? L.output("gradInto", C, into[0]) : NONE;
  const GO = go ? L.input("gradOutput", go, 1) : NONE;
  const scale = red === "mean" ? 1 / rows : 1;
  const total = L.run("multiLabelSoftMargin", [X, T, W, COUNT, C, LO, G, GO, scale], {
    units: rows,
    perPiece: unitsPerPiece(C),
  });
  return {
    reduction: red,
    total,
    count: rows,
    loss: LO === NONE ? undefined : L.result(LO),
    grads: G === NONE ? [] : [L.result(G)],
  };
}

/**
 * Multi-label one-versus-all logistic loss over rows of `classes` scores, target 0/1 per class:
 * per row `mean_j w_j · (t log σ(x) + (1 − t) log σ(−x))` negated. The unreduced loss (and
 * `gradOutput`, `lossInto`) has one value per row.
 * @example multiLabelSoftMarginLoss(logits, labels, { classes: 5 }) // labels: 0/1, logits.length / 5 rows
 */
export const multiLabelSoftMarginLoss = defineLoss<Pair, LossOptions & MultiLabelSoftMarginOptions>(
  "multiLabelSoftMarginLoss",
  2,
  multiLabelSoftMargin,
);

/**
 * {@link multiLabelSoftMarginLoss} and its gradient `w_j (σ(x) − t) / C` times the row's upstream
 * gradient, in one pass.
 * @example const { loss, grad } = multiLabelSoftMarginLossWithGrad(logits, labels, { classes: 5, weight });
 */
export const multiLabelSoftMarginLossWithGrad = defineWithGrad<
  Pair,
  GradOptions & MultiLabelSoftMarginOptions
>("multiLabelSoftMarginLoss", 2, multiLabelSoftMargin);
