// Vectorised exp/log for the SIMD build, and the scalar forms the scalar build and the SIMD
// tails use. The vector forms follow XNNPACK's wasmsimd kernels: magic-number rounding for
// range reduction (no float->int conversion, which costs several x86 instructions), a
// two-constant Cody-Waite ln2, then a degree-4 polynomial (own minimax fit); log uses musl's logf
// reduction and kernel. Accuracy (checked against float64 in test/math.test.ts): <= 2 ulp over
// the ranges used (measured: exp 1.02, log 0.79, log1pUnit 1.25 ulp).
// Speed: these loops are bound by the length of the dependency chains more than by the number
// of operations (the out-of-order window holds only a few iterations of ~30-90 vector
// operations), so the polynomials use Estrin's scheme and the chains are kept short; unrolling
// two vectors per iteration did not help (V8 then spills, or the window is the same).

// exp: n = round(z / ln2) via the magic bias; the bias also carries the exponent offset so that
// `n << 23` is directly the bits of 2^n (2^(n-1) for expAny, which doubles at the end so that
// n = 128 still has a representable scale).
// Vector constants are loaded with v128.load32_splat (one vbroadcastss) from these 4-byte cells:
// V8 (Node 20) materialises a v128.const with four instructions at every use inside a loop and
// does not hoist it, which made the constants cost more than the arithmetic.
@inline function K(cell: usize): v128 { return v128.load32_splat(cell); }

const MAGIC_NEG: f32 = reinterpret<f32>(0x4B40007F); // 0x1.8000FEp23 = 1.5 * 2^23 + 127
const MAGIC_ANY: f32 = reinterpret<f32>(0x4B40007E); // 1.5 * 2^23 + 126
const LOG2E: f32 = 1.44269502;                      // 0x1.715476p+0
const MINUS_LN2_HI: f32 = -0.693145751953125;       // -0x1.62E400p-1
const MINUS_LN2_LO: f32 = -1.428606765330187e-6;    // -0x1.7F7D1Cp-20
// exp(t) - 1 = t + t^2 P(t) on |t| <= ln2/2, P of degree 4 fitted minimax (Lawson) to the error of
// the final e = s + s * (exp(t) - 1) relative to exp: 3.7e-9 (0.03 ulp), so the <= 1 ulp of the
// result is rounding only (Cephes' degree 5, one multiply-add more: 0.98 ulp, ours 1.02).
const P0: f32 = 0.4999999701976776;
const P1: f32 = 0.1666651964187622;
const P2: f32 = 0.04166723042726517;
const P3: f32 = 0.008368770591914654;
const P4: f32 = 0.0013879657490178943;
const DENORM_CUTOFF: f32 = -87.336544750553102;     // below this exp(z) is subnormal: 0
const ANY_CUTOFF: f32 = -86.5;                       // expAny's scale 2^(n-1) needs n >= -125
const OVERFLOW_CUTOFF: f32 = 88.72283172607421875;  // above this exp(z) is +inf

/** s exp(t) = s + s (t + t^2 P(t)) for the reduced argument |t| <= ln2/2 (a little more after
 *  rounding of n) and the scale s = 2^n. Estrin's scheme: P(t) = (P0 + P1 t) + t^2 (P2 + P3 t)
 *  + t^4 P4, a dependency chain of 4 operations instead of Horner's 8; and s t, s t^2 are formed
 *  beside P (exact: s is a power of 2), which takes one more multiply off the chain. The result is
 *  bitwise that of s + s (t + t^2 P) (the exp's chain, not its operation count, bounds the loops). */
@inline function expScaled4(t: v128, s: v128): v128 {
  const t2 = f32x4.mul(t, t);
  const a = f32x4.add(f32x4.mul(K(P1_), t), K(P0_));
  const b = f32x4.add(f32x4.mul(K(P3_), t), K(P2_));
  const p = f32x4.add(f32x4.add(a, f32x4.mul(t2, b)), f32x4.mul(f32x4.mul(t2, t2), K(P4_)));
  return f32x4.add(s, f32x4.add(f32x4.mul(s, t), f32x4.mul(f32x4.mul(s, t2), p)));
}

/** -|x| (one OR with the sign bit; f32x4.neg(f32x4.abs(x)) costs V8 six instructions). */
@inline export function negAbs4(x: v128): v128 { return v128.or(x, K(SIGN_)); }
/** The sign bit in every lane (xor with it negates: f32x4.neg costs V8 three instructions). */
@inline export function sign4(): v128 { return K(SIGN_); }
/** 1.0 in every lane (a splat of a constant costs V8 three instructions, a cell load one). */
@inline export function one4(): v128 { return K(ONE_); }

/** exp(z) for z <= 0 (the arguments of softmax and softplus after max subtraction). */
@inline export function expNeg4(z: v128): v128 {
  let n = f32x4.add(f32x4.mul(z, K(LOG2E_)), K(MAGIC_NEG_));
  const s = i32x4.shl(n, 23);
  n = f32x4.sub(n, K(MAGIC_NEG_));
  let t = f32x4.add(f32x4.mul(n, K(MINUS_LN2_HI_)), z);
  t = f32x4.add(f32x4.mul(n, K(MINUS_LN2_LO_)), t);
  const e = expScaled4(t, s);
  return v128.andnot(e, f32x4.lt(z, K(DENORM_CUTOFF_)));
}

