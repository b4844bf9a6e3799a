// Generators of crossEntropyLoss, nllLoss, softmax and logSoftmax: [N, C] rows (`classes`),
// K-dimensional [N, C, d1, …] and unbatched [C] layouts (`shape`), index targets (every integer
// type, ignored positions, targets at the class boundaries) or probability targets, class
// weights with zeros, label smoothing, and logits with -Infinity masks and far peaks.

import { INT_TYPES, ints, type IntType, type Value } from "./case";
import type { Draft, Generator } from "./gen-elementwise";
import type { Rng } from "./rng";
import { floats, inRange, PROFILES, type Profile } from "./values";

interface Layout {
  shape: number[];
  N: number;
  C: number;
  /** Positions per sample (d1·…·dk; 1 for rows). */
  D: number;
  options: Record<string, Value>;
}

function layout(r: Rng, big: boolean): Layout {
  const C = big
    ? r.pick([10, 100, 1000, 3])
    : r.pick([1, 2, 3, 4, 5, 7, 8, 10, 13, 17, 64, 257, 1000, r.int(1, 40), r.int(1000, 5000)]);
  const kind = r.pick(["rows", "rows", "kdim", "unbatched", "shape2"]);
  const scale = big ? Math.ceil(40_000 / C) : 0;
  if (kind === "unbatched" && !big) return { shape: [C], N: 1, C, D: 1, options: { shape: [C] } };
  if (kind === "kdim") {
    const dims = r.chance(0.7)
      ? [r.pick([1, 2, 3, 4, 5, 7, 8, 9, 17])]
      : [r.int(1, 4), r.int(1, 5)];
    const D = dims.reduce((a, b) => a * b, 1);
    const N = big ? Math.max(1, Math.ceil(scale / D)) : r.pick([0, 1, 2, 3]);
    return { shape: [N, C, ...dims], N, C, D, options: { shape: [N, C, ...dims] } };
  }
  const N = big ? scale : r.pick([0, 1, 2, 3, 4, 5, 7, 9, 16, r.int(1, 40)]);
  if (kind === "shape2") return { shape: [N, C], N, C, D: 1, options: { shape: [N, C] } };
  return { shape: [N, C], N, C, D: 1, options: { classes: C } };
}

/** Logits: a profile, sometimes with -Infinity masks or one class far above the rest. */
function logits(r: Rng, n: number): { x: Float32Array; tag: Profile | "masked" | "peak" } {
  const p = r.pick(PROFILES);
  const x = floats(r, n, p);
  if (r.chance(0.15)) {
    for (let i = 0; i < n; i++) if (r.chance(0.3)) x[i] = -Infinity;
    return { x, tag: "masked" };
  }
  if (r.chance(0.1)) {
    for (let i = 0; i < n; i++) if (r.chance(0.1)) x[i] = r.pick([1e4, -1e4, 1e30, 88, -100]);
    return { x, tag: "peak" };
  }
  return { x, tag: p };
}

/** Index targets of `positions` entries: boundaries 0 and C-1 often, some ignored. */
function indexTargets(
  r: Rng,
  positions: number,
  C: number,
  ignore: number | undefined,
): { t: number[]; as: IntType } {
  const t: number[] = [];
  const ig = ignore ?? -100;
  const pIgnore = r.pick([0, 0.2, 0.5, 1]);
  for (let i = 0; i < positions; i++) {
    t.push(r.chance(pIgnore) ? ig : r.chance(0.3) ? r.pick([0, C - 1]) : r.int(0, C - 1));
  }
  // Types that can hold every value (the ignored one included).
  const fits = INT_TYPES.filter((as) => t.every((v) => fitsType(v, as)));
  return { t, as: r.pick(fits) };
}

function fitsType(v: number, as: IntType): boolean {
  const range: Record<IntType, [number, number]> = {
    Int32Array: [-(2 ** 31), 2 ** 31 - 1],
    Uint8Array: [0, 255],
    Uint16Array: [0, 65535],
    Uint32Array: [0, 2 ** 32 - 1],
    Int8Array: [-128, 127],
    Int16Array: [-32768, 32767],
    BigInt64Array: [-(2 ** 53), 2 ** 53],
    "number[]": [-(2 ** 53), 2 ** 53],
  };
  return v >= range[as][0] && v <= range[as][1];
}

/** Class probabilities of [N, C, D] (each position's column sums to 1), or soft values. */
function probabilities(r: Rng, L: Layout): Float32Array {
  const n = L.N * L.C * L.D;
  const p = inRange(r, n, 0, 1, 0.1);
  if (r.chance(0.2)) return p; // not normalised: PyTorch takes any values
  for (let s = 0; s < L.N; s++) {
    for (let j = 0; j < L.D; j++) {
      let sum = 0;
      for (let c = 0; c < L.C; c++) sum += p[(s * L.C + c) * L.D + j];
      for (let c = 0; c < L.C; c++)
        p[(s * L.C + c) * L.D + j] = sum > 0 ? p[(s * L.C + c) * L.D + j] / sum : 1 / L.C;
    }
  }
  return p;
}

function multiclass(nll: boolean): Generator {
  return (r, big): Draft => {
    const L = layout(r, big);
    const n = L.N * L.C * L.D;
    const { x, tag } = logits(r, n);
    const options: Record<string, Value> = { ...L.options };
    const probs = !nll && r.chance(0.25);
    if (r.chance(0.35)) {
      const w = inRange(r, L.C, 0, 3, 0.1);
      for (let c = 0; c < L.C; c++) if (r.chance(0.15)) w[c] = 0;
      if (r.chance(0.05)) w.fill(0);
      options.weight = w;
    }
    if (!nll && r.chance(0.4)) options.labelSmoothing = r.pick([0.1, 0.5, 1, 0, 0.05, 1e-7]);
    const tags = [tag, L.D > 1 ? "kdim" : L.shape.length === 1 ? "unbatched" : "rows"];
    if (probs) {
      if (r.chance(0.2)) options.ignoreIndex = r.pick([-100, -1, -5]);
      return {
        args: [x, probabilities(r, L)],
        options,
        lossLength: L.N * L.D,
        tags: [...tags, "probs"],
      };
    }
    const ignore = r.chance(0.4) ? r.pick([-1, 0, L.C - 1, L.C, 255, -100]) : undefined;
    if (ignore !== undefined) options.ignoreIndex = ignore;
    const { t, as } = indexTargets(r, L.N * L.D, L.C, ignore);
    return { args: [x, ints(t, as)], options, lossLength: L.N * L.D, tags };
  };
}

function softmaxOf(r: Rng, big: boolean): Draft {
  const L = layout(r, big);
  const { x, tag } = logits(r, L.N * L.C * L.D);
  return { args: [x], options: { ...L.options }, lossLength: 0, tags: [tag] };
}

export const MULTICLASS: Record<string, Generator> = {
  crossEntropyLoss: multiclass(false),
  nllLoss: multiclass(true),
  softmax: softmaxOf,
  logSoftmax: softmaxOf,
};
