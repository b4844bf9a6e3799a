// Vectorised exp/log for the SIMD build, and the scalar forms the scalar build and the SIMD
// tails use. The vector forms follow XNNPACK's wasmsimd kernels: magic-number rounding for
// range reduction (no float->int conversion, which costs several x86 instructions), a
// two-constant Cody-Waite ln2, then Cephes' expm1 polynomial; log uses musl's logf reduction.
// Accuracy (checked against float64 in test/math.test.ts): <= 2 ulp over the ranges used.

// exp: n = round(z / ln2) via the magic bias; the bias also carries the exponent offset so that
// `n << 23` is directly the bits of 2^n (2^(n-1) for expAny, which doubles at the end so that
// n = 128 still has a representable scale).
const MAGIC_NEG: f32 = reinterpret<f32>(0x4B40007F); // 0x1.8000FEp23 = 1.5 * 2^23 + 127
const MAGIC_ANY: f32 = reinterpret<f32>(0x4B40007E); // 1.5 * 2^23 + 126
const LOG2E: f32 = 1.44269502;                      // 0x1.715476p+0
const MINUS_LN2_HI: f32 = -0.693145751953125;       // -0x1.62E400p-1
const MINUS_LN2_LO: f32 = -1.428606765330187e-6;    // -0x1.7F7D1Cp-20
// exp(t) - 1 = t + t^2 P(t) on |t| <= ln2/2, P of degree 5 (Cephes expf): <= 1 ulp with the
// final e = s + s * (exp(t) - 1); XNNPACK's degree-5 p(t) with e = s + (t s) p reached 2.2 ulp.
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;
const DENORM_CUTOFF: f32 = -87.336544750553102;     // below this exp(z) is subnormal: 0
const ANY_CUTOFF: f32 = -86.5;                       // expAny's scale 2^(n-1) needs n >= -125
const OVERFLOW_CUTOFF: f32 = 88.72283172607421875;  // above this exp(z) is +inf

/** exp(t) - 1 for the reduced argument |t| <= ln2/2 (a little more after rounding of n). */
@inline function expm1Poly4(t: v128): v128 {
  let p = f32x4.add(f32x4.mul(f32x4.splat(P0), t), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(P5));
  return f32x4.add(f32x4.mul(p, f32x4.mul(t, t)), t);
}

/** exp(z) for z <= 0 (the arguments of softmax and softplus after max subtraction). */
@inline export function expNeg4(z: v128): v128 {
  let n = f32x4.add(f32x4.mul(z, f32x4.splat(LOG2E)), f32x4.splat(MAGIC_NEG));
  const s = i32x4.shl(n, 23);
  n = f32x4.sub(n, f32x4.splat(MAGIC_NEG));
  let t = f32x4.add(f32x4.mul(n, f32x4.splat(MINUS_LN2_HI)), z);
  t = f32x4.add(f32x4.mul(n, f32x4.splat(MINUS_LN2_LO)), t);
  const e = f32x4.add(f32x4.mul(expm1Poly4(t), s), s);
  return v128.andnot(e, f32x4.lt(z, f32x4.splat(DENORM_CUTOFF)));
}

