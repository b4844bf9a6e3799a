// Value profiles of the generated float data: ordinary values, magnitudes at the edges of
// float32, exact ties, non-finite values. Every value is a float32 (the reference sees the same).

import type { Rng } from "./rng";

export const PROFILES = [
  "normal",
  "wide",
  "huge",
  "tiny",
  "subnormal",
  "ties",
  "nonfinite",
] as const;
export type Profile = (typeof PROFILES)[number];

const F32_MAX = 3.4028234663852886e38;

/** One value of a profile. */
export function value(r: Rng, p: Profile): number {
  switch (p) {
    case "normal":
      return r.normal() * 2;
    case "wide":
      return r.normal() * 10 ** r.int(-6, 6);
    case "huge":
      return (
        r.pick([-1, 1]) * r.pick([1e4, 1e8, 1e15, 1e30, 1e38, F32_MAX, 3e38]) * (0.5 + r.next() / 2)
      );
    case "tiny":
      return r.normal() * 10 ** -r.int(6, 37);
    case "subnormal":
      return (
        r.pick([0, -1, 1]) * r.pick([1e-40, 1e-45, 1.4e-45, 5e-39, 1e-38 * r.next(), 2 ** -149])
      );
    case "ties":
      return r.int(-8, 8) / r.pick([1, 2, 4]);
    case "nonfinite":
      return r.chance(0.2) ? r.pick([Infinity, -Infinity, NaN]) : r.normal() * 3;
  }
}

/** n values of profile p as a Float32Array. */
export function floats(r: Rng, n: number, p: Profile): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = value(r, p);
  return a;
}

/** Values in [lo, hi], with the ends themselves and values next to them. */
export function inRange(r: Rng, n: number, lo: number, hi: number, edges = 0.2): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (r.chance(edges)) {
      a[i] = r.pick([lo, hi, lo + 1e-7, hi - 6e-8, lo + 1e-30, lo + 1e-40]);
      if (a[i] < lo || a[i] > hi) a[i] = lo;
    } else {
      a[i] = lo + (hi - lo) * r.next();
    }
  }
  return a;
}

/** ±1 targets (and, with `soft`, a few other values in [-1, 1]). */
export function signs(r: Rng, n: number, soft = 0): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r.chance(soft) ? r.next() * 2 - 1 : r.pick([-1, 1]);
  return a;
}

/** A copy of `x` with some elements equal to `y`'s (exact ties). */
export function tie(r: Rng, x: Float32Array, y: Float32Array, p = 0.3): Float32Array {
  const out = x.slice();
  for (let i = 0; i < out.length; i++) if (r.chance(p)) out[i] = y[i];
  return out;
}

/** A length: odd ones around the SIMD widths and blocks, small ones, and an occasional long one. */
export function length(r: Rng, max = 1100): number {
  const n = r.pick([
    0,
    1,
    2,
    3,
    4,
    5,
    7,
    8,
    9,
    15,
    16,
    17,
    31,
    33,
    63,
    65,
    127,
    257,
    1023,
    1025,
    r.int(1, 64),
    r.int(1, max),
  ]);
  return Math.min(n, max);
}
