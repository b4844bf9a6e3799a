// KL divergence, Poisson and Gaussian negative log likelihood (torch.nn.functional.kl_div,
// poisson_nll_loss, gaussian_nll_loss): thin wrappers over assembly/divergence.ts (KL and
// Poisson, kernel "divergence") and assembly/threeinput.ts (Gaussian).

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
import { DIVERGENCE, THREE_INPUT } from "./kernels";
import { pairArgs, pointwise } from "./pointwise";
import type {
  FloatArrayLike,
  GradOptions,
  GradsOptions,
  LossOptions,
  Pair,
  Reduction,
} from "./types";
import {
  boolean,
  finiteNumber,
  floatArray,
  outputs,
  reduction,
  rowLength,
  sameLength,
} from "./validate";

export interface KLDivOptions {
  /** `"mean"` (default, over elements), `"batchmean"` (sum / rows, the mathematically correct
   *  KL mean), `"sum"` or `"none"`. */
  reduction?: Reduction | "batchmean";
  /** The target holds log-probabilities. Default false. */
  logTarget?: boolean;
  /** Row length C: input is [length / C, C], and "batchmean" divides by length / C. Without it
   *  "batchmean" divides by the length (a 1-D input's batch is its length, as in PyTorch). */
  classes?: number;
  /** Write the unreduced losses here (reduction `"none"`) instead of allocating. */
  lossInto?: Float32Array;
}

function klDiv(call: Call, [x, t]: Pair, opts: unknown): Computed {
  const p = pairArgs<KLDivOptions>(call, x, t, opts);
  const red = reduction(call.fn, p.o.reduction, ["batchmean"]);
  const logTarget = boolean(call.fn, "logTarget", p.o.logTarget, false);
  const C = p.o.classes === undefined ? undefined : rowLength(call.fn, "classes", p.o.classes, p.n);
  const rows = C === undefined ? p.n : p.n / C;
  return red === "batchmean"
    ? pointwise(call, "divergence", p, 0, DIVERGENCE.kl(logTarget), "mean", rows)
    : pointwise(call, "divergence", p, 0, DIVERGENCE.kl(logTarget), red);
}

/**
 * Kullback–Leibler divergence of `target` from the distribution whose log-probabilities are
 * `input`: `target · (log target − input)` per element (0 where target is 0), or with
 * `logTarget` `exp(target) · (target − input)`. Use `reduction: "batchmean"` for the true KL
 * mean (sum / rows).
 * @example klDivLoss(logSoftmax(logits, { classes: 3 }), probs, { reduction: "batchmean", classes: 3 })
 */
export const klDivLoss = defineLoss<Pair, KLDivOptions>("klDivLoss", 2, klDiv);

/**
 * {@link klDivLoss} and its gradient `−target` (`−exp(target)` with `logTarget`), scaled by the
 * reduction, in one pass.
 * @example const { loss, grad } = klDivLossWithGrad(logQ, p, { reduction: "batchmean", classes: 10 });
 */
export const klDivLossWithGrad = defineWithGrad<
  Pair,
  KLDivOptions & Omit<GradOptions, "reduction">
>("klDivLoss", 2, klDiv);

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

function poisson(call: Call, [x, t]: Pair, opts: unknown): Computed {
  const p = pairArgs<PoissonNllOptions>(call, x, t, opts);
  const logInput = boolean(call.fn, "logInput", p.o.logInput, true);
  const full = boolean(call.fn, "full", p.o.full, false);
  const eps = finiteNumber(call.fn, "eps", p.o.eps, 1e-8, (e) => e >= 0, "a finite number >= 0");
  return pointwise(call, "divergence", p, eps, DIVERGENCE.poisson(logInput, full));
}

/**
 * Poisson negative log likelihood of counts `target` under rates given by `input` (their logs
 * by default).
 * @example poissonNllLoss([0, Math.log(2)], [1, 3]) // mean of exp(x) − t·x
 */
export const poissonNllLoss = defineLoss<Pair, LossOptions & PoissonNllOptions>(
  "poissonNllLoss",
  2,
  poisson,
);

/**
 * {@link poissonNllLoss} and its gradient (`exp(input) − target`, or `1 − target / (input + eps)`
 * without `logInput`), in one pass.
 * @example const { loss, grad } = poissonNllLossWithGrad(logRate, counts, { full: true });
 */
export const poissonNllLossWithGrad = defineWithGrad<Pair, GradOptions & PoissonNllOptions>(
  "poissonNllLoss",
  2,
  poisson,
);

// ---------------------------------------------------------------------------------------------

