// Losses over pairs and triplets of embedding rows of length D (PyTorch's cosine_embedding_loss
// and triplet_margin_loss): a first pass over the row gathers the dot products or distances, a
// second writes the gradients of every input (they need the row's totals). Row-loss kernel ABI
// as in ranking.ts; here with one gradient pointer per differentiable input.

import { BLOCK, hsum64, hmax, expf, logf } from "./math";
import { expCall4, logCall4 } from "./mathcalls";

@inline function rowScale(gradOut: usize, r: i32, scale: f32): f32 {
  return gradOut != 0 ? load<f32>(gradOut + (<usize>r << 2)) : scale;
}

const EPSILON: f32 = 1e-12; // added to each squared norm (PyTorch's EPSILON in Loss.cpp)

function cosineRows(
  a: usize, b: usize, y: usize, rows: i32, D: i32, lossOut: usize, ga: usize, gb: usize,
  gradOut: usize, scale: f32, margin: f32,
): f64 {
  let total: f64 = 0;
  const bytes = <usize>D << 2;
  for (let r = 0; r < rows; r++) {
    const ar = a + <usize>r * bytes;
    const br = b + <usize>r * bytes;
    let sab: f64 = 0, saa: f64 = 0, sbb: f64 = 0;
    let d = 0;
    if (ASC_FEATURE_SIMD) {
      const d4 = D & ~3;
      while (d < d4) {
        const end = min(d + BLOCK, d4);
        let ab = f32x4.splat(0), aa = ab, bb = ab;
        for (; d < end; d += 4) {
          const off = <usize>d << 2;
          const av = v128.load(ar + off);
          const bv = v128.load(br + off);
          ab = f32x4.add(ab, f32x4.mul(av, bv));
          aa = f32x4.add(aa, f32x4.mul(av, av));
          bb = f32x4.add(bb, f32x4.mul(bv, bv));
        }
        sab += hsum64(ab);
        saa += hsum64(aa);
        sbb += hsum64(bb);
      }
    }
    for (; d < D; d++) {
      const off = <usize>d << 2;
      const av = load<f32>(ar + off);
      const bv = load<f32>(br + off);
      sab += <f64>(av * bv);
      saa += <f64>(av * av);
      sbb += <f64>(bv * bv);
    }
    // PyTorch's float32 sequence: the sums are float32 tensors, then prod / sqrt(m1 * m2).
    const p = <f32>sab;
    const m1 = <f32>saa + EPSILON;
    const m2 = <f32>sbb + EPSILON;
    const denom = Mathf.sqrt(m1 * m2);
    const cos = p / denom;
    const t = load<f32>(y + (<usize>r << 2));
    let l: f32 = 0;
    let gc: f32 = 0; // d(loss)/d(cos)
    if (t == 1) {
      l = 1 - cos;
      gc = -1;
    } else if (t == -1) {
      const v = cos - margin;
      l = Mathf.max(v, 0); // NaN stays NaN, as clamp_min
      gc = v >= 0 ? 1 : 0; // clamp_min passes the gradient at v = 0
    }
    if (lossOut != 0) store<f32>(lossOut + (<usize>r << 2), l);
    total += <f64>l;
    if (ga != 0) {
      // Autograd's chain through cos = p / sqrt(m1 m2): d/da = gp b + ca a, d/db = gp a + cb b.
      const g = gc * rowScale(gradOut, r, scale);
      // (In autograd's order of operations, so that exact zeros stay exact: div's other-grad is
      // -g ((p / denom) / denom), sqrt's is that / (2 denom).)
      const gp = g / denom;
      const gx = (-g * (cos / denom)) / (denom + denom);
      const ca = (gx + gx) * m2;
      const cb = (gx + gx) * m1;
      const gar = ga + <usize>r * bytes;
      const gbr = gb + <usize>r * bytes;
      d = 0;
      if (ASC_FEATURE_SIMD) {
        const GP = f32x4.splat(gp), CA = f32x4.splat(ca), CB = f32x4.splat(cb);
        const d4 = D & ~3;
        for (; d < d4; d += 4) {
          const off = <usize>d << 2;
          const av = v128.load(ar + off);
          const bv = v128.load(br + off);
          v128.store(gar + off, f32x4.add(f32x4.mul(GP, bv), f32x4.mul(CA, av)));
          v128.store(gbr + off, f32x4.add(f32x4.mul(GP, av), f32x4.mul(CB, bv)));
        }
      }
      for (; d < D; d++) {
        const off = <usize>d << 2;
        const av = load<f32>(ar + off);
        const bv = load<f32>(br + off);
        store<f32>(gar + off, gp * bv + ca * av);
        store<f32>(gbr + off, gp * av + cb * bv);
      }
    }
  }
  return total;
}

