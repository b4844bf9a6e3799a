// CTC loss (PyTorch's ctc_loss, CPU kernel of aten/src/ATen/native/LossCTC.cpp): the
// forward-backward recursion of Graves et al. (2006) in log space over the extended label
// sequence l' = (blank, l1, blank, l2, ..., lL, blank) of S = 2L+1 states, O(T·S) per sample.
//
// The recursion is sequential in t, but every state of frame t depends only on frame t ± 1, so
// the SIMD build computes four states of a row at once (recurse()); the scalar build repeats
// PyTorch's float32 operations in PyTorch's order. Impossible states are -inf and handled
// explicitly: a log-sum whose terms are all -inf is -inf, never log(0), and -inf - (-inf) is
// never formed.
//
// Layouts: lp and grad are time-major, [T, frame, C] of which a call reads the first N samples of
// every frame (frame = N for the whole batch; a call on a range of samples passes pointers to its
// first sample and the batch's frame, lpFrame and gradFrame separately, as lp may lie in place
// while the gradient goes to a window of its own). meta is i32 [inputLength, targetLength,
// targetOffset] per sample (offset of the sample's first label in tgt); tgt holds i32 labels,
// validated to lie in [0, C). Scratch (floats/ints): alpha T·R, beta 2·R, ext S4, skip S4 + 4, where S4 is the
// largest S rounded up to a multiple of 4 and R = S4 + 8: each state row has 4 slots of -inf
// before and after it, so that the neighbours s-2, s-1 (alpha) and s+1, s+2 (beta) of every
// state can be loaded as vectors without bounds tests.

import { expAny4, expf, log4, logf } from "./math";

const NEG_INF: f32 = -Infinity;

/** Pointer to state 0 of row t of a state array with R floats per row (4 pad slots first). */
@inline function stateRow(base: usize, t: i32, R: i32): usize {
  return base + ((<usize>t * <usize>R + 4) << 2);
}

/** Row t of a [T, frame, C] array for sample b: byte offset. */
@inline function rowOf(base: usize, t: i32, b: i32, frame: i32, C: i32): usize {
  return base + ((<usize>t * <usize>frame + <usize>b) * <usize>C << 2);
}

@inline function fill(p: usize, n: i32, v: f32): void {
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), v);
}

/** log(exp(a) + exp(b) + exp(c)) as PyTorch writes it, but all -inf gives -inf (no log(0)). */
@inline function logSum3(a: f32, b: f32, c: f32): f32 {
  let m = a;
  if (b > m) m = b;
  if (c > m) m = c;
  if (m == NEG_INF) return NEG_INF;
  return logf(expf(a - m) + expf(b - m) + expf(c - m)) + m;
}

/** One shared, not inlined, copy of the vector exp (SIMD build only): every inlined copy costs
 *  ~200 bytes of constants. expAny4 is 0 below -86.5, where exp < 3e-38. */
function expv(z: v128): v128 {
  return expAny4(z);
}

/** lp[row + ext[s + i]] for the four states s..s+3. */
@inline function gather4(row: usize, ext: usize, s: i32): v128 {
  const e = ext + (<usize>s << 2);
  let v = f32x4.splat(load<f32>(row + (<usize>load<i32>(e) << 2)));
  v = f32x4.replace_lane(v, 1, load<f32>(row + (<usize>load<i32>(e, 4) << 2)));
  v = f32x4.replace_lane(v, 2, load<f32>(row + (<usize>load<i32>(e, 8) << 2)));
  return f32x4.replace_lane(v, 3, load<f32>(row + (<usize>load<i32>(e, 12) << 2)));
}

