// Multi-class hinge losses over rows of class scores (torch.nn.functional.multi_margin_loss,
// multilabel_margin_loss): thin wrappers over assembly/ranking.ts.

import { callOptions, defineLoss, defineWithGrad, type Call, type Computed } from "./define";
import { COUNT, Launch, NONE, unitsPerPiece } from "./dispatch";
import { rangeError, typeError } from "./errors";
import { indexArray } from "./indices";
import { typedSource } from "./targets";
import type { FloatArrayLike, GradOptions, IndexArray, LossOptions } from "./types";
import {
  finiteNumber,
  float32,
  floatArray,
  outputs,
  reduction,
  rowLength,
  type FloatArray,
} from "./validate";

export interface MultiMarginOptions {
  /** Classes per row (C): the input is viewed as [rows, C]. Required. */
  classes: number;
  /** The exponent of the hinge, 1 (default) or 2. */
  p?: 1 | 2;
  /** Default 1; any finite number. */
  margin?: number;
  /** One weight per class (length C), applied as w[target] to the whole row. */
  weight?: FloatArrayLike;
}

export interface MultiLabelMarginOptions {
  /** Classes per row (C): the input is viewed as [rows, C]. Required. */
  classes: number;
}

type Args = [input: FloatArrayLike, target: IndexArray];

/** The common start of both: options, input rows of `classes`, reduction, outputs. */
function rows<O>(call: Call, input: unknown, opts: unknown) {
  const o = callOptions<O & GradOptions & { classes?: unknown }>(call, opts);
  const x: FloatArray = floatArray(call.fn, "input", input);
  const C = rowLength(call.fn, "classes", o.classes, x.length);
  const red = reduction(call.fn, o.reduction);
  return { o, x, C, n: x.length / C, red };
}

function multiMargin(call: Call, [input, target]: Args, opts: unknown): Computed {
  const { fn, withGrad } = call;
  const { o, x, C, n, red } = rows<MultiMarginOptions>(call, input, opts);
  const p = o.p ?? 1;
  if (typeof p !== "number") throw typeError(fn, "p", "1 or 2", p);
  if (p !== 1 && p !== 2) throw rangeError(fn, "p", "1 or 2", String(p));
  const margin = finiteNumber(fn, "margin", o.margin, 1);
  const w = o.weight === undefined ? undefined : float32(fn, "weight", o.weight);
  if (w && w.length !== C)
    throw rangeError(fn, "weight", `of length ${C} (one weight per class)`, `length ${w.length}`);
  const y = indexArray(fn, "target", target, {
    length: n,
    lengthMeaning: "one class index per row",
    min: 0,
    max: C,
  });
  const { lossInto, go, into } = outputs(fn, o, red, n, withGrad, ["input"], [x.length]);
  const L = new Launch(fn);
  const X = L.input("input", x, C);
  const Y = L.indices("target", typedSource(y), 1);
  const W = w ? L.whole("weight", w) : NONE;
  const LO = red === "none" ? L.output("lossInto", 1, lossInto) : NONE;
  const G = withGrad ? L.output("gradInto", C, into[0]) : NONE;
  const GO = go ? L.input("gradOutput", go, 1) : NONE;
  const scale = red === "mean" ? 1 / n : 1;
  const total = L.run("multiMargin", [X, Y, COUNT, C, W, LO, G, GO, scale, p, margin], {
    units: n,
    perPiece: unitsPerPiece(C),
  });
  return {
    reduction: red,
    total,
    count: n,
    loss: LO === NONE ? undefined : L.result(LO),
    grads: G === NONE ? [] : [L.result(G)],
  };
}

/**
 * Multi-class hinge loss (torch.nn.functional.multi_margin_loss): per row of C scores x with
 * target class y, `Σ_{i≠y} w[y]·max(0, margin − x[y] + x[i])^p / C`. `"mean"` divides by rows.
 * @example multiMarginLoss([0.1, 0.2, 0.4, 0.8], [3], { classes: 4 }) // (0.3 + 0.4 + 0.6) / 4 = 0.325
 */
export const multiMarginLoss = defineLoss<Args, LossOptions & MultiMarginOptions>(
  "multiMarginLoss",
  2,
  multiMargin,
);

/**
 * {@link multiMarginLoss} and its gradient in one pass (only where the hinge's argument is > 0).
 * @example const { loss, grad } = multiMarginLossWithGrad(scores, labels, { classes: 10, p: 2 });
 */
export const multiMarginLossWithGrad = defineWithGrad<Args, GradOptions & MultiMarginOptions>(
  "multiMarginLoss",
  2,
  multiMargin,
);

function multiLabelMargin(call: Call, [input, target]: Args, opts: unknown): Computed {
  const { fn, withGrad } = call;
  const { o, x, C, n, red } = rows<MultiLabelMarginOptions>(call, input, opts);
  const y = indexArray(fn, "target", target, {
    length: x.length,
    lengthMeaning: "the input's length: per row, its class indices ended by -1",
    min: -1,
    max: C,
  });
  const { lossInto, go, into } = outputs(fn, o, red, n, withGrad, ["input"], [x.length]);
  const L = new Launch(fn);
  const X = L.input("input", x, C);
  const Y = L.indices("target", typedSource(y), C);
  const mask = L.temp(C * 4);
  const LO = red === "none" ? L.output("lossInto", 1, lossInto) : NONE;
  const G = withGrad ? L.output("gradInto", C, into[0]) : NONE;
  const GO = go ? L.input("gradOutput", go, 1) : NONE;
  const scale = red === "mean" ? 1 / n : 1;
  const total = L.run("multiLabelMargin", [X, Y, COUNT, C, mask, LO, G, GO, scale], {
    units: n,
    perPiece: unitsPerPiece(C),
  });
  return {
    reduction: red,
    total,
    count: n,
    loss: LO === NONE ? undefined : L.result(LO),
    grads: G === NONE ? [] : [L.result(G)],
  };
}

/**
 * Multi-label hinge loss (torch.nn.functional.multilabel_margin_loss): `target` has the input's
 * length; each row lists its target classes and ends at its first −1 (later entries are ignored
 * but must lie in [−1, C)). Per row: `Σ_{j target} Σ_{i not a target} max(0, 1 − x[j] + x[i]) / C`;
 * a class listed twice counts twice.
 * @example multiLabelMarginLoss([0.1, 0.2, 0.4, 0.8], new Int32Array([3, 0, -1, 1]), { classes: 4 }) // 0.85
 */
export const multiLabelMarginLoss = defineLoss<Args, LossOptions & MultiLabelMarginOptions>(
  "multiLabelMarginLoss",
  2,
  multiLabelMargin,
);

/**
 * {@link multiLabelMarginLoss} and its gradient in one pass.
 * @example const { loss, grad } = multiLabelMarginLossWithGrad(scores, labels, { classes: 5, reduction: "sum" });
 */
export const multiLabelMarginLossWithGrad = defineWithGrad<
  Args,
  GradOptions & MultiLabelMarginOptions
>("multiLabelMarginLoss", 2, multiLabelMargin);
