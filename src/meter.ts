// The expected loss over a data set, L(θ|D) = E[l], accumulated batch by batch. The mean of
// batch means is wrong whenever batches weigh differently (weighted or ignored positions in
// cross-entropy, a short last batch), so the meter keeps Σ loss and Σ weight — the numerator
// and divisor of PyTorch's "mean" — and divides once at the end. Both sums are Neumaier-
// compensated float64, exact enough for 1e9 elements and beyond.

import * as binary from "./binary";
import * as ctc from "./ctc";
import { computeOf } from "./define";
import * as divergence from "./divergence";
import * as embedding from "./embedding";
import { describe } from "./errors";
import * as margin from "./margin";
import * as multiclass from "./multiclass";
import { optionNames, options } from "./options";
import * as ranking from "./ranking";
import * as regression from "./regression";

/** Every loss function by name: the names and signatures addBatch accepts (a type only). */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- only its type is used
const losses = {
  l1Loss: regression.l1Loss,
  mseLoss: regression.mseLoss,
  huberLoss: regression.huberLoss,
  smoothL1Loss: regression.smoothL1Loss,
  bceWithLogitsLoss: binary.bceWithLogitsLoss,
  bceLoss: binary.bceLoss,
  crossEntropyLoss: multiclass.crossEntropyLoss,
  nllLoss: multiclass.nllLoss,
  klDivLoss: divergence.klDivLoss,
  poissonNllLoss: divergence.poissonNllLoss,
  gaussianNllLoss: divergence.gaussianNllLoss,
  softMarginLoss: margin.softMarginLoss,
  multiLabelSoftMarginLoss: margin.multiLabelSoftMarginLoss,
  hingeEmbeddingLoss: margin.hingeEmbeddingLoss,
  marginRankingLoss: margin.marginRankingLoss,
  multiMarginLoss: ranking.multiMarginLoss,
  multiLabelMarginLoss: ranking.multiLabelMarginLoss,
  cosineEmbeddingLoss: embedding.cosineEmbeddingLoss,
  tripletMarginLoss: embedding.tripletMarginLoss,
  ctcLoss: ctc.ctcLoss,
};

/**
 * Names accepted by {@link LossMeter.addBatch}: every exported loss function.
 * @useDeclaredType
 */
export type LossName = keyof typeof losses;
type Losses = typeof losses;

/** The arguments of a loss as addBatch takes them: its arrays and its options without
 *  `reduction` and `lossInto` (the meter sums every batch and divides once). */
export type BatchArgs<F> = F extends { readonly __signature?: [infer A extends unknown[], infer O] }
  ? {} extends O
    ? [...A, options?: BatchOptions<O>]
    : [...A, options: BatchOptions<O>]
  : never;
type BatchOptions<O> = Omit<O, "reduction" | "lossInto"> & { reduction?: never; lossInto?: never };

/** Compensated (Neumaier) float64 sum. */
class Sum {
  private s = 0;
  private c = 0;
  add(x: number): void {
    const t = this.s + x;
    if (Math.abs(this.s) >= Math.abs(x)) this.c += this.s - t + x;
    else this.c += x - t + this.s;
    this.s = t;
  }
  get value(): number {
    return this.s + this.c;
  }
}

/**
 * Accumulates a loss over many batches so that {@link LossMeter.mean} equals the single-call
 * `"mean"` over the concatenated data (weighted cross-entropy and ignored positions included).
 *
 * @example
 * const meter = new LossMeter();
 * for (const [x, y] of batches) meter.addBatch(crossEntropyLoss, x, y, { classes: 10, weight });
 * console.log(meter.mean); // == crossEntropyLoss(allX, allY, { classes: 10, weight })
 */
export class LossMeter {
  private total = new Sum();
  private weight = new Sum();
  private batches = 0;

  /** Adds a batch given as its summed loss and its weight (element count, or Σ weights). */
  add(sumOfLosses: number, totalWeight: number): this {
    if (typeof sumOfLosses !== "number" || Number.isNaN(sumOfLosses)) {
      throw new TypeError(
        `LossMeter.add: 'sumOfLosses' must be a number; received ${describe(sumOfLosses)}`,
      );
    }
    if (typeof totalWeight !== "number" || !(totalWeight >= 0) || !Number.isFinite(totalWeight)) {
      throw new RangeError(
        `LossMeter.add: 'totalWeight' must be a finite number >= 0; received ${describe(totalWeight)}`,
      );
    }
    this.total.add(sumOfLosses);
    this.weight.add(totalWeight);
    this.batches++;
    return this;
  }

  /**
   * Computes a loss on one batch — given as the loss function itself or its name — with the
   * loss's own arguments and options (its reduction is the meter's business), and adds the
   * batch's sum and weight.
   * @example
   * meter.addBatch(crossEntropyLoss, logits, labels, { classes: 10 });
   * meter.addBatch("mseLoss", prediction, target);
   */
  addBatch<K extends LossName>(loss: K, ...args: BatchArgs<Losses[K]>): this;
  addBatch<F extends Losses[LossName]>(loss: F, ...args: BatchArgs<F>): this;
  addBatch(loss: LossName | Losses[LossName], ...args: unknown[]): this {
    const fn = "LossMeter.addBatch";
    const entry = computeOf(loss);
    if (entry === undefined) {
      throw new TypeError(
        `${fn}: 'loss' must be a loss function of wasm-loss or its name (e.g. crossEntropyLoss, "mseLoss"); received ${describe(loss)}`,
      );
    }
    const { name, arity, compute } = entry;
    const call = { fn: `${fn}(${name})`, name, withGrad: false };
    const given = args[arity];
    for (const key of ["reduction", "lossInto"]) {
      if (given !== null && typeof given === "object" && key in given) {
        throw new TypeError(
          `${call.fn}: option '${key}' does not apply: the meter sums every batch and divides once (read meter.mean or meter.sum)`,
        );
      }
    }
    const allowed = optionNames(name).filter((k) => k !== "reduction" && k !== "lossInto");
    const opts = options(call.fn, given as object | undefined, allowed);
    const arrays = args.slice(0, arity);
    if (name === "ctcLoss") {
      // PyTorch's ctc "mean" averages loss_i / max(targetLength_i, 1) over samples.
      const perSample = compute(call, arrays, { ...opts, reduction: "none" }).loss!;
      const lengths = arrays[3] as ArrayLike<number | bigint>;
      let s = 0;
      for (let i = 0; i < perSample.length; i++)
        s += perSample[i] / Math.max(Number(lengths[i]), 1);
      return this.add(s, perSample.length);
    }
    const c = compute(call, arrays, { ...opts, reduction: "sum" });
    return this.add(c.total, c.count);
  }

  /** Σ loss / Σ weight: the data set's expected loss (NaN before anything was added). */
  get mean(): number {
    return this.total.value / this.weight.value;
  }
  /** Σ loss over everything added. */
  get sum(): number {
    return this.total.value;
  }
  /** Σ weight: elements (or weighted, non-ignored positions) added. */
  get count(): number {
    return this.weight.value;
  }
  /** Number of add/addBatch calls since the last reset. */
  get batchCount(): number {
    return this.batches;
  }
  /** Starts over. */
  reset(): this {
    this.total = new Sum();
    this.weight = new Sum();
    this.batches = 0;
    return this;
  }
}