/** exp(z) for any z: 0 below -86.5 (|error| < 3e-38), +inf above 88.72, NaN for NaN. */
@inline export function expAny4(z: v128): v128 {
  let n = f32x4.add(f32x4.mul(z, f32x4.splat(LOG2E)), f32x4.splat(MAGIC_ANY));
  const s = i32x4.shl(n, 23);
  n = f32x4.sub(n, f32x4.splat(MAGIC_ANY));
  let t = f32x4.add(f32x4.mul(n, f32x4.splat(MINUS_LN2_HI)), z);
  t = f32x4.add(f32x4.mul(n, f32x4.splat(MINUS_LN2_LO)), t);
  let e = f32x4.add(f32x4.mul(expm1Poly4(t), s), s);
  e = f32x4.add(e, e);
  e = v128.andnot(e, f32x4.lt(z, f32x4.splat(ANY_CUTOFF)));
  e = v128.bitselect(f32x4.splat(Infinity), e, f32x4.gt(z, f32x4.splat(OVERFLOW_CUTOFF)));
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

/** log(1 + f) for f in [sqrt(1/2) - 1, sqrt(2) - 1], plus k * ln2. */
@inline function logKernel4(f: v128, k: v128): v128 {
  const s = f32x4.div(f, f32x4.add(f32x4.splat(2.0), f));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, f32x4.add(f32x4.splat(LG2), f32x4.mul(w, f32x4.splat(LG4))));
  const t2 = f32x4.mul(z, f32x4.add(f32x4.splat(LG1), f32x4.mul(w, f32x4.splat(LG3))));
  const r = f32x4.add(t2, t1);
  const hfsq = f32x4.mul(f32x4.mul(f32x4.splat(0.5), f), f);
  // s*(hfsq+R) + k*ln2_lo - hfsq + f + k*ln2_hi
  let y = f32x4.add(f32x4.mul(s, f32x4.add(hfsq, r)), f32x4.mul(k, f32x4.splat(LN2_LO)));
  y = f32x4.add(f32x4.sub(y, hfsq), f);
  return f32x4.add(y, f32x4.mul(k, f32x4.splat(LN2_HI)));
}

/** Natural log of positive finite x (normal or subnormal); 0 gives -inf, +inf gives +inf,
 *  negative or NaN gives NaN. */
@inline export function log4(x: v128): v128 {
  // Subnormals: scale by 2^23 first and take 23 off the exponent.
  const tiny = f32x4.lt(x, f32x4.splat(MIN_NORMAL));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(TWO23)), x, tiny);
  const bias = v128.and(tiny, f32x4.splat(23.0));
  const ix = i32x4.sub(xs, i32x4.splat(SQRT_HALF_BITS));
  const k = i32x4.shr_s(ix, 23);
  const m = i32x4.add(v128.and(ix, i32x4.splat(0x007FFFFF)), i32x4.splat(SQRT_HALF_BITS));
  const f = f32x4.sub(m, f32x4.splat(1.0));
  const kf = f32x4.sub(f32x4.convert_i32x4_s(k), bias);
  let y = logKernel4(f, kf);
  // Special values: x == 0 -> -inf; x == +inf -> +inf; x < 0 or NaN -> NaN.
  y = v128.bitselect(f32x4.splat(-Infinity), y, f32x4.eq(x, f32x4.splat(0)));
  y = v128.bitselect(x, y, f32x4.eq(x, f32x4.splat(Infinity)));
  y = v128.bitselect(f32x4.splat(NaN), y, v128.not(f32x4.ge(x, f32x4.splat(0))));
  return y;
}

/** log(1 + e) for e in [0, 1] (softplus of -|x|): exact for tiny e, where 1 + e rounds to 1. */
@inline export function log1pUnit4(e: v128): v128 {
  const u = f32x4.add(f32x4.splat(1.0), e);
  // u in [1, 2]: the reduction is just f = u - 1 (k = 0) below sqrt(2), else f = u/2 - 1, k = 1.
  const big = f32x4.gt(u, f32x4.splat(1.41421356));
  const m = v128.bitselect(f32x4.mul(u, f32x4.splat(0.5)), u, big);
  const k = v128.and(big, f32x4.splat(1.0));
  const lg = logKernel4(f32x4.sub(m, f32x4.splat(1.0)), k);
  // Correct for the rounding of 1 + e (musl's log1pf): c = e - (u - 1) is exact (Fast2Sum, as
  // e <= 1), and log1p(e) = log(u) + log(1 + c/u) ~= log(u) + c/u; for tiny e, u = 1 and c = e.
  const c = f32x4.sub(e, f32x4.sub(u, f32x4.splat(1.0)));
  return f32x4.add(lg, f32x4.div(c, u));
}

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