export interface GaussianNllOptions {
  /** Add the constant ½ log(2π) to each loss. Default false. */
  full?: boolean;
  /** Variances are clamped below at eps (the gradient still flows); >= 0. Default 1e-6. */
  eps?: number;
  /** Row length C: `variance` may then hold one value per row (length / C values). */
  classes?: number;
}

type Triple = [input: FloatArrayLike, target: FloatArrayLike, variance: FloatArrayLike];

function gaussianNll(call: Call, [input, target, variance]: Triple, opts: unknown): Computed {
  const { fn, withGrad } = call;
  const o = callOptions<GaussianNllOptions & GradsOptions>(call, opts);
  const x = floatArray(fn, "input", input);
  const t = floatArray(fn, "target", target);
  const v = floatArray(fn, "variance", variance);
  sameLength(fn, "input", x.length, "target", t.length);
  const n = x.length;
  const C = o.classes === undefined ? undefined : rowLength(fn, "classes", o.classes, n);
  const rows = C === undefined ? 1 : n / C;
  const perRow = C !== undefined && v.length === rows && v.length !== n;
  if (v.length !== n && !perRow) {
    const expected =
      C === undefined
        ? `of the input's length ${n} (or one value per row with 'classes')`
        : `of the input's length ${n} or one value per row (${rows} rows of ${C})`;
    throw rangeError(fn, "variance", expected, `length ${v.length}`);
  }
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0)
      throw rangeError(fn, "variance", "non-negative everywhere", `${v[i]} at index ${i}`);
  }
  const full = boolean(fn, "full", o.full, false);
  const eps = finiteNumber(fn, "eps", o.eps, 1e-6, (e) => e >= 0, "a finite number >= 0");
  const red = reduction(fn, o.reduction);
  const { lossInto, go, into } = outputs(
    fn,
    o,
    red,
    n,
    withGrad,
    ["input", "variance"],
    [n, v.length],
  );
  // Units: rows of C with a variance per row (its gradient sums the row), else elements.
  const width = perRow ? C! : 1;
  const L = new Launch(fn, true);
  const X = L.input("input", x, width);
  const V = L.input("variance", v, 1);
  const T = L.input("target", t, width);
  const LO = red === "none" ? L.output("lossInto", width, lossInto) : NONE;
  const GX = withGrad ? L.output("gradsInto[0]", width, into[0]) : NONE;
  const GV = withGrad ? L.output("gradsInto[1]", 1, into[1]) : NONE;
  const GO = go ? L.input("gradOutput", go, width) : NONE;
  const scale = red === "mean" ? 1 / n : 1;
  const mode = THREE_INPUT.gaussianNll(full);
  const total = perRow
    ? L.run("threeInput", [X, V, T, COUNT, C!, 1, LO, GX, GV, GO, scale, eps, mode], {
        units: rows,
        perPiece: unitsPerPiece(C!),
      })
    : L.run("threeInput", [X, V, T, 1, COUNT, 0, LO, GX, GV, GO, scale, eps, mode], {
        units: n,
        perPiece: pieceSize(),
      });
  return {
    reduction: red,
    total,
    count: n,
    loss: LO === NONE ? undefined : L.result(LO),
    grads: GX === NONE || GV === NONE ? [] : [L.result(GX), L.result(GV)],
  };
}

/**
 * Gaussian negative log likelihood of `target` under N(input, variance):
 * `½ (log max(var, eps) + (input − target)² / max(var, eps))` per element (+ ½ log 2π with
 * `full`). `variance` has the input's length, or one value per row with `classes`.
 * @example gaussianNllLoss(mu, y, sigma2)  // sigma2.length === mu.length
 * @example gaussianNllLoss(mu, y, rowVar, { classes: 4 })  // one variance per row of 4
 */
export const gaussianNllLoss = defineLoss<Triple, LossOptions & GaussianNllOptions>(
  "gaussianNllLoss",
  3,
  gaussianNll,
);

/**
 * {@link gaussianNllLoss} and its gradients `[dInput, dVariance]` in one pass:
 * dInput = d / v, dVariance = ½ (1/v − d²/v²) at v = max(var, eps) (the clamp does not stop the
 * gradient, as in PyTorch); a per-row variance gets the sum over its row.
 * @example const { loss, grads: [dMu, dVar] } = gaussianNllLossWithGrad(mu, y, sigma2);
 */
export const gaussianNllLossWithGrad = defineWithGrads<Triple, GradsOptions & GaussianNllOptions>(
  "gaussianNllLoss",
  3,
  gaussianNll,
);
