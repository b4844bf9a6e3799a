// CTC loss (PyTorch's ctc_loss, CPU kernel of aten/src/ATen/native/LossCTC.cpp): the
// forward-backward recursion of Graves et al. (2006) in log space over the extended label
// sequence l' = (blank, l1, blank, l2, ..., lL, blank) of length 2L+1, O(T·L) per sample.
//
// The recursion is inherently sequential in t (and each state needs its neighbours), so it is
// scalar; it repeats PyTorch's float32 operations in PyTorch's order so that values agree to
// rounding. Impossible states are -inf, handled explicitly: a log-sum whose terms are all -inf
// is -inf without forming log(0). Only the final per-frame step over the C classes,
// grad = (exp(lp) - exp(collected + nll - lp)) · g, is vectorised.
//
// Layouts: lp and grad are [T, N, C] (time-major); meta is i32 [inputLength(N), targetLength(N),
// targetOffset(N)] (offset of sample b's first label in tgt); tgt holds i32 labels, all
// validated to lie in [0, C). Scratch: alpha T·(2S+1), beta 2·(2S+1) floats and ext 2S+1 ints,
// S = the largest target length.

import { expAny4, expf, logf } from "./math";

const NEG_INF: f32 = -Infinity;

/** log(exp(a) + exp(b) + exp(c)) as PyTorch writes it, but all -inf gives -inf (no log(0)). */
@inline function logSum3(a: f32, b: f32, c: f32): f32 {
  let m = a;
  if (b > m) m = b;
  if (c > m) m = c;
  if (m == NEG_INF) return NEG_INF;
  return logf(expf(a - m) + expf(b - m) + expf(c - m)) + m;
}

/** Row t of a [T, N, C] array for sample b: byte offset. */
@inline function rowOf(base: usize, t: i32, b: i32, N: i32, C: i32): usize {
  return base + ((<usize>t * <usize>N + <usize>b) * <usize>C << 2);
}

/**
 * Per-sample negative log-likelihoods into nll (N floats, +inf for impossible alignments) and,
 * when grad != 0, the gradient w.r.t. lp scaled per sample by gr[b]; frames >= inputLength get 0,
 * and with zeroInf a sample of infinite loss gets 0 everywhere.
 */
