// Generators of the losses that are a sum of per-element terms (regression, binary, divergence,
// pointwise margins) and of sigmoid/logSigmoid. Each returns the call's arrays and its own
// options; generate.ts adds reduction, gradient, outputs and how the arrays are passed.

import { type Data, type Value } from "./case";
import type { Rng } from "./rng";
import { floats, inRange, length, signs, tie, value, type Profile, PROFILES } from "./values";

export interface Draft {
  args: Data[];
  options: Record<string, Value>;
  /** Length of the unreduced loss (0 when the function has no reduction). */
  lossLength: number;
  tags: string[];
  /** Reductions beyond mean/sum/none that the function takes. */
  extraReductions?: string[];
}

export type Generator = (r: Rng, big: boolean) => Draft;

const BIG = (r: Rng): number => r.int(33_000, 70_000); // > 128 KiB: a fresh module must grow

const profile = (r: Rng): Profile => r.pick(PROFILES);
const size = (r: Rng, big: boolean): number => (big ? BIG(r) : length(r));

/** input, target of one profile each (often the same), with exact ties between them. */
function pair(r: Rng, n: number): { x: Float32Array; y: Float32Array; tags: string[] } {
  const p = profile(r);
  const q = r.chance(0.7) ? p : profile(r);
  const y = floats(r, n, q);
  const x = r.chance(0.3) ? tie(r, floats(r, n, p), y) : floats(r, n, p);
  return { x, y, tags: p === q ? [p] : [p, q] };
}

function regression(fn: string, param?: (r: Rng) => Record<string, Value>): Generator {
  return (r, big) => {
    const n = size(r, big);
    const { x, y, tags } = pair(r, n);
    return { args: [x, y], options: param ? param(r) : {}, lossLength: n, tags };
  };
}

/** The trailing dimension K of a bce input viewed as [n / K, K] (a divisor of n), for weights of
 *  one value per class, or undefined for the flat input. */
function bceClasses(r: Rng, n: number): number | undefined {
  const divisors = [1, 2, 3, 4, 5, 7, 10].filter((k) => n % k === 0 && k < n);
  return r.chance(0.5) || divisors.length === 0 ? undefined : r.pick(divisors);
}

/** A weight as bce takes it: a number, or an array of the input's length or (with classes: K)
 *  of length K. */
function bceWeight(r: Rng, n: number, K: number | undefined, lo: number, hi: number): Value {
  if (r.chance(0.3)) return r.chance(0.2) ? 0 : lo + (hi - lo) * r.next();
  const len = K === undefined || r.chance(0.3) ? n : K;
  const w = inRange(r, len, lo, hi, 0.1);
  for (let i = 0; i < len; i++) if (r.chance(0.1)) w[i] = 0;
  return w;
}

/** Adds `classes: K` where a weight has one value per class (PyTorch's shapes say so; the call must too). */
function bceOptions(
  options: Record<string, Value>,
  n: number,
  K: number | undefined,
): Record<string, Value> {
  const perClass = [options.weight, options.posWeight].some(
    (w) => w instanceof Float32Array && w.length !== n,
  );
  if (perClass) options.classes = K!;
  return options;
}

const bceWithLogits: Generator = (r, big) => {
  const n = size(r, big);
  const p = profile(r);
  const x = floats(r, n, p);
  const y = r.chance(0.7) ? Float32Array.from(x, () => r.pick([0, 1])) : inRange(r, n, 0, 1);
  const options: Record<string, Value> = {};
  const K = bceClasses(r, n);
  if (r.chance(0.4)) options.weight = bceWeight(r, n, K, 0, 3);
  if (r.chance(0.4)) options.posWeight = bceWeight(r, n, K, 0, 5);
  return { args: [x, y], options: bceOptions(options, n, K), lossLength: n, tags: [p] };
};

const bce: Generator = (r, big) => {
  const n = size(r, big);
  const x = inRange(r, n, 0, 1, r.pick([0.05, 0.3]));
  if (r.chance(0.3)) for (let i = 0; i < n; i++) x[i] = Math.fround(1 - 10 ** -r.int(1, 8)); // near 1
  const y = r.chance(0.7) ? Float32Array.from(x, () => r.pick([0, 1])) : inRange(r, n, 0, 1);
  const options: Record<string, Value> = {};
  const K = bceClasses(r, n);
  if (r.chance(0.4)) options.weight = bceWeight(r, n, K, 0, 3);
  return { args: [x, y], options: bceOptions(options, n, K), lossLength: n, tags: [] };
};

function transform(r: Rng, big: boolean): Draft {
  const p = profile(r);
  return { args: [floats(r, size(r, big), p)], options: {}, lossLength: 0, tags: [p] };
}

