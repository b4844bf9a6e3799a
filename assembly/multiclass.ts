// Cross-entropy, NLL, softmax and log-softmax over PyTorch's class layouts: [N, C, D] with the
// class stride D (D = d1·…·dk; D = 1 is the plain [N, C] row layout, classes contiguous).
//
// Kernel ABI (src/kernels.ts declares it): pointers are byte offsets of f32/i32 arrays. A call
// covers N samples of D positions each with class stride `stride` >= D: sample n's class c at
// position j is element (n·C + c)·stride + j, its target and loss at n·stride + j. stride = D is
// the whole layout; stride > D (N = 1) a range of positions of one sample, so that a large
// K-dimensional sample can be cut into pieces without copying;
// `tgt` holds one i32 class index per sample position with ignored positions already mapped to
// -1 by the wrapper; lossOut/grad/gradOut are optional (0) exactly as in pointwise.ts.
//
// Every cross-entropy variant is one formula. Per sample position, with the row max m, the
// log of the shifted sum ls = log Σ exp(z_c − m), and d_c = (m − z_c) + ls = −log_softmax_c ≥ 0:
//   q_c  = w_c · (a · t_c + b) + [c = y] · a · w_y      a = 1 − ε, b = ε / C
//   loss = Σ_c q_c · d_c           grad_c = s · (p_c · Q − q_c),   Q = Σ_c q_c,  p_c = exp(−d_c)
// t_c is the probability target (0 for index targets, whose class y enters through the last
// term), w the class weights (1 without), s the upstream scale (gradOut, or 1/Σw for "mean").
// d is formed as (m − z) + ls, never as lse − z: at |z| ~ 1e4 the latter loses 3 digits.
//
// Passes: (1) online softmax — running max and rescaled sum in one read of the row; (2) only
// when needed (gradient, smoothing or probability targets), the loss terms and the gradient in a
// second read while the row is in cache. [N, C] rows vectorise across classes; the K-dimensional
// layout across 4 neighbouring positions (contiguous for a fixed class). Absent inputs/outputs
// use the masked-slot trick of pointwise.ts, so there is one specialisation per kernel.

import { BLOCK, expNeg4, hsum64, hmax, expf, logf } from "./math";
import { sink, optional, maskOf, scaleSlot } from "./pointwise";
import { cell, LANE_CELL } from "./scratch";
import { logCall4, expNegAbsCall4 } from "./mathcalls";

const ONES = memory.data<f32>([1, 1, 1, 1], 16); // weights when there are none
const ZERO = memory.data(16, 16);                 // probability targets of index-target calls
// Per-lane scratch of the K-dim path (this thread's cells, scratch.ts).
@inline function LANE_Y(): usize { return cell(LANE_CELL); }
@inline function LANE_W(): usize { return cell(LANE_CELL + 1); }
@inline function LANE_Q(): usize { return cell(LANE_CELL + 2); }
@inline function LANE_ACT(): usize { return cell(LANE_CELL + 3); }
@inline function LANE_LOSS(): usize { return cell(LANE_CELL + 4); }
@inline function LANE_M(): usize { return cell(LANE_CELL + 5); }
@inline function LANE_LS(): usize { return cell(LANE_CELL + 6); }
@inline function LANE_S(): usize { return cell(LANE_CELL + 7); }
// TAIL + 16·r: lanes 4−r..3 set (r = 0: all four), the r new elements of an overlapping last
// vector (the one that ends exactly at the row's end). Tails are done with that vector instead
// of scalar code: stores of the repeated lanes write the same values again, sums mask them out.
// (So an output must never alias an input: the wrapper refuses overlapping alloc() views.)
const TAIL = memory.data<i32>([-1, -1, -1, -1, 0, 0, 0, -1, 0, 0, -1, -1, 0, -1, -1, -1], 16);
@inline function tailMask(r: i32): v128 { return v128.load(TAIL + (<usize>r << 4)); }
const NEG_MAX: f32 = -3.4028234663852886e38; // start of the running max: exp(-inf - NEG_MAX) = 0

