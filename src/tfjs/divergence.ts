// Twins of klDivLoss, poissonNllLoss and gaussianNllLoss.

import * as core from "../index";
import type {
  GaussianNllOptions as CoreGaussianNllOptions,
  KLDivOptions as CoreKLDivOptions,
  PoissonNllOptions as CorePoissonNllOptions,
  ReductionOptions,
} from "../index";
import { elementwise } from "./elementwise";
import { grads, lossOp } from "./grad";
import { isReduced, twinOptions, type TwinOptions } from "./options";
import { perRow, perRowText, rows } from "./rows";
import {
  floatInput,
  floatValues,
  sameShape,
  shapeError,
  shapeText,
  sizeOf,
  tensor,
  tensorsText,
} from "./tensors";
import type { TensorLoss3Fn, TensorLossFn } from "./types";

/**
 * Options of the tfjs {@link klDivLoss} (`reduction` includes `"batchmean"`).
 * @example const o: KLDivOptions = { reduction: "batchmean", logTarget: true };
 */
export type KLDivOptions = TwinOptions<CoreKLDivOptions>;
/**
 * Options of the tfjs {@link poissonNllLoss}.
 * @example const o: PoissonNllOptions = { logInput: false, eps: 1e-6 };
 */
export type PoissonNllOptions = TwinOptions<CorePoissonNllOptions> & ReductionOptions;
/**
 * Options of the tfjs {@link gaussianNllLoss}.
 * @example const o: GaussianNllOptions = { full: true, eps: 1e-4 };
 */
export type GaussianNllOptions = TwinOptions<CoreGaussianNllOptions>;

/** "batchmean" divides by the batch, the first axis (PyTorch's input.size(0)): rows of the
 *  remaining axes for the core. A rank-1 input's batch is its length (the core's default). */
function batchRows(shape: readonly number[], o: Record<string, unknown>): Record<string, unknown> {
  const rest = sizeOf(shape.slice(1));
  return o.reduction === "batchmean" && shape.length >= 2 && rest > 0 ? { classes: rest } : {};
}

/**
 * Kullback–Leibler divergence of `target` from the distribution whose log-probabilities are
 * `input` (one shape); `"batchmean"` divides by the first axis.
 * @example klDivLoss(logSoftmax(studentLogits), teacherProbs, { reduction: "batchmean" })
 */
export const klDivLoss: TensorLossFn<KLDivOptions> = (input, target, options?) =>
  elementwise(
    { fn: "klDivLoss", loss: core.klDivLoss, withGrad: core.klDivLossWithGrad, derived: batchRows },
    input,
    target,
    options,
  ) as never;

/**
 * Poisson negative log likelihood of counts `target` under rates `input` (their logs by default).
 * @example poissonNllLoss(logRates, counts, { full: true })
 */
export const poissonNllLoss: TensorLossFn<PoissonNllOptions> = (input, target, options?) =>
  elementwise(
    { fn: "poissonNllLoss", loss: core.poissonNllLoss, withGrad: core.poissonNllLossWithGrad },
    input,
    target,
    options,
  ) as never;

/**
 * Gaussian negative log likelihood of `target` under N(input, variance). `variance` has the
 * input's shape, or one value per row of the last axis ([d0, …, dk] or [d0, …, dk, 1], as
 * PyTorch broadcasts it); both `input` and `variance` are differentiated.
 * @example gaussianNllLoss(mean, y, tf.exp(logVar))
 */
export const gaussianNllLoss: TensorLoss3Fn<GaussianNllOptions> = (
  input,
  target,
  variance,
  options?,
) => {
  const fn = "gaussianNllLoss";
  const x = tensor(fn, "input", input);
  const t = tensor(fn, "target", target);
  const v = tensor(fn, "variance", variance);
  const o = twinOptions(fn, options);
  if (!sameShape(x.shape, t.shape))
    throw shapeError(fn, "target", `the input's shape ${shapeText(x.shape)}`, t);
  let layout = {};
  if (!sameShape(v.shape, x.shape)) {
    const r = x.rank >= 1 ? rows(fn, "input", x) : null;
    if (!r || !perRow(v, r)) {
      throw shapeError(
        fn,
        "variance",
        `the input's shape ${shapeText(x.shape)}${r ? ` or one value per row, ${perRowText(r)}` : ""}`,
        v,
      );
    }
    layout = { classes: r.width };
  }
  const xs = floatInput(fn, "input", x);
  const ts = floatValues(fn, "target", t);
  const vs = floatInput(fn, "variance", v);
  const c = { ...o, ...layout };
  return lossOp({
    fn,
    inputs: [x, v],
    reduced: isReduced(o),
    lossShape: x.shape,
    context: () =>
      tensorsText([
        ["input", x],
        ["target", t],
        ["variance", v],
      ]),
    loss: () => core.gaussianNllLoss(xs, ts, vs, c),
    withGrad: (gradOutput) =>
      grads(core.gaussianNllLossWithGrad(xs, ts, vs, gradOutput ? { ...c, gradOutput } : c)),
  }) as never;
};