/** exp(z) for any z: 0 below -86.5 (|error| < 3e-38), +inf above 88.72, NaN for NaN. */
@inline export function expAny4(z: v128): v128 {
  let n = f32x4.add(f32x4.mul(z, K(LOG2E_)), K(MAGIC_ANY_));
  const s = i32x4.shl(n, 23);
  n = f32x4.sub(n, K(MAGIC_ANY_));
  let t = f32x4.add(f32x4.mul(n, K(MINUS_LN2_HI_)), z);
  t = f32x4.add(f32x4.mul(n, K(MINUS_LN2_LO_)), t);
  let e = expScaled4(t, s);
  e = f32x4.add(e, e);
  e = v128.andnot(e, f32x4.lt(z, K(ANY_CUTOFF_)));
  e = v128.bitselect(K(INF_), e, f32x4.gt(z, K(OVERFLOW_CUTOFF_)));
  // NaN in, NaN out (the comparisons above are false for NaN, the polynomial already gave NaN).
  return e;
}

// log: x = m * 2^k with m in [sqrt(1/2), sqrt(2)), f = m - 1, then musl's logf kernel.
const SQRT_HALF_BITS: i32 = 0x3F3504F3;
const LG1: f32 = 0.66666662693; // 0xaaaaaa.0p-24
const LG2: f32 = 0.40000972152; // 0xccce13.0p-25
const LG3: f32 = 0.28498786688; // 0x91e9ee.0p-25
const LG4: f32 = 0.24279078841; // 0xf89e26.0p-26
const LN2_HI: f32 = 6.9313812256e-01;
const LN2_LO: f32 = 9.0580006145e-06;
const TWO23: f32 = 8388608.0;
const MIN_NORMAL: f32 = 1.17549435e-38;

/** log(1 + f) for f in [sqrt(1/2) - 1, sqrt(2) - 1], plus k * ln2 given as its two parts
 *  kLo = k * ln2_lo and kHi = k * ln2_hi. */
@inline function logKernel4(f: v128, kLo: v128, kHi: v128): v128 {
  const s = f32x4.div(f, f32x4.add(K(TWO_), f));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, f32x4.add(K(LG2_), f32x4.mul(w, K(LG4_))));
  const t2 = f32x4.mul(z, f32x4.add(K(LG1_), f32x4.mul(w, K(LG3_))));
  const r = f32x4.add(t2, t1);
  const hfsq = f32x4.mul(f32x4.mul(K(HALF_), f), f);
  // s*(hfsq+R) + k*ln2_lo - hfsq + f + k*ln2_hi
  let y = f32x4.add(f32x4.mul(s, f32x4.add(hfsq, r)), kLo);
  y = f32x4.add(f32x4.sub(y, hfsq), f);
  return f32x4.add(y, kHi);
}

/** Natural log of positive finite x (normal or subnormal); 0 gives -inf, +inf gives +inf,
 *  negative or NaN gives NaN. */
@inline export function log4(x: v128): v128 {
  // Subnormals: scale by 2^23 first and take 23 off the exponent.
  const tiny = f32x4.lt(x, K(MIN_NORMAL_));
  const xs = v128.bitselect(f32x4.mul(x, K(TWO23_)), x, tiny);
  const bias = v128.and(tiny, K(F23_));
  const ix = i32x4.sub(xs, K(SQRT_HALF_BITS_));
  const k = i32x4.shr_s(ix, 23);
  const m = i32x4.add(v128.and(ix, K(MANT_MASK_)), K(SQRT_HALF_BITS_));
  const f = f32x4.sub(m, K(ONE_));
  const kf = f32x4.sub(f32x4.convert_i32x4_s(k), bias);
  let y = logKernel4(f, f32x4.mul(kf, K(LN2_LO_)), f32x4.mul(kf, K(LN2_HI_)));
  // Special values: x == 0 -> -inf; x == +inf -> +inf; x < 0 or NaN -> NaN.
  y = v128.bitselect(K(NEG_INF_), y, f32x4.eq(x, f32x4.splat(0)));
  y = v128.bitselect(x, y, f32x4.eq(x, K(INF_)));
  y = v128.bitselect(K(NAN__), y, v128.not(f32x4.ge(x, f32x4.splat(0))));
  return y;
}

/** log(1 + e) for e in [0, 1] (softplus of -|x|; NaN for NaN). musl's logf kernel on f = e
 *  itself, without the reduction to [sqrt(1/2) - 1, sqrt(2) - 1] (a compare, a select and the
 *  k ln2 terms, on the dependency chain): s = e / (2 + e) is then in [0, 1/3], and the four
 *  coefficients of R(z) = 2z/3 + 2z^2/5 + ... are refitted (minimax, Lawson) for z = s^2 in
 *  [0, 1/9]: |error of R| < 1e-8, so the result's error is its roundings (<= 2 ulp, tested). */
