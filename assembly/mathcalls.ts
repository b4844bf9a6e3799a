// The vector exp and log of math.ts as called functions, the one set every family uses: each
// inlined copy costs 300-500 bytes of .wasm, a call a few nanoseconds per 4 lanes.
// Scalar forms for the tails: the SIMD build reuses lane 0 of the vector forms, so it links no
// musl expf/logf (about 1.3 KiB); the scalar build uses musl.

import { expAny4, expNeg4, log4, negAbs4, expf, logf } from "./math";

/** exp(z) for any z (math.ts's expAny4). */
export function expCall4(z: v128): v128 { return expAny4(z); }
/** log(x) (math.ts's log4). */
export function logCall4(x: v128): v128 { return log4(x); }
/** exp(-|x|), in (0, 1] (math.ts's expNeg4 of -|x|). */
export function expNegAbsCall4(x: v128): v128 { return expNeg4(negAbs4(x)); }

@inline export function expS(z: f32): f32 {
  return ASC_FEATURE_SIMD ? f32x4.extract_lane(expCall4(f32x4.splat(z)), 0) : expf(z);
}
@inline export function logS(x: f32): f32 {
  return ASC_FEATURE_SIMD ? f32x4.extract_lane(logCall4(f32x4.splat(x)), 0) : logf(x);
}