/** -inf in the lanes of states >= S (the padding of the last block). */
@inline function live4(v: v128, s: i32, S: i32): v128 {
  const idx = i32x4.add(i32x4.splat(s), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
  return v128.bitselect(v, f32x4.splat(NEG_INF), i32x4.lt_s(idx, i32x4.splat(S)));
}

/**
 * Four states s..s+3 of an alpha (dir = -4 bytes) or beta (dir = +4) row, SIMD build only:
 * dst[s] = logSum3(src[s], src[s ± 1], src[s ± 2] where mask[s] != 0) + lp[row + ext[s]], -inf for
 * states >= S. m = the largest term (pmax keeps the first on ties and NaN, as PyTorch's
 * comparisons); lanes whose terms are all -inf give -inf without log(0).
 */
@inline function step4(src: usize, dir: isize, mask: usize, row: usize, ext: usize, s: i32, S: i32, dst: usize): void {
  if (ASC_FEATURE_SIMD) {
    const a = v128.load(src);
    const b = v128.load(src + dir);
    const c = v128.bitselect(v128.load(src + 2 * dir), f32x4.splat(NEG_INF), v128.load(mask));
    const m = f32x4.pmax(f32x4.pmax(a, b), c);
    const dead = f32x4.eq(m, f32x4.splat(NEG_INF));
    const ms = v128.andnot(m, dead); // 0 where dead: the terms are then exp(-inf) = 0
    const sum = f32x4.add(f32x4.add(expv(f32x4.sub(a, ms)), expv(f32x4.sub(b, ms))), expv(f32x4.sub(c, ms)));
    const r = v128.bitselect(f32x4.splat(NEG_INF), f32x4.add(log4(sum), m), dead);
    v128.store(dst, live4(f32x4.add(r, gather4(row, ext, s)), s, S));
  }
}

/**
 * One row of the recursion, the only part the two builds compute differently: for every state
 * s < S, dst[s] = logSum3(src[s], src[s + d], src[s + 2d] where mask[s] != 0) + lp[row + ext[s]],
 * d = dir / 4 states (alpha: -1, the states before; beta: +1, the states after). The SIMD build
 * computes four states at once and writes -inf to the padding states S..S4-1; the scalar build
 * repeats PyTorch's float32 operations in PyTorch's order. Everything else of ctc() is the same
 * code in both builds, which the packed bundle then stores once.
 */
function recurse(src: usize, dir: isize, mask: usize, row: usize, ext: usize, S: i32, S4: i32, dst: usize): void {
  if (ASC_FEATURE_SIMD) {
    for (let s = 0; s < S4; s += 4) {
      const o = <usize>s << 2;
      step4(src + o, dir, mask + o, row, ext, s, S, dst + o);
    }
  } else {
    for (let s = 0; s < S; s++) {
      const o = <usize>s << 2;
      const c = load<i32>(mask + o) ? load<f32>(src + o + 2 * dir) : NEG_INF;
      const k = load<i32>(ext + o);
      store<f32>(dst + o, logSum3(load<f32>(src + o), load<f32>(src + o + dir), c) + load<f32>(row + (<usize>k << 2)));
    }
  }
}

/**
 * Per-sample negative log-likelihoods into nll (N floats, +inf for impossible alignments) and,
 * when grad != 0, the gradient w.r.t. lp scaled per sample by gr[b]; frames >= inputLength get 0,
 * and with zeroInf a sample of infinite loss gets 0 everywhere.
 */
export function ctc(
  lp: usize, lpFrame: i32, T: i32, N: i32, C: i32, blank: i32, tgt: usize, meta: usize,
  nll: usize, grad: usize, gradFrame: i32, gr: usize, zeroInf: bool,
  alpha: usize, beta: usize, ext: usize, skip: usize,
): void {
  for (let b = 0; b < N; b++) {
    const Tb = load<i32>(meta + <usize>b * 12);
    const L = load<i32>(meta + <usize>b * 12, 4);
    const off = load<i32>(meta + <usize>b * 12, 8);
    const S = 2 * L + 1;
    const S4 = (S + 3) & ~3;
    const R = S4 + 8;
    // Extended labels (blank at even s, the target at odd s; padding states get the blank) and
    // skip[s] = -1 where alpha_t(s) may come from s - 2 (l'_s is a label unlike l'_{s-2}).
    for (let s = 0; s < S4; s++) {
      const k = s < S && (s & 1) ? load<i32>(tgt + (<usize>(off + (s >> 1)) << 2)) : blank;
      store<i32>(ext + (<usize>s << 2), k);
      store<i32>(skip + (<usize>s << 2), s > 1 && s < S && load<i32>(ext + (<usize>(s - 2) << 2)) != k ? -1 : 0);
    }
    memory.fill(skip + (<usize>S4 << 2), 0, 16);
    let loss: f32;
    if (Tb == 0) {
      // PyTorch 2.x: no frames, so only the empty target has an alignment (probability 1).
      loss = L == 0 ? 0 : Infinity;
    } else {
      // alpha_0: the blank or the first label; every other state is unreachable.
      const lp0 = rowOf(lp, 0, b, lpFrame, C);
      const a0 = stateRow(alpha, 0, R);
      fill(a0 - 16, R, NEG_INF);
      store<f32>(a0, load<f32>(lp0 + (<usize>blank << 2)));
      if (L > 0) store<f32>(a0, load<f32>(lp0 + (<usize>load<i32>(ext, 4) << 2)), 4);
      for (let t = 1; t < Tb; t++) {
        const cur = stateRow(alpha, t, R);
        fill(cur - 16, 4, NEG_INF);
        fill(cur + (<usize>S4 << 2), 4, NEG_INF);
        recurse(cur - (<usize>R << 2), -4, skip, rowOf(lp, t, b, lpFrame, C), ext, S, S4, cur);
      }
      const last = stateRow(alpha, Tb - 1, R);
      if (L == 0) {
        loss = -load<f32>(last);
      } else {
        loss = -logSum3(load<f32>(last + (<usize>(S - 1) << 2)), load<f32>(last + (<usize>(S - 2) << 2)), NEG_INF);
      }
    }
    store<f32>(nll + (<usize>b << 2), loss);
    if (grad == 0) continue;

    const rowBytes = <usize>C << 2;
    if (zeroInf && loss == Infinity) {
      for (let t = 0; t < T; t++) memory.fill(rowOf(grad, t, b, gradFrame, C), 0, rowBytes);
      continue;
    }
    // Frames >= inputLength take no part in the loss.
    for (let t = Tb; t < T; t++) memory.fill(rowOf(grad, t, b, gradFrame, C), 0, rowBytes);
    if (Tb == 0) continue;

    // grad = (exp(lp) - posterior) · gr[b], posterior_t(c) = Σ_{s: l'_s = c} alpha_t(s) beta_t(s) / (p y_t(c))
    // (alpha and beta both include the emission y_t(l'_s)). An impossible alignment (nll = +inf,
    // and any NaN input) gives NaN on every frame < inputLength, as PyTorch's -inf + inf.
    const gb = load<f32>(gr + (<usize>b << 2));
    if (!(loss < Infinity)) {
      for (let t = 0; t < Tb; t++) fill(rowOf(grad, t, b, gradFrame, C), C, NaN);
      continue;
    }
    // The posterior is collected as Σ exp(alpha + beta + nll - lp): every term is <= 1 up to
    // rounding, so nothing overflows (PyTorch collects log Σ alpha·beta and converts at the end:
    // two exps and a log per state instead of one exp). beta keeps two rows: nxt = t + 1, cur = t.
    let nxt = stateRow(beta, 0, R);
    let cur = stateRow(beta, 1, R);
    fill(cur - 16, R, NEG_INF);
    fill(nxt - 16, R, NEG_INF);
    for (let t = Tb - 1; t >= 0; t--) {
      const a = stateRow(alpha, t, R);
      const row = rowOf(lp, t, b, lpFrame, C);
      const g = rowOf(grad, t, b, gradFrame, C);
      fill(g, C, 0);
      if (t == Tb - 1) {
        // beta_{T-1}: the last blank and the last label. Their posteriors are assigned, not added,
        // as PyTorch does (it differs only when the last label is the blank).
        const b0 = load<f32>(row + (<usize>blank << 2));
        store<f32>(cur + (<usize>(S - 1) << 2), b0);
        store<f32>(g + (<usize>blank << 2), expf(load<f32>(a + (<usize>(S - 1) << 2)) + b0 + loss - b0));
        if (L > 0) {
          const k = <usize>load<i32>(ext + (<usize>(S - 2) << 2)) << 2;
          const b1 = load<f32>(row + k);
          store<f32>(cur + (<usize>(S - 2) << 2), b1);
          store<f32>(g + k, expf(load<f32>(a + (<usize>(S - 2) << 2)) + b1 + loss - b1));
        }
      } else {
        recurse(nxt, 4, skip + 8, row, ext, S, S4, cur);
        for (let s = 0; s < S; s++) {
          const o = <usize>s << 2;
          const k = <usize>load<i32>(ext + o) << 2;
          const ab = load<f32>(a + o) + load<f32>(cur + o);
          store<f32>(g + k, load<f32>(g + k) + expf(ab + loss - load<f32>(row + k)));
        }
      }
      const swap = nxt; nxt = cur; cur = swap;
    }

    for (let t = 0; t < Tb; t++) {
      const row = rowOf(lp, t, b, lpFrame, C);
      const g = rowOf(grad, t, b, gradFrame, C);
      for (let c = 0; c < C; c++) {
        const o = <usize>c << 2;
        const x = load<f32>(row + o);
        // A -inf log-probability gives NaN, as PyTorch's exp(collected + nll - lp) there.
        store<f32>(g + o, x == NEG_INF ? NaN : (expf(x) - load<f32>(g + o)) * gb);
      }
    }
  }
}