/** cosine_embedding_loss over `rows` pairs of rows of length D; y: one target (±1) per row. */
export function cosineEmbedding(
  a: usize, b: usize, y: usize, rows: i32, D: i32, lossOut: usize, ga: usize, gb: usize,
  gradOut: usize, scale: f32, margin: f32,
): f64 {
  return cosineRows(a, b, y, rows, D, lossOut, ga, gb, gradOut, scale, margin);
}

// Triplet distances ||u||_p with u = x1 - x2 + eps (pairwise_distance). `mode` 1 and 2 are the
// p = 1 and p = 2 norms; mode 0 is any other p > 0 through exp(p log r). Each distance is its
// own pass over the row (one loop in the binary instead of one per distance and option).
//
// Accuracy of mode 0: exp(p log x) in float32 errs by about p |log x| ulp, large for |u| far
// from 1. So the general path works with ratios r <= 1 whose logs are small where it matters:
// ||u|| = m (sum (|u| / m)^p)^(1/p) with m = max |u|, and the gradient uses (|u| / ||u||)^(p-1).
// A ratio below float32's normal range (|u| 38 orders below m, or every ratio when 1/m itself
// overflows, m subnormal: inv = 0 then) is formed from the logs instead, exp(k (log|u| − log m)):
// as a product it would round to 0, and 0^k is 0, or +∞ for the gradient's k = p − 1 < 0.

/** x^k for x >= 0 (0^k = 0 for k > 0), with the called exp and log of mathcalls.ts. */
@inline function pow4(x: v128, k: v128): v128 {
  return expCall4(f32x4.mul(k, logCall4(x)));
}

const MIN_NORMAL: f32 = 1.17549435e-38;

/** (|u| / m)^k, given inv = 1 / m (0 when that overflows) and logm = log m (see above). */
function ratioPow4(au: v128, INV: v128, K: v128, LOGM: v128): v128 {
  const r = f32x4.mul(au, INV);
  const h = pow4(r, K);
  const low = v128.and(f32x4.lt(r, f32x4.splat(MIN_NORMAL)), f32x4.ne(au, f32x4.splat(0)));
  let out = h;
  if (v128.any_true(low)) out = v128.bitselect(expCall4(f32x4.mul(K, f32x4.sub(logCall4(au), LOGM))), h, low);
  return out;
}
function ratioPow1(au: f32, inv: f32, k: f32, logm: f32): f32 {
  const r = au * inv;
  return r < MIN_NORMAL && au != 0 ? expf(k * (logf(au) - logm)) : expf(k * logf(r));
}

/** 1 / m, or 0 where that overflows (m subnormal: ratioPow then works from the logs). */
@inline function inverse(m: f32): f32 {
  const inv: f32 = <f32>1 / m;
  return inv < Infinity ? inv : 0;
}

@inline function diff4(x1: usize, x2: usize, off: usize, E: v128): v128 {
  return f32x4.add(f32x4.sub(v128.load(x1 + off), v128.load(x2 + off)), E);
}

/** max |x1 - x2 + eps| over the row (NaN may or may not win; the caller does not rely on it). */
function maxAbs(x1: usize, x2: usize, D: i32, eps: f32): f32 {
  let m: f32 = 0;
  let d = 0;
  if (ASC_FEATURE_SIMD) {
    const E = f32x4.splat(eps);
    let acc = f32x4.splat(0);
    const d4 = D & ~3;
    for (; d < d4; d += 4) acc = f32x4.pmax(acc, f32x4.abs(diff4(x1, x2, <usize>d << 2, E)));
    m = hmax(acc);
  }
  for (; d < D; d++) {
    const off = <usize>d << 2;
    m = max(m, Mathf.abs(load<f32>(x1 + off) - load<f32>(x2 + off) + eps));
  }
  return m;
}

/** Sum over the row of |x1 - x2 + eps|^p (mode 0: of (|x1 - x2 + eps| / m)^p, inv = 1 / m or 0,
 *  logm = log m). */
