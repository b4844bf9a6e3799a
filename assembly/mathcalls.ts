// The vector exp and log of math.ts as called functions, the one set every family uses: each
// inlined copy costs 300-500 bytes of .wasm, a call a few nanoseconds per 4 lanes.
// The scalar forms the tails use are musl's (math.ts's expf, logf, log1pf), in both builds. Lane 0
// of these vector forms would spare the SIMD .wasm musl's code (about 1.3 KiB), but the two
// binaries ship packed together (scripts/build.mjs), and with musl the SIMD build's scalar loops
// are the scalar build's, byte for byte, which the packed bundle stores once: ~250 B smaller.

import { expAny4, expNeg4, log4, negAbs4 } from "./math";

/** exp(z) for any z (math.ts's expAny4). */
export function expCall4(z: v128): v128 { return expAny4(z); }
/** log(x) (math.ts's log4). */
export function logCall4(x: v128): v128 { return log4(x); }
/** exp(-|x|), in (0, 1] (math.ts's expNeg4 of -|x|). */
export function expNegAbsCall4(x: v128): v128 { return expNeg4(negAbs4(x)); }