// Results of the first pass, and the per-call constants (set once per kernel call).
@lazy let M1: f32 = 0;
@lazy let LS1: f32 = 0;
@lazy let M4: v128 = i32x4(0, 0, 0, 0);
@lazy let LS4: v128 = i32x4(0, 0, 0, 0);
@lazy let S4: v128 = i32x4(0, 0, 0, 0);
@lazy let A: f32 = 1;
@lazy let B: f32 = 0;
@lazy let WALL: f32 = 0;
@lazy let IDX: bool = true;
@lazy let PASS2: bool = false;
@lazy let SMOOTH: bool = false; // Σ q·d adds to the loss (else q = 0, and 0·∞ at a −∞ logit must not)
@lazy let TGT: usize = 0;
@lazy let TP: usize = 0;
@lazy let TM: usize = 0;
@lazy let WP: usize = 0;
@lazy let WM: usize = 0;
@lazy let GP: usize = 0;
@lazy let GM: usize = 0;
@lazy let SP: usize = 0;
@lazy let SM: usize = 0;

// ---- pass 1: max and log-sum-exp --------------------------------------------------------------

/** Σ exp(z − max) over classes [c0, c1) of one position (classes at x + c·cs bytes), online
 *  (running max, rescaled sum) in float32: returns the sum and leaves the max in M1. */
@inline function online(x: usize, c0: i32, c1: i32, cs: usize): f32 {
  let m = NEG_MAX;
  let s: f32 = 0;
  for (let c = c0; c < c1; c++) {
    const z = load<f32>(x + <usize>c * cs);
    if (z > m) {
      // + (z − z): NaN for z = +∞, whose exp(z − max) PyTorch forms as exp(∞ − ∞) = NaN.
      s = s * expf(m - z) + (z - z) + 1;
      m = z;
    } else {
      s += expf(z - m);
    }
  }
  M1 = m;
  return s;
}

/** One position, classes at x + c·cs bytes: M1 = max, LS1 = log Σ exp(z − max). Beyond BLOCK
 *  classes the blocks' sums are merged in float64: one float32 accumulator over 50,000 equal
 *  terms is 1e-3 off (the SIMD paths spread a row over four lanes). */
function stats1(x: usize, C: i32, cs: usize): void {
  let s = online(x, 0, min(C, BLOCK), cs);
  if (C > BLOCK) {
    let M = M1;
    let S: f64 = <f64>s;
    for (let c0 = BLOCK; c0 < C; c0 += BLOCK) {
      const b = <f64>online(x, c0, min(c0 + BLOCK, C), cs);
      const m = M1;
      if (m > M) {
        S = S * <f64>expf(M - m) + b;
        M = m;
      } else {
        S += b * <f64>expf(m - M);
      }
    }
    M1 = M;
    s = <f32>S;
  }
  LS1 = logf(s);
}

/** Max of a contiguous row of C >= 4 classes, at least NEG_MAX (the last vector overlaps; NaN
 *  lanes are skipped by pmax, and give NaN through the sum). */
function rowMax(x: usize, C: i32): f32 {
  let m = f32x4.splat(NEG_MAX), m1 = m; // two chains: pmax latency, not loads, bounds one
  let c = 0;
  for (; c + 8 <= C; c += 8) {
    m = f32x4.pmax(m, v128.load(x + (<usize>c << 2)));
    m1 = f32x4.pmax(m1, v128.load(x + (<usize>c << 2), 16));
  }
  for (; c < C; c += 4) m = f32x4.pmax(m, v128.load(x + (<usize>min(c, C - 4) << 2)));
  return hmax(f32x4.pmax(m, m1));
}

// Long rows (C > 256) with class-index targets and no smoothing (the common case) are software-
// pipelined across rows: the exp pass of row n, bound by the latency of the exp's dependency
// chain, also does the two cheap passes of its neighbours in its idle issue slots: the max of row
// n + 1 (its first read from memory) and the final scaling of row n − 1's gradient. This takes the
// row to one pass that leaves the core (measured ~15% faster at C = 1000 with the gradient).
@lazy let NEXT_M: f32 = 0;