function powerSum(x1: usize, x2: usize, D: i32, eps: f32, mode: i32, p: f32, inv: f32, logm: f32): f64 {
  let s: f64 = 0;
  let d = 0;
  if (ASC_FEATURE_SIMD) {
    const E = f32x4.splat(eps);
    const P = f32x4.splat(p);
    const INV = f32x4.splat(inv);
    const LOGM = f32x4.splat(logm);
    const d4 = D & ~3;
    // Mode 0 sums ratios <= 1 of similar size, and the distance s^(1/p) multiplies the sum's
    // relative error by 1/p: shorter float32 runs there.
    const run = mode == 0 ? BLOCK >> 2 : BLOCK;
    while (d < d4) {
      const end = min(d + run, d4);
      let acc = f32x4.splat(0);
      for (; d < end; d += 4) {
        const u = diff4(x1, x2, <usize>d << 2, E);
        let h: v128;
        if (mode == 2) h = f32x4.mul(u, u);
        else if (mode == 1) h = f32x4.abs(u);
        else h = ratioPow4(f32x4.abs(u), INV, P, LOGM);
        acc = f32x4.add(acc, h);
      }
      s += hsum64(acc);
    }
  }
  for (; d < D; d++) {
    const off = <usize>d << 2;
    const u = load<f32>(x1 + off) - load<f32>(x2 + off) + eps;
    s += <f64>(mode == 2 ? u * u : mode == 1 ? Mathf.abs(u) : ratioPow1(Mathf.abs(u), inv, p, logm));
  }
  return s;
}

/** ||x1 - x2 + eps||_p over the row. */
function distance(x1: usize, x2: usize, D: i32, eps: f32, mode: i32, p: f32): f32 {
  if (mode == 2) return Mathf.sqrt(<f32>powerSum(x1, x2, D, eps, 2, p, 1, 0));
  if (mode == 1) return <f32>powerSum(x1, x2, D, eps, 1, p, 1, 0);
  let m = maxAbs(x1, x2, D, eps);
  if (!(m > 0 && m < Infinity)) m = 1; // all zero, infinite or NaN: no scaling (0, inf, NaN follow)
  const s = <f32>powerSum(x1, x2, D, eps, 0, p, inverse(m), logf(m));
  return expf(logf(s) / p) * m;
}

/**
 * f = c * d||u||_p/du for u = x1 - x2 + eps at distance `dist`: o1 = (add1 ? o1 : 0) + f and
 * o2 = (add2 ? o2 : 0) - f. d||u||/du is sign(u) (p = 1), u / ||u|| (p = 2), otherwise
 * sign(u) (|u| / ||u||)^(p-1); 0 where u = 0, and all 0 at a zero distance (norm_backward).
 * sign(NaN) = 0 as PyTorch's sign, so p = 1 gives 0 where p = 2 and general p give NaN.
 */
