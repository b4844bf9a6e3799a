// The per-element rule of every comparison with PyTorch, shared by the fixture checks
// (test/helpers/close.ts) and the differential fuzzer (test/fuzz/compare.ts). An element is held
// to its own float32 precision, never to the scale of the array around it: a gradient of 1e-6
// beside one of 1e6 must be as right as the 1e6 one, relatively.

/** Relative tolerance: float32 results computed in another order differ by a few dozen ulps. */
export const RTOL = 2e-5;
/** Float32 ulps of the expected value allowed on top of RTOL (what matters near 0 and for subnormals). */
export const ULPS = 4;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 ulp at |e| (the spacing above |e| rounded to float32; 2^-149 below the normal range). */
export function ulp(e: number): number {
  f32[0] = Math.abs(e);
  if (!Number.isFinite(f32[0])) return Infinity;
  const lo = f32[0];
  u32[0] += 1;
  return f32[0] - lo;
}

/** Float32 unit roundoffs (2^-24) of the terms' magnitude allowed where an element is a difference
 *  of terms much larger than itself (the fixtures' "terms" record): each of the terms reaches the
 *  element through a few float32 roundings (the terms themselves, their product with a row's sum,
 *  the subtraction), in PyTorch's float32 answer and in wasm-loss's alike. */
export const TERMS_ULPS = 8;

/** How far from the expected value `e` an answer may be: rtol·|e| + ULPS ulps of e + atol, plus
 *  TERMS_ULPS·2^-24·terms where the element is a difference of terms of magnitude `terms`. */
export function allowance(e: number, rtol = RTOL, atol = 0, terms = 0): number {
  return rtol * Math.abs(e) + ULPS * ulp(e) + atol + TERMS_ULPS * 2 ** -24 * terms;
}

/** Where PyTorch's float32 answer `e32` is itself off the float64 answer `e64` (cancellation,
 *  long sums): an answer at most twice as far from `e64` as `e32` is has PyTorch's quality;
 *  it need not repeat PyTorch's error. */
export function asCloseAsTorch32(a: number, e32: number, e64: number): boolean {
  return Math.abs(a - e64) <= 2 * Math.abs(e32 - e64);
}