/** Σ exp(z − m) over row x (C >= 4 classes; each exp stored at e + (offset & em)); meanwhile
 *  NEXT_M = max of row xn, and g[c] *= k for the previous row's gradient g when g != 0 (the repeated
 *  lanes of the overlapping last vector are scaled once). Sums exactly as rowExpSum. */
function rowExpSumPipe(x: usize, C: i32, m: f32, e: usize, em: usize, xn: usize, g: usize, k: f32): f32 {
  const mv = f32x4.splat(m), kv = f32x4.splat(k);
  let s = f32x4.splat(0), mx = f32x4.splat(NEG_MAX);
  let c = 0;
  for (; c + 4 <= C; c += 4) {
    const co = <usize>c << 2;
    const p = expNeg4(f32x4.sub(v128.load(x + co), mv));
    v128.store(e + (co & em), p);
    s = f32x4.add(s, p);
    mx = f32x4.pmax(mx, v128.load(xn + co));
    if (g != 0) v128.store(g + co, f32x4.mul(v128.load(g + co), kv));
  }
  if (c < C) {
    // The last vector overlaps to end at the row's end; its exp is called, not inlined (a second
    // inlined copy costs ~200 bytes; merging it into the loop with masks cost 10-15% at C = 1000).
    const co = <usize>(C - 4) << 2;
    const fresh = tailMask(C - c);
    const p = expNegAbsCall4(f32x4.sub(v128.load(x + co), mv)); // = expNeg4, as z − m <= 0
    v128.store(e + (co & em), p);
    s = f32x4.add(s, v128.and(p, fresh));
    mx = f32x4.pmax(mx, v128.load(xn + co));
    if (g != 0) {
      const gv = v128.load(g + co);
      v128.store(g + co, v128.bitselect(f32x4.mul(gv, kv), gv, fresh));
    }
  }
  NEXT_M = hmax(mx);
  return <f32>hsum64(s);
}

/** crossEntropy's rows for D = 1, C > 256, index targets, no smoothing (see rowExpSumPipe). */
function ceLongRows(x: usize, N: i32, C: i32, lp: usize, lm: usize): f64 {
  const rowBytes = <usize>C << 2;
  let total: f64 = 0;
  let m = N > 0 ? rowMax(x, C) : 0;
  let pg: usize = 0, pk: f32 = 0, py: usize = 0, pv: f32 = 0; // previous row: gradient, scale, g[y] −= pv
  for (let n = 0; n < N; n++) {
    const row = <usize>n;
    const off = row * rowBytes;
    const xr = x + off;
    const S = rowExpSumPipe(xr, C, m, GP + (off & GM), GM, n + 1 < N ? xr + rowBytes : xr, pg, pk);
    if (pg != 0) store<f32>(py, load<f32>(py) - pv);
    pg = 0;
    const y = load<i32>(TGT + (row << 2));
    let l: f32 = 0;
    if (y < 0) {
      if (GM != 0) memory.fill(GP + off, 0, rowBytes);
    } else {
      const s = load<f32>(SP + ((row << 2) & SM));
      const ls = f32x4.extract_lane(logCall4(f32x4.splat(S)), 0);
      const wy = load<f32>(WP + ((<usize>y << 2) & WM));
      l = A * wy * ((m - load<f32>(xr + (<usize>y << 2))) + ls);
      if (GM != 0) {
        // As ceRow4 without smoothing: grad = exp(z − m) · (s·Q / S), then g[y] −= s·A·wy.
        pg = GP + off;
        pk = s * (A * wy + B * WALL) / S;
        py = pg + (<usize>y << 2);
        pv = s * A * wy;
      }
    }
    store<f32>(lp + ((row << 2) & lm), l);
    total += <f64>l;
    m = NEXT_M;
  }
  if (pg != 0) {
    const kv = f32x4.splat(pk);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const gp = pg + (<usize>c << 2);
      v128.store(gp, f32x4.mul(v128.load(gp), kv));
    }
    if (c < C) {
      const gp = pg + (<usize>(C - 4) << 2);
      const gv = v128.load(gp);
      v128.store(gp, v128.bitselect(f32x4.mul(gv, kv), gv, tailMask(C - c)));
    }
    store<f32>(py, load<f32>(py) - pv);
  }
  return total;
}