@inline export function log1pUnit4(e: v128): v128 {
  const s = f32x4.div(e, f32x4.add(K(TWO_), e));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, f32x4.add(K(LU2_), f32x4.mul(w, K(LU4_))));
  const t2 = f32x4.mul(z, f32x4.add(K(LU1_), f32x4.mul(w, K(LU3_))));
  const hfsq = f32x4.mul(f32x4.mul(K(HALF_), e), e);
  const y = f32x4.mul(s, f32x4.add(hfsq, f32x4.add(t2, t1)));
  return f32x4.add(f32x4.sub(y, hfsq), e);
}
const LU1: f32 = 0.6666641235351562;
const LU2: f32 = 0.40021705627441406;
const LU3: f32 = 0.27999013662338257;
const LU4: f32 = 0.2802514433860779;

// Cells of the vector constants (see K).
const ANY_CUTOFF_ = memory.data<f32>([ANY_CUTOFF]);
const DENORM_CUTOFF_ = memory.data<f32>([DENORM_CUTOFF]);
const HALF_ = memory.data<f32>([0.5]);
const F23_ = memory.data<f32>([23.0]);
const INF_ = memory.data<f32>([Infinity]);
const LG1_ = memory.data<f32>([LG1]);
const LG2_ = memory.data<f32>([LG2]);
const LG3_ = memory.data<f32>([LG3]);
const LG4_ = memory.data<f32>([LG4]);
const LU1_ = memory.data<f32>([LU1]);
const LU2_ = memory.data<f32>([LU2]);
const LU3_ = memory.data<f32>([LU3]);
const LU4_ = memory.data<f32>([LU4]);
const LN2_HI_ = memory.data<f32>([LN2_HI]);
const LN2_LO_ = memory.data<f32>([LN2_LO]);
const LOG2E_ = memory.data<f32>([LOG2E]);
const MAGIC_ANY_ = memory.data<f32>([MAGIC_ANY]);
const MAGIC_NEG_ = memory.data<f32>([MAGIC_NEG]);
const MANT_MASK_ = memory.data<i32>([0x007FFFFF]);
const MINUS_LN2_HI_ = memory.data<f32>([MINUS_LN2_HI]);
const MINUS_LN2_LO_ = memory.data<f32>([MINUS_LN2_LO]);
const MIN_NORMAL_ = memory.data<f32>([MIN_NORMAL]);
const NAN__ = memory.data<f32>([NaN]);
const NEG_INF_ = memory.data<f32>([-Infinity]);
const ONE_ = memory.data<f32>([1.0]);
const SIGN_ = memory.data<i32>([0x80000000]);
const OVERFLOW_CUTOFF_ = memory.data<f32>([OVERFLOW_CUTOFF]);
const P0_ = memory.data<f32>([P0]);
const P1_ = memory.data<f32>([P1]);
const P2_ = memory.data<f32>([P2]);
const P3_ = memory.data<f32>([P3]);
const P4_ = memory.data<f32>([P4]);
const SQRT_HALF_BITS_ = memory.data<i32>([SQRT_HALF_BITS]);
const TWO23_ = memory.data<f32>([TWO23]);
const TWO_ = memory.data<f32>([2.0]);

/** Sum of the four lanes, in float64 (for the f64 accumulators of the reductions). */
@inline export function hsum64(v: v128): f64 {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** Horizontal max of the four lanes. */
@inline export function hmax(v: v128): f32 {
  const m = f32x4.pmax(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  const n = f32x4.pmax(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  return f32x4.extract_lane(n, 0);
}

// Scalar forms (scalar build, SIMD tails). musl's expf/logf/log1pf through AssemblyScript's Mathf.
@inline export function expf(z: f32): f32 { return Mathf.exp(z); }
@inline export function logf(x: f32): f32 { return Mathf.log(x); }
@inline export function log1pf(x: f32): f32 { return Mathf.log1p(x); }

/** Elements per block of a reduction: f32 lanes sum at most this many terms before the block
 *  total is added into a float64 accumulator (a two-level cascade, like PyTorch's chunked sum). */
export const BLOCK: i32 = 1024;

// Exposed for the accuracy test of the vector forms (test/math.test.ts), SIMD build only.
export function mathExp4(x: usize, out: usize, n: i32, anyRange: bool): void {
  if (ASC_FEATURE_SIMD) {
    for (let i = 0; i < n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      v128.store(out + (<usize>i << 2), anyRange ? expAny4(v) : expNeg4(v));
    }
  } else {
    for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), expf(load<f32>(x + (<usize>i << 2))));
  }
}

export function mathLog4(x: usize, out: usize, n: i32, unit: bool): void {
  if (ASC_FEATURE_SIMD) {
    for (let i = 0; i < n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      v128.store(out + (<usize>i << 2), unit ? log1pUnit4(v) : log4(v));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      store<f32>(out + (<usize>i << 2), unit ? log1pf(v) : logf(v));
    }
  }
}