const klDiv: Generator = (r, big) => {
  const logTarget = r.chance(0.3);
  const n = size(r, big);
  const p = profile(r);
  const x = floats(r, n, p);
  let t: Float32Array;
  if (logTarget) t = floats(r, n, r.pick(["normal", "ties", "tiny", "huge", "nonfinite"] as const));
  else {
    t = inRange(r, n, 0, 1);
    for (let i = 0; i < n; i++) if (r.chance(0.2)) t[i] = r.pick([0, 0, -0.5, 1e-40, 2]);
  }
  const options: Record<string, Value> = {
    logTarget: r.chance(0.5) ? logTarget : logTarget || undefined,
  };
  const divisors = [1, 2, 3, 4, 5, 7, 10, 16].filter((k) => n % k === 0);
  if (r.chance(0.4) && divisors.length) options.classes = r.pick(divisors);
  return { args: [x, t], options, lossLength: n, tags: [p], extraReductions: ["batchmean"] };
};

const poisson: Generator = (r, big) => {
  const n = size(r, big);
  const logInput = r.chance(0.5);
  const p = logInput
    ? profile(r)
    : r.pick(["normal", "tiny", "subnormal", "ties", "huge"] as const);
  const x = floats(r, n, p);
  if (!logInput) for (let i = 0; i < n; i++) x[i] = Math.abs(x[i]);
  const t = Float32Array.from(x, () =>
    r.pick([0, 0.5, 1, 1.5, 2, 5, r.int(0, 100), 1e6, value(r, "tiny")]),
  );
  const options: Record<string, Value> = { logInput, full: r.chance(0.5) };
  if (r.chance(0.5)) options.eps = r.pick([0, 0.5, 1e-30, 1e-3]);
  return { args: [x, t], options, lossLength: n, tags: [p] };
};

const gaussian: Generator = (r, big) => {
  const n = size(r, big);
  const { x, y, tags } = pair(r, n);
  const options: Record<string, Value> = { full: r.chance(0.3) };
  if (r.chance(0.5)) options.eps = r.pick([0, 1e-3, 1e-12, 1]);
  const divisors = [1, 2, 3, 4, 5, 7, 37].filter((k) => n % k === 0 && n > 0);
  const perRow = r.chance(0.3) && divisors.length > 0;
  if (perRow || r.chance(0.2)) options.classes = divisors.length ? r.pick(divisors) : undefined;
  const vlen = perRow ? n / (options.classes as number) : n;
  const vp = r.pick(["normal", "tiny", "subnormal", "ties", "huge", "wide"] as const);
  const v = Float32Array.from(floats(r, vlen, vp), Math.abs);
  return { args: [x, y, v], options, lossLength: n, tags: [...tags, `var ${vp}`] };
};

const softMargin: Generator = (r, big) => {
  const n = size(r, big);
  const p = profile(r);
  return {
    args: [floats(r, n, p), signs(r, n, r.pick([0, 0.3]))],
    options: {},
    lossLength: n,
    tags: [p],
  };
};

const hinge: Generator = (r, big) => {
  const n = size(r, big);
  const p = profile(r);
  const margin = r.pick([undefined, 0, -0.5, 2.5, 1, value(r, "ties")]);
  const x = floats(r, n, p);
  if (margin !== undefined) for (let i = 0; i < n; i++) if (r.chance(0.2)) x[i] = margin; // at the hinge
  const y = signs(r, n);
  for (let i = 0; i < n; i++) if (r.chance(0.05)) y[i] = r.pick([0, 0.5]);
  return { args: [x, y], options: { margin }, lossLength: n, tags: [p] };
};

const marginRanking: Generator = (r, big) => {
  const n = size(r, big);
  const { x, y, tags } = pair(r, n);
  return {
    args: [x, y, signs(r, n)],
    options: { margin: r.pick([undefined, 0, 0.5, -0.25, 1, value(r, "ties")]) },
    lossLength: n,
    tags,
  };
};

export const ELEMENTWISE: Record<string, Generator> = {
  l1Loss: regression("l1Loss"),
  mseLoss: regression("mseLoss"),
  huberLoss: regression("huberLoss", (r) => ({
    delta: r.pick([undefined, 0.5, 1, 3, 1e-30, 1e30, Infinity]),
  })),
  smoothL1Loss: regression("smoothL1Loss", (r) => ({
    beta: r.pick([undefined, 0, 0.25, 1, 2, 1e-30, 1e30, Infinity]),
  })),
  bceWithLogitsLoss: bceWithLogits,
  bceLoss: bce,
  sigmoid: transform,
  logSigmoid: transform,
  klDivLoss: klDiv,
  poissonNllLoss: poisson,
  gaussianNllLoss: gaussian,
  softMarginLoss: softMargin,
  hingeEmbeddingLoss: hinge,
  marginRankingLoss: marginRanking,
};