/** Four neighbouring positions (lanes), classes at x + c·cs: per lane the max M4 (at least
 *  NEG_MAX), S4 = Σ exp(z − M4) with each exp stored at e + (c·cs & em), LS4 = log S4. */
function statsCol4(x: usize, C: i32, cs: usize, e: usize, em: usize): void {
  let m = f32x4.splat(NEG_MAX);
  for (let c = 0; c < C; c++) m = f32x4.pmax(m, v128.load(x + <usize>c * cs));
  let s = f32x4.splat(0);
  for (let c = 0; c < C; c++) {
    const o = <usize>c * cs;
    const p = expNeg4(f32x4.sub(v128.load(x + o), m));
    v128.store(e + (o & em), p);
    s = f32x4.add(s, p);
  }
  M4 = m;
  S4 = s;
  LS4 = logCall4(s);
}

/** The four float64 lanes lo, hi as one f32x4. */
@inline function join64(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

// ---- cross-entropy ------------------------------------------------------------------------------

/** Q = Σ_c w_c (a t_c + b) of a probability-target position (scalar: off the hot path; summed in
 *  float64). */
function targetMass1(off: usize, cs: usize, C: i32): f32 {
  let q: f64 = 0;
  for (let c = 0; c < C; c++) {
    q += <f64>(load<f32>(WP + ((<usize>c << 2) & WM)) * (A * load<f32>(TP + ((off + <usize>c * cs) & TM)) + B));
  }
  return <f32>q;
}

/** One position, scalar (scalar build, C < 4 rows, K-dim tails): returns its loss. */
function ce1(x: usize, off: usize, cs: usize, C: i32, y: i32, s: f32): f32 {
  if (IDX && y < 0) {
    for (let c = 0; c < C; c++) store<f32>(GP + ((off + <usize>c * cs) & GM), 0);
    return 0;
  }
  stats1(x + off, C, cs);
  const m = M1, ls = LS1;
  let loss: f32 = 0, Q: f32, wy: f32 = 0;
  if (IDX) {
    wy = load<f32>(WP + ((<usize>y << 2) & WM));
    loss = A * wy * ((m - load<f32>(x + off + <usize>y * cs)) + ls);
    Q = A * wy + B * WALL;
  } else {
    Q = targetMass1(off, cs, C);
  }
  if (PASS2) {
    let smooth: f64 = 0; // Σ q·d in float64 (C may be large)
    for (let c = 0; c < C; c++) {
      const o = off + <usize>c * cs;
      const d = (m - load<f32>(x + o)) + ls;
      const q = load<f32>(WP + ((<usize>c << 2) & WM)) * (A * load<f32>(TP + (o & TM)) + B);
      if (SMOOTH) smooth += <f64>(q * d);
      store<f32>(GP + (o & GM), s * (expf(-d) * Q - q));
    }
    if (IDX) {
      const g = GP + ((off + <usize>y * cs) & GM);
      store<f32>(g, load<f32>(g) - s * A * wy);
    }
    if (SMOOTH) loss = <f32>(<f64>loss + smooth);
  }
  return loss;
}

/** Classes c..c+3 of a row in the second pass with label smoothing or probability targets (the
 *  last vector overlaps, its repeated lanes keep their gradient): returns its loss terms q·d. */
@inline function ceVec4(x: usize, off: usize, C: i32, c: i32, mv: v128, lv: v128, qv: v128, sv: v128): v128 {
  let co = <usize>c << 2;
  let fresh = tailMask(0);
  if (c + 4 > C) {
    co = <usize>(C - 4) << 2;
    fresh = tailMask(C - c);
  }
  const o = off + co;
  const q = f32x4.mul(
    v128.load(WP + (co & WM)), f32x4.add(f32x4.mul(f32x4.splat(A), v128.load(TP + (o & TM))), f32x4.splat(B)),
  );
  const d = f32x4.add(f32x4.sub(mv, v128.load(x + o)), lv);
  const gp = GP + (o & GM);
  const e = v128.load(gp);
  v128.store(gp, v128.bitselect(f32x4.mul(sv, f32x4.sub(f32x4.mul(e, qv), q)), e, fresh));
  return v128.and(f32x4.mul(q, d), fresh);
}

/** One contiguous row of C >= 4 classes after its first pass (max m, S = Σ exp(z − m) with the
 *  exps in the gradient, ls = log S), vectorised across classes: returns its loss. */
function ceRow4(x: usize, off: usize, C: i32, y: i32, s: f32, m: f32, S: f32, ls: f32): f32 {
  if (IDX && y < 0) {
    if (GM != 0) memory.fill(GP + off, 0, <usize>C << 2);
    return 0;
  }
  let loss: f32 = 0, Q: f32, wy: f32 = 0;
  if (IDX) {
    wy = load<f32>(WP + ((<usize>y << 2) & WM));
    loss = A * wy * ((m - load<f32>(x + off + (<usize>y << 2))) + ls);
    Q = A * wy + B * WALL;
  } else {
    Q = targetMass1(off, 4, C);
  }
  if (PASS2) {
    // p_c·Q = exp(z_c − m) · (Q / S), the exp read back from the gradient; the repeated lanes of
    // the overlapping last vector already hold their gradient and keep it.
    const mv = f32x4.splat(m), lv = f32x4.splat(ls), qv = f32x4.splat(Q / S), sv = f32x4.splat(s);
    let c = 0;
    if (!SMOOTH) {
      // q = 0 (index targets without smoothing): grad = exp(z − m) · (s·Q / S).
      const k = f32x4.splat(s * Q / S);
      for (; c + 4 <= C; c += 4) {
        const gp = GP + ((off + (<usize>c << 2)) & GM);
        v128.store(gp, f32x4.mul(v128.load(gp), k));
      }
      if (c < C) {
        const gp = GP + ((off + (<usize>(C - 4) << 2)) & GM);
        const e = v128.load(gp);
        v128.store(gp, v128.bitselect(f32x4.mul(e, k), e, tailMask(C - c)));
      }
    } else {
      // Σ q·d: float32 lanes within blocks of BLOCK classes, float64 across them.
      let smooth: f64 = 0;
      while (c < C) {
        const end = min(c + BLOCK, C);
        let acc = f32x4.splat(0);
        for (; c < end; c += 4) acc = f32x4.add(acc, ceVec4(x, off, C, c, mv, lv, qv, sv));
        smooth += hsum64(acc);
      }
      loss = <f32>(<f64>loss + smooth);
    }
    if (IDX) {
      const g = GP + ((off + (<usize>y << 2)) & GM);
      store<f32>(g, load<f32>(g) - s * A * wy);
    }
  }
  return loss;
}

/** Four neighbouring positions pos..pos+3 of the K-dim layout (lanes), classes at x + off + c·cs. */
function ceCol4(x: usize, off: usize, cs: usize, C: i32, pos: usize): v128 {
  statsCol4(x + off, C, cs, GP + (off & GM), GM); // exp(z − m) into the gradient
  const sv = v128.load(SP + ((pos << 2) & SM));
  let qv: v128, act: v128, lossv: v128;
  if (IDX) {
    v128.store(LANE_M(), M4);
    v128.store(LANE_LS(), LS4);
    for (let k: usize = 0; k < 4; k++) {
      const y = load<i32>(TGT + ((pos + k) << 2));
      store<i32>(LANE_Y() + (k << 2), y);
      let q: f32 = 0, a: i32 = 0, l: f32 = 0, wy: f32 = 0;
      if (y >= 0) {
        wy = load<f32>(WP + ((<usize>y << 2) & WM));
        const zy = load<f32>(x + off + (k << 2) + <usize>y * cs);
        l = A * wy * ((load<f32>(LANE_M() + (k << 2)) - zy) + load<f32>(LANE_LS() + (k << 2)));
        q = A * wy + B * WALL;
        a = -1;
      }
      store<f32>(LANE_W() + (k << 2), wy);
      store<f32>(LANE_Q() + (k << 2), q);
      store<i32>(LANE_ACT() + (k << 2), a);
      store<f32>(LANE_LOSS() + (k << 2), l);
    }
    qv = v128.load(LANE_Q());
    act = v128.load(LANE_ACT());
    lossv = v128.load(LANE_LOSS());
  } else {
    // Q per lane: float32 within blocks of BLOCK classes, float64 across them.
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    for (let c0 = 0; c0 < C; c0 += BLOCK) {
      const end = min(c0 + BLOCK, C);
      let b = f32x4.splat(0);
      for (let c = c0; c < end; c++) {
        const t = v128.load(TP + ((off + <usize>c * cs) & TM));
        const wc = f32x4.splat(load<f32>(WP + ((<usize>c << 2) & WM)));
        b = f32x4.add(b, f32x4.mul(wc, f32x4.add(f32x4.mul(f32x4.splat(A), t), f32x4.splat(B))));
      }
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(b));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(b, b, 2, 3, 2, 3)));
    }
    qv = join64(lo, hi);
    act = i32x4.splat(-1);
    lossv = f32x4.splat(0);
  }
  if (PASS2) {
    // p_c·Q = exp(z_c − m) · (Q / S), the exp read back from the gradient. Ignored lanes (act 0)
    // add exactly 0 and keep a zero gradient whatever their logits (−∞: q·d = 0·∞) or scale hold.
    const mv = M4, lv = LS4, av = f32x4.splat(A), bv = f32x4.splat(B), qs = f32x4.div(qv, S4);
    // The loss per lane (its index term, then Σ q·d): float32 within blocks of BLOCK classes,
    // float64 across them.
    let lo = f64x2.promote_low_f32x4(lossv), hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(lossv, lossv, 2, 3, 2, 3));
    for (let c0 = 0; c0 < C; c0 += BLOCK) {
      const end = min(c0 + BLOCK, C);
      let b = f32x4.splat(0);
      for (let c = c0; c < end; c++) {
        const o = off + <usize>c * cs;
        const wc = v128.and(f32x4.splat(load<f32>(WP + ((<usize>c << 2) & WM))), act);
        const q = f32x4.mul(wc, f32x4.add(f32x4.mul(av, v128.load(TP + (o & TM))), bv));
        if (SMOOTH) b = f32x4.add(b, v128.and(f32x4.mul(q, f32x4.add(f32x4.sub(mv, v128.load(x + o)), lv)), act));
        const gp = GP + (o & GM);
        v128.store(gp, v128.and(f32x4.mul(sv, f32x4.sub(f32x4.mul(v128.load(gp), qs), q)), act));
      }
      if (SMOOTH) {
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(b));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(b, b, 2, 3, 2, 3)));
      }
    }
    if (SMOOTH) lossv = join64(lo, hi);
    if (IDX) {
      for (let k: usize = 0; k < 4; k++) {
        const y = load<i32>(LANE_Y() + (k << 2));
        if (y < 0) continue;
        const g = GP + ((off + (k << 2) + <usize>y * cs) & GM);
        const s = load<f32>(SP + (((pos + k) << 2) & SM));
        store<f32>(g, load<f32>(g) - s * A * load<f32>(LANE_W() + (k << 2)));
      }
    }
  }
  return lossv;
}