function normGrad(
  x1: usize, x2: usize, D: i32, eps: f32, c: f32, dist: f32, mode: i32, p: f32,
  o1: usize, o2: usize, add1: bool, add2: bool,
): void {
  // No gradient at a zero distance or with c = 0 (an inactive row) at a finite one: finite
  // stand-ins, so that no 0·∞ arises where a power of a far smaller component overflows
  // (PyTorch's is 0 there too; a NaN or infinite distance still gives its NaN, as PyTorch's).
  let q = p - 1;
  if (dist == 0 || (c == 0 && dist < Infinity)) { c = 0; dist = 1; q = 0; }
  if (mode == 0 && dist != dist) mode = 2; // a NaN distance: NaN everywhere, u = 0 included (as PyTorch's)
  // A NaN distance makes the general-p gradient NaN, as PyTorch's; a subnormal one works from
  // the logs (ratioPow).
  let inv: f32 = mode == 0 ? inverse(dist) : <f32>1 / dist;
  let logd: f32 = mode == 0 ? logf(dist) : 0;
  const m = mode == 0 && dist == Infinity ? maxAbs(x1, x2, D, eps) : 0;
  if (m > 0 && m < Infinity) {
    // The distance m·s^(1/p) overflowed float32, its ratios did not: |u| / ‖u‖ = (|u| / m) / s^(1/p)
    // (PyTorch's float32 gradient is NaN there).
    const ls = logf(<f32>powerSum(x1, x2, D, eps, 0, p, inverse(m), logf(m))) / p;
    inv = inverse(m) / expf(ls);
    logd = logf(m) + ls;
  }
  let d = 0;
  if (ASC_FEATURE_SIMD) {
    const E = f32x4.splat(eps), C = f32x4.splat(c), Q = f32x4.splat(q), INV = f32x4.splat(inv), DV = f32x4.splat(dist);
    const LOGD = f32x4.splat(logd);
    const zero = f32x4.splat(0);
    const M1 = add1 ? i32x4.splat(-1) : zero;
    const M2 = add2 ? i32x4.splat(-1) : zero;
    const d4 = D & ~3;
    for (; d < d4; d += 4) {
      const off = <usize>d << 2;
      const u = f32x4.add(f32x4.sub(v128.load(x1 + off), v128.load(x2 + off)), E);
      let f: v128;
      if (mode == 2) {
        f = f32x4.mul(f32x4.div(u, DV), C); // (u / ||u||) g, autograd's order
      } else {
        // sign(u) with sign(0) = sign(NaN) = 0, as PyTorch's sign.
        const sgn = v128.or(
          v128.and(f32x4.gt(u, zero), f32x4.splat(1)), v128.and(f32x4.lt(u, zero), f32x4.splat(-1)));
        f = f32x4.mul(C, sgn);
        if (mode != 1) {
          const m = ratioPow4(f32x4.abs(u), INV, Q, LOGD);
          f = v128.and(f32x4.mul(f, m), v128.not(f32x4.eq(u, zero))); // NaN u gives NaN
        }
      }
      v128.store(o1 + off, f32x4.add(v128.and(v128.load(o1 + off), M1), f));
      v128.store(o2 + off, f32x4.sub(v128.and(v128.load(o2 + off), M2), f));
    }
  }
  for (; d < D; d++) {
    const off = <usize>d << 2;
    const u = load<f32>(x1 + off) - load<f32>(x2 + off) + eps;
    let f: f32;
    if (mode == 2) {
      f = u / dist * c;
    } else if (u == 0) {
      f = 0;
    } else {
      f = c * (u > 0 ? <f32>1 : u < 0 ? <f32>-1 : 0);
      if (mode != 1) f *= ratioPow1(Mathf.abs(u), inv, q, logd);
    }
    store<f32>(o1 + off, (add1 ? load<f32>(o1 + off) : 0) + f);
    store<f32>(o2 + off, (add2 ? load<f32>(o2 + off) : 0) - f);
  }
}

/**
 * triplet_margin_loss over `rows` triplets of rows of length D: distances ||x1 - x2 + eps||_p
 * (p > 0), loss max(0, margin + d(a, p) - d(a, n)); with `swap` d(a, n) -> min(d(a, n), d(p, n)),
 * a tie sharing the gradient half and half (PyTorch's minimum backward).
 */
export function tripletMargin(
  a: usize, p: usize, n: usize, rows: i32, D: i32, lossOut: usize, gA: usize, gP: usize, gN: usize,
  gradOut: usize, scale: f32, margin: f32, power: f32, eps: f32, swap: i32,
): f64 {
  const mode: i32 = power == 1 ? 1 : power == 2 ? 2 : 0;
  let total: f64 = 0;
  const bytes = <usize>D << 2;
  for (let r = 0; r < rows; r++) {
    const at = <usize>r * bytes;
    const dp = distance(a + at, p + at, D, eps, mode, power);
    const dn = distance(a + at, n + at, D, eps, mode, power);
    let dm = dn, ds: f32 = 0;
    let wn: f32 = 1, ws: f32 = 0; // shares of the gradient of min(dn, ds)
    if (swap != 0) {
      ds = distance(p + at, n + at, D, eps, mode, power);
      dm = Mathf.min(dn, ds); // NaN if either is NaN, as torch.minimum
      if (ds < dn) { wn = 0; ws = 1; } else if (ds == dn) { wn = 0.5; ws = 0.5; }
    }
    const v = margin + dp - dm;
    const l = Mathf.max(v, 0); // NaN stays NaN, as clamp_min
    if (lossOut != 0) store<f32>(lossOut + (<usize>r << 2), l);
    total += <f64>l;
    if (gA != 0) {
      const g: f32 = v >= 0 ? rowScale(gradOut, r, scale) : 0; // clamp_min: active at v = 0
      normGrad(a + at, p + at, D, eps, g, dp, mode, power, gA + at, gP + at, false, false);
      normGrad(a + at, n + at, D, eps, -g * wn, dn, mode, power, gA + at, gN + at, true, false);
      if (swap != 0) normGrad(p + at, n + at, D, eps, -g * ws, ds, mode, power, gP + at, gN + at, true, true);
    }
  }
  return total;
}
