// The expected loss over a data set, L(θ|D) = E[l], accumulated batch by batch. The mean of
// batch means is wrong whenever batches weigh differently (weighted or ignored positions in
// cross-entropy, a short last batch), so the meter keeps Σ loss and Σ weight — the numerator
// and divisor of PyTorch's "mean" — and divides once at the end. Both sums are Neumaier-
// compensated float64, exact enough for 1e9 elements and beyond.

import { bceLoss, bceWithLogitsLoss } from "./binary";
import { ctcLoss } from "./ctc";
import { gaussianNllLoss, klDivLoss, poissonNllLoss } from "./divergence";
import { cosineEmbeddingLoss, tripletMarginLoss } from "./embedding";
import { hingeEmbeddingLoss, marginRankingLoss, multiLabelSoftMarginLoss, softMarginLoss } from "./margin";
import { crossEntropyLoss, nllLoss } from "./multiclass";
import { lastReduction } from "./pointwise";
import { multiLabelMarginLoss, multiMarginLoss } from "./ranking";
import { huberLoss, l1Loss, mseLoss, smoothL1Loss } from "./regression";
import { describe } from "./validate";

// Every exported loss function by name, for addBatch: a plain object of the 20 losses (a
// namespace import would put an object of all the package's exports into the bundle).
const losses = {
  l1Loss, mseLoss, huberLoss, smoothL1Loss, bceWithLogitsLoss, bceLoss, crossEntropyLoss, nllLoss, klDivLoss,
  poissonNllLoss, gaussianNllLoss, softMarginLoss, multiLabelSoftMarginLoss, hingeEmbeddingLoss, marginRankingLoss,
  multiMarginLoss, multiLabelMarginLoss, cosineEmbeddingLoss, tripletMarginLoss, ctcLoss,
};

/**
 * Names accepted by {@link LossMeter.addBatch}: every exported loss function.
 * @useDeclaredType
 */
export type LossName = keyof typeof losses;

type AnyLoss = (...args: unknown[]) => unknown;

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
 * for (const [x, y] of batches) meter.addBatch("crossEntropyLoss", x, y, { classes: 10, weight });
 * console.log(meter.mean); // == crossEntropyLoss(allX, allY, { classes: 10, weight })
 */
export class LossMeter {
  private total = new Sum();
  private weight = new Sum();
  private batches = 0;

  /** Adds a batch given as its summed loss and its weight (element count, or Σ weights). */
  add(sumOfLosses: number, totalWeight: number): this {
    if (typeof sumOfLosses !== "number" || Number.isNaN(sumOfLosses)) {
      throw new TypeError(`LossMeter.add: 'sumOfLosses' must be a number; received ${describe(sumOfLosses)}`);
    }
    if (typeof totalWeight !== "number" || !(totalWeight >= 0) || !Number.isFinite(totalWeight)) {
      throw new RangeError(`LossMeter.add: 'totalWeight' must be a finite number >= 0; received ${describe(totalWeight)}`);
    }
    this.total.add(sumOfLosses);
    this.weight.add(totalWeight);
    this.batches++;
    return this;
  }

  /**
   * Computes `lossName` on one batch (same arguments and options as the loss itself; the
   * reduction is taken over by the meter) and adds its sum and weight.
   */
  addBatch(lossName: LossName, ...args: unknown[]): this {
    const fn = (losses as unknown as Record<string, AnyLoss>)[lossName];
    if (typeof lossName !== "string" || !Object.hasOwn(losses, lossName)) {
      throw new RangeError(
        `LossMeter.addBatch: 'lossName' must name a loss (e.g. "crossEntropyLoss", "mseLoss"); received ${describe(lossName)}`,
      );
    }
    const last = args.length - 1;
    const hasOptions = last >= 0 && typeof args[last] === "object" && args[last] !== null &&
      !Array.isArray(args[last]) && !ArrayBuffer.isView(args[last]);
    const opts = hasOptions ? (args[last] as Record<string, unknown>) : {};
    const rest = hasOptions ? args.slice(0, last) : args;
    if ((lossName as string) === "ctcLoss") {
      // PyTorch's ctc "mean" averages loss_i / max(targetLength_i, 1) over samples.
      const perSample = fn(...rest, { ...opts, reduction: "none" }) as Float32Array;
      const lengths = rest[3] as ArrayLike<number | bigint>;
      let s = 0;
      for (let i = 0; i < perSample.length; i++) s += perSample[i] / Math.max(Number(lengths[i]), 1);
      return this.add(s, perSample.length);
    }
    fn(...rest, { ...opts, reduction: "sum" });
    const { total, count } = lastReduction();
    return this.add(total, count);
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