/**
 * Cross-entropy of logits x ([N, C, D], class stride `stride`) against class indices `tgt` (probs = 0) or probability
 * targets `probs` (same layout as x), optional class weights `w` (C values; wAll = their sum, C
 * without), label smoothing eps. Returns the sum of the per-position losses.
 */
export function crossEntropy(
  x: usize, tgt: usize, probs: usize, w: usize, N: i32, C: i32, D: i32, stride: i32,
  lossOut: usize, grad: usize, gradOut: usize, scale: f32, eps: f32, wAll: f32,
): f64 {
  A = 1 - eps;
  B = eps / <f32>C;
  WALL = wAll;
  IDX = probs == 0;
  SMOOTH = eps != 0 || probs != 0;
  PASS2 = grad != 0 || SMOOTH;
  TGT = tgt;
  TP = optional(probs, ZERO);
  TM = maskOf(probs);
  WP = optional(w, ONES);
  WM = maskOf(w);
  GP = optional(grad, sink());
  GM = maskOf(grad);
  SP = optional(gradOut, scaleSlot(scale));
  SM = maskOf(gradOut);
  const lp = optional(lossOut, sink());
  const lm = maskOf(lossOut);
  if (ASC_FEATURE_SIMD && stride == 1 && C > 256 && IDX && !SMOOTH) return ceLongRows(x, N, C, lp, lm);
  const cs = <usize>stride << 2;
  let total: f64 = 0;
  for (let n = 0; n < N; n++) {
    const base = <usize>n * <usize>C * cs;
    const first = <usize>n * <usize>stride; // first position of this sample
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      if (stride == 1 && C >= 4) {
        // Short rows in groups of 4: their first passes, then one vector log for the 4 sums (a
        // scalar log per row costs as much as the rest of a row of 10).
        // Each exp pass also takes the max of the next row (rowExpSumPipe): one rowMax per call.
        const g = min(N - n, C <= 256 ? 4 : 1);
        for (let k = 0; k < g; k++) {
          const off = base + (<usize>k * <usize>C << 2);
          const m = n + k == 0 ? rowMax(x + off, C) : NEXT_M;
          const xn = n + k + 1 < N ? x + off + (<usize>C << 2) : x + off;
          store<f32>(LANE_M() + (<usize>k << 2), m);
          store<f32>(LANE_S() + (<usize>k << 2), rowExpSumPipe(x + off, C, m, GP + (off & GM), GM, xn, 0, 0));
        }
        v128.store(LANE_LS(), logCall4(v128.load(LANE_S())));
        for (let k = 0; k < g; k++) {
          const row = <usize>(n + k);
          const kk = <usize>k << 2;
          const y = IDX ? load<i32>(tgt + (row << 2)) : 0;
          const l = ceRow4(
            x, base + (<usize>k * <usize>C << 2), C, y, load<f32>(SP + ((row << 2) & SM)),
            load<f32>(LANE_M() + kk), load<f32>(LANE_S() + kk), load<f32>(LANE_LS() + kk),
          );
          store<f32>(lp + ((row << 2) & lm), l);
          total += <f64>l;
        }
        n += g - 1;
        continue;
      }
      for (; j < D && D >= 4; j += 4) {
        let fresh = 4;
        if (j + 4 > D) {
          // The last 4 positions, overlapping: all is recomputed identically, the sum masked.
          fresh = D - j;
          j = D - 4;
        }
        const pos = first + <usize>j;
        const l = ceCol4(x, base + (<usize>j << 2), cs, C, pos);
        v128.store(lp + ((pos << 2) & lm), l);
        total += hsum64(v128.and(l, tailMask(fresh & 3)));
      }
    }
    for (; j < D; j++) {
      const pos = first + <usize>j;
      const y = IDX ? load<i32>(tgt + (pos << 2)) : 0;
      const l = ce1(x, base + (<usize>j << 2), cs, C, y, load<f32>(SP + ((pos << 2) & SM)));
      store<f32>(lp + ((pos << 2) & lm), l);
      total += <f64>l;
    }
  }
  return total;
}