export function ctc(
  lp: usize, T: i32, N: i32, C: i32, blank: i32, tgt: usize, meta: usize,
  nll: usize, grad: usize, gr: usize, zeroInf: bool,
  alpha: usize, beta: usize, ext: usize,
): void {
  for (let b = 0; b < N; b++) {
    const Tb = load<i32>(meta + (<usize>b << 2));
    const L = load<i32>(meta + (<usize>(N + b) << 2));
    const off = load<i32>(meta + (<usize>(2 * N + b) << 2));
    const S = 2 * L + 1;
    const W = <usize>S << 2; // bytes per alpha row
    // Extended labels: blank at even s, the target at odd s.
    for (let s = 0; s < S; s++) {
      store<i32>(ext + (<usize>s << 2), s & 1 ? load<i32>(tgt + (<usize>(off + (s >> 1)) << 2)) : blank);
    }
    let loss: f32;
    if (Tb == 0) {
      // PyTorch 2.x: no frames, so only the empty target has an alignment (probability 1).
      loss = L == 0 ? 0 : Infinity;
    } else {
      // alpha_0: the blank or the first label; every other state is unreachable.
      const lp0 = rowOf(lp, 0, b, N, C);
      for (let s = 0; s < S; s++) store<f32>(alpha + (<usize>s << 2), NEG_INF);
      store<f32>(alpha, load<f32>(lp0 + (<usize>blank << 2)));
      if (L > 0) store<f32>(alpha, load<f32>(lp0 + (<usize>load<i32>(ext, 4) << 2)), 4);
      for (let t = 1; t < Tb; t++) {
        const prev = alpha + <usize>(t - 1) * W;
        const cur = prev + W;
        const row = rowOf(lp, t, b, N, C);
        for (let s = 0; s < S; s++) {
          const k = load<i32>(ext + (<usize>s << 2));
          const a1 = load<f32>(prev + (<usize>s << 2));
          const a2 = s > 0 ? load<f32>(prev + (<usize>(s - 1) << 2)) : NEG_INF;
          const a3 = s > 1 && load<i32>(ext + (<usize>(s - 2) << 2)) != k ? load<f32>(prev + (<usize>(s - 2) << 2)) : NEG_INF;
          store<f32>(cur + (<usize>s << 2), logSum3(a1, a2, a3) + load<f32>(row + (<usize>k << 2)));
        }
      }
      const last = alpha + <usize>(Tb - 1) * W;
      if (L == 0) {
        loss = -load<f32>(last);
      } else {
        const l1 = load<f32>(last + (<usize>(S - 1) << 2));
        const l2 = load<f32>(last + (<usize>(S - 2) << 2));
        loss = -logSum3(l1, l2, NEG_INF);
      }
    }
    store<f32>(nll + (<usize>b << 2), loss);
    if (grad == 0) continue;

    const rowBytes = <usize>C << 2;
    if (zeroInf && loss == Infinity) {
      for (let t = 0; t < T; t++) memory.fill(rowOf(grad, t, b, N, C), 0, rowBytes);
      continue;
    }
    // Frames >= inputLength take no part in the loss.
    for (let t = Tb; t < T; t++) memory.fill(rowOf(grad, t, b, N, C), 0, rowBytes);
    if (Tb == 0) continue;

    // The grad rows first collect log Σ_{s: l'_s = c} alpha_t(s) beta_t(s) (log of an empty sum
    // is -inf). beta keeps two rows: nxt = t + 1, cur = t.
    for (let t = 0; t < Tb; t++) {
      const row = rowOf(grad, t, b, N, C);
      for (let c = 0; c < C; c++) store<f32>(row + (<usize>c << 2), NEG_INF);
    }
    let nxt = beta;
    let cur = beta + W;
    {
      const t = Tb - 1;
      const a = alpha + <usize>t * W;
      const row = rowOf(lp, t, b, N, C);
      const g = rowOf(grad, t, b, N, C);
      for (let s = 0; s < S; s++) store<f32>(nxt + (<usize>s << 2), NEG_INF);
      const b0 = load<f32>(row + (<usize>blank << 2));
      store<f32>(nxt + (<usize>(S - 1) << 2), b0);
      store<f32>(g + (<usize>blank << 2), load<f32>(a + (<usize>(S - 1) << 2)) + b0);
      if (L > 0) {
        // Assigned, not log-added, as PyTorch does (it differs only when the last label is the blank).
        const k = load<i32>(ext + (<usize>(S - 2) << 2));
        const b1 = load<f32>(row + (<usize>k << 2));
        store<f32>(nxt + (<usize>(S - 2) << 2), b1);
        store<f32>(g + (<usize>k << 2), load<f32>(a + (<usize>(S - 2) << 2)) + b1);
      }
    }
    for (let t = Tb - 2; t >= 0; t--) {
      const a = alpha + <usize>t * W;
      const row = rowOf(lp, t, b, N, C);
      const g = rowOf(grad, t, b, N, C);
      for (let s = S - 1; s >= 0; s--) {
        const k = load<i32>(ext + (<usize>s << 2));
        const b1 = load<f32>(nxt + (<usize>s << 2));
        const b2 = s < S - 1 ? load<f32>(nxt + (<usize>(s + 1) << 2)) : NEG_INF;
        const b3 = s < S - 2 && load<i32>(ext + (<usize>(s + 2) << 2)) != k ? load<f32>(nxt + (<usize>(s + 2) << 2)) : NEG_INF;
        const bt = logSum3(b1, b2, b3) + load<f32>(row + (<usize>k << 2));
        store<f32>(cur + (<usize>s << 2), bt);
        const ab = load<f32>(a + (<usize>s << 2)) + bt;
        const p = g + (<usize>k << 2);
        const acc = load<f32>(p);
        if (acc == NEG_INF) {
          store<f32>(p, ab);
        } else {
          const m = acc < ab ? ab : acc; // std::max
          store<f32>(p, logf(expf(acc - m) + expf(ab - m)) + m);
        }
      }
      const swap = nxt; nxt = cur; cur = swap;
    }

    // grad = (exp(lp) - exp(collected + nll - lp)) · gr[b]; NaN throughout when nll is +inf
    // (PyTorch's -inf + inf), which zeroInf has already excluded.
    const gb = load<f32>(gr + (<usize>b << 2));
    for (let t = 0; t < Tb; t++) {
      const row = rowOf(lp, t, b, N, C);
      const g = rowOf(grad, t, b, N, C);
      let c = 0;
      if (ASC_FEATURE_SIMD) {
        const G = f32x4.splat(gb);
        const Z = f32x4.splat(loss);
        const C4 = C & ~3;
        for (; c < C4; c += 4) {
          const o = <usize>c << 2;
          const x = v128.load(row + o);
          const q = f32x4.sub(f32x4.add(v128.load(g + o), Z), x);
          v128.store(g + o, f32x4.mul(f32x4.sub(expAny4(x), expAny4(q)), G));
        }
      }
      for (; c < C; c++) {
        const o = <usize>c << 2;
        const x = load<f32>(row + o);
        store<f32>(g + o, (expf(x) - expf(load<f32>(g + o) + loss - x)) * gb);
      }
    }
  }
}