/** NLL of log-probabilities x ([N, C, D] with class stride `stride`, as crossEntropy) at the class
 *  indices `tgt` (-1: ignored). */
export function nll(
  x: usize, tgt: usize, w: usize, N: i32, C: i32, D: i32, stride: i32,
  lossOut: usize, grad: usize, gradOut: usize, scale: f32,
): f64 {
  if (grad != 0) {
    if (D == stride) memory.fill(grad, 0, <usize>N * <usize>C * <usize>D << 2);
    else {
      // A range of positions of one sample's K-dim layout: D of every class's `stride`.
      for (let r = 0; r < N * C; r++) memory.fill(grad + (<usize>r * <usize>stride << 2), 0, <usize>D << 2);
    }
  }
  const wp = optional(w, ONES), wm = maskOf(w);
  const gp = optional(grad, sink()), gm = maskOf(grad);
  const sp = optional(gradOut, scaleSlot(scale)), sm = maskOf(gradOut);
  const lp = optional(lossOut, sink()), lm = maskOf(lossOut);
  const cs = <usize>stride << 2;
  let total: f64 = 0;
  for (let n = 0; n < N; n++) {
    const base = <usize>n * <usize>C * cs;
    for (let j = 0; j < D; j++) {
      const pos = <usize>n * <usize>stride + <usize>j;
      const y = load<i32>(tgt + (pos << 2));
      let l: f32 = 0;
      if (y >= 0) {
        const wy = load<f32>(wp + ((<usize>y << 2) & wm));
        const o = base + (<usize>j << 2) + <usize>y * cs;
        l = -wy * load<f32>(x + o);
        store<f32>(gp + (o & gm), -wy * load<f32>(sp + ((pos << 2) & sm)));
      }
      store<f32>(lp + ((pos << 2) & lm), l);
      total += <f64>l;
    }
  }
  return total;
}

/** softmax (log = false) or log-softmax (log = true) of x ([N, C, D] with class stride `stride`,
 *  as crossEntropy) over the class dim, into out. */
export function softmax(x: usize, out: usize, N: i32, C: i32, D: i32, stride: i32, log: bool): void {
  const cs = <usize>stride << 2;
  for (let n = 0; n < N; n++) {
    const base = <usize>n * <usize>C * cs;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      if (stride == 1 && C >= 4) {
        const xr = x + base, orow = out + base;
        const m = rowMax(xr, C);
        const S = rowExpSumPipe(xr, C, m, orow, log ? 0 : <usize>-1, xr, 0, 0); // softmax: exp(z − m) into out
        const mv = f32x4.splat(m), lv = f32x4.splat(log ? logf(S) : 0), inv = f32x4.splat(1 / S);
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          const co = <usize>c << 2;
          const r = log ? f32x4.sub(f32x4.sub(v128.load(xr + co), mv), lv) : f32x4.mul(v128.load(orow + co), inv);
          v128.store(orow + co, r);
        }
        if (c < C) {
          const co = <usize>(C - 4) << 2; // the last vector overlaps: its repeated lanes are done
          const e = v128.load(orow + co);
          const r = log ? f32x4.sub(f32x4.sub(v128.load(xr + co), mv), lv) : f32x4.mul(e, inv);
          v128.store(orow + co, v128.bitselect(r, e, tailMask(C - c)));
        }
        continue;
      }
      for (; j < D && D >= 4; j += 4) {
        if (j + 4 > D) j = D - 4; // the last 4 positions, overlapping (same values written again)
        const off = base + (<usize>j << 2);
        statsCol4(x + off, C, cs, log ? sink() : out + off, log ? 0 : <usize>-1); // softmax: exps into out
        const inv = f32x4.div(f32x4.splat(1), S4);
        for (let c = 0; c < C; c++) {
          const o = off + <usize>c * cs;
          const r = log ? f32x4.sub(f32x4.sub(v128.load(x + o), M4), LS4) : f32x4.mul(v128.load(out + o), inv);
          v128.store(out + o, r);
        }
      }
    }
    for (; j < D; j++) {
      const off = base + (<usize>j << 2);
      stats1(x + off, C, cs);
      for (let c = 0; c < C; c++) {
        const o = off + <usize>c * cs;
        const nd = (load<f32>(x + o) - M1) - LS1;
        store<f32>(out + o, log ? nd : expf(nd));
      }
    }
  }
}
