// Margin losses of one score per element (PyTorch's soft_margin_loss, hinge_embedding_loss,
// multilabel_soft_margin_loss). SoftMargin and Hinge are one Op of the pointwise driver;
// MultiLabelSoftMargin has its own row loop (loss per row, weight per class). MarginRanking of
// the same family (src/margin.ts) takes three arrays and lives in threeinput.ts.

import { pointwise, sink, optional, maskOf } from "./pointwise";
import { BLOCK, hsum64, expf, log1pf } from "./math";
import { expCall4, logCall4 } from "./mathcalls";

// Softplus pieces of z: e = exp(-|z|) and L = log1p(e), so softplus(z) = max(z, 0) + L and
// sigmoid(|z|) = 1 / (1 + e), sigmoid(-|z|) = e / (1 + e). Never overflows: exact for any z.
// log1p(e) = log(u) e / (u - 1) with u = 1 + e (exact where u rounds to 1: then it is e).
@lazy let E4: v128 = i32x4(0, 0, 0, 0);
@lazy let E1: f32 = 0;
// The derivative of mlsm4/mlsm1, beside the loss they return (a called helper's second result).
@lazy let G4: v128 = i32x4(0, 0, 0, 0);
@lazy let G1: f32 = 0;
function log1pExp4(z: v128): v128 { // called, not inlined: used by four specialisations
  const e = expCall4(f32x4.neg(f32x4.abs(z)));
  E4 = e;
  const u = f32x4.add(f32x4.splat(1), e);
  const d = f32x4.sub(u, f32x4.splat(1));
  return v128.bitselect(e, f32x4.div(f32x4.mul(logCall4(u), e), d), f32x4.eq(d, f32x4.splat(0)));
}
@inline function log1pExp1(z: f32): f32 {
  E1 = expf(-Mathf.abs(z));
  return log1pf(E1);
}

// SoftMargin and HingeEmbedding share one instantiation of the pointwise driver (each costs
// about 600 bytes of .wasm); b selects the loss, a branch the predictor always wins.
// b = 0, SoftMargin: softplus(z), z = -y x (PyTorch: log1p(exp(z)), which overflows for
// z > 88.7); gradient -y sigmoid(z).
// b = 1, HingeEmbedding (a = margin), as PyTorch composes it for any target value:
// (y != 1 ? max(margin - x, 0) : 0) + (y != -1 ? x : 0). The clamp passes the gradient where
// margin - x >= 0 (clamp_min's backward), so at the hinge point the loss is 0 and dx = -1.
@final class Margin {
  @inline loss4(x: v128, y: v128, a: v128, b: v128): v128 {
    if (f32x4.extract_lane(b, 0) == 0) {
      const z = f32x4.mul(f32x4.neg(x), y);
      return f32x4.add(f32x4.pmax(z, f32x4.splat(0)), log1pExp4(z));
    }
    const notPos = v128.not(f32x4.eq(y, f32x4.splat(1)));
    const notNeg = v128.not(f32x4.eq(y, f32x4.splat(-1)));
    return f32x4.add(v128.and(f32x4.pmax(f32x4.sub(a, x), f32x4.splat(0)), notPos), v128.and(x, notNeg));
  }
  @inline lossGrad4(x: v128, y: v128, a: v128, b: v128, g: usize, gs: v128): v128 {
    if (f32x4.extract_lane(b, 0) == 0) {
      const z = f32x4.mul(f32x4.neg(x), y);
      const l = f32x4.add(f32x4.pmax(z, f32x4.splat(0)), log1pExp4(z));
      const r = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), E4));
      const s = v128.bitselect(r, f32x4.mul(E4, r), f32x4.ge(z, f32x4.splat(0)));
      v128.store(g, f32x4.mul(f32x4.neg(f32x4.mul(y, s)), gs));
      return l;
    }
    const notPos = v128.not(f32x4.eq(y, f32x4.splat(1)));
    const notNeg = v128.not(f32x4.eq(y, f32x4.splat(-1)));
    const m = f32x4.sub(a, x);
    const active = v128.and(f32x4.ge(m, f32x4.splat(0)), notPos);
    v128.store(g, f32x4.mul(f32x4.add(v128.and(f32x4.splat(-1), active), v128.and(f32x4.splat(1), notNeg)), gs));
    return f32x4.add(v128.and(f32x4.pmax(m, f32x4.splat(0)), notPos), v128.and(x, notNeg));
  }
  @inline loss1(x: f32, y: f32, a: f32, b: f32): f32 {
    if (b == 0) {
      const z = -x * y;
      return max(z, <f32>0) + log1pExp1(z);
    }
    const m = a - x;
    return (y != 1 ? (m < 0 ? 0 : m) : 0) + (y != -1 ? x : 0);
  }
  @inline lossGrad1(x: f32, y: f32, a: f32, b: f32, g: usize, gs: f32): f32 {
    if (b == 0) {
      const z = -x * y;
      const l = max(z, <f32>0) + log1pExp1(z);
      const r: f32 = 1 / (1 + E1);
      store<f32>(g, (-y * (z >= 0 ? r : E1 * r)) * gs);
      return l;
    }
    const m = a - x;
    store<f32>(g, ((y != 1 && m >= 0 ? <f32>-1 : 0) + (y != -1 ? <f32>1 : 0)) * gs);
    return (y != 1 ? (m < 0 ? 0 : m) : 0) + (y != -1 ? x : 0);
  }
}

// MultiLabelSoftMargin per element, in PyTorch's symmetric form (accurate for either target):
// -(t log sigmoid(x) + (1 - t) log sigmoid(-x)) = t softplus(-x) + (1 - t) softplus(x),
// gradient (1 - t) sigmoid(x) - t sigmoid(-x).
@inline function mlsm4(x: v128, t: v128): v128 {
  const L = log1pExp4(x);
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const u = f32x4.sub(one, t);
  const l = f32x4.add(
    f32x4.mul(t, f32x4.add(f32x4.pmax(f32x4.neg(x), zero), L)),
    f32x4.mul(u, f32x4.add(f32x4.pmax(x, zero), L)),
  );
  const r = f32x4.div(one, f32x4.add(one, E4));
  const er = f32x4.mul(E4, r);
  const pos = f32x4.ge(x, zero);
  G4 = f32x4.sub(f32x4.mul(u, v128.bitselect(r, er, pos)), f32x4.mul(t, v128.bitselect(er, r, pos)));
  return l;
}
@inline function mlsm1(x: f32, t: f32): f32 {
  const L = log1pExp1(x);
  const u: f32 = 1 - t;
  const l = t * (max(-x, <f32>0) + L) + u * (max(x, <f32>0) + L);
  const r: f32 = 1 / (1 + E1);
  const er = E1 * r;
  G1 = x >= 0 ? u * r - t * er : u * er - t * r;
  return l;
}

const ONES = memory.data<f32>([1, 1, 1, 1], 16);

/**
 * (x, t, w, rows, C, lossOut, grad, gradOut, scale) -> f64 sum of the row losses.
 * Row loss = sum_j w[j] l(x[r, j], t[r, j]) / C; w (one per class), lossOut, grad and gradOut (one
 * per row) are optional (0); grad[r, j] = w[j] dl/dx * (gradOut[r] or scale) / C. One
 * specialisation: without `grad` the gradient is computed into the sink.
 */
export function multiLabelSoftMargin(
  x: usize, t: usize, w: usize, rows: i32, C: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32,
): f64 {
  const wp = optional(w, ONES);
  const wm = maskOf(w);
  const lp = optional(lossOut, sink());
  const lm = maskOf(lossOut);
  const gm = maskOf(grad);
  const g0 = optional(grad, sink());
  const invC: f64 = 1.0 / <f64>C;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * <usize>C) << 2;
    const xr = x + base;
    const tr = t + base;
    const gr = g0 + (base & gm);
    // Upstream gradient of the row's loss (sum / C): gradOut[r] (or scale) / C for each element.
    const go: f32 = <f32>(<f64>(gradOut != 0 ? load<f32>(gradOut + (<usize>r << 2)) : scale) * invC);
    let row: f64 = 0;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const gov = f32x4.splat(go);
      const n4 = C & ~3;
      while (j < n4) {
        const end = min(j + BLOCK, n4);
        let acc = f32x4.splat(0);
        for (; j < end; j += 4) {
          const off = <usize>j << 2;
          const wv = v128.load(wp + (off & wm));
          acc = f32x4.add(acc, f32x4.mul(mlsm4(v128.load(xr + off), v128.load(tr + off)), wv));
          v128.store(gr + (off & gm), f32x4.mul(f32x4.mul(G4, wv), gov));
        }
        row += hsum64(acc);
      }
    }
    for (; j < C; j++) {
      const off = <usize>j << 2;
      const wv = load<f32>(wp + (off & wm));
      row += <f64>(mlsm1(load<f32>(xr + off), load<f32>(tr + off)) * wv);
      store<f32>(gr + (off & gm), G1 * wv * go);
    }
    const rowLoss = <f32>(row * invC);
    store<f32>(lp + ((<usize>r << 2) & lm), rowLoss);
    total += <f64>rowLoss;
  }
  return total;
}

/** SoftMargin (mode 0) and HingeEmbedding (mode 1, a = margin): see Margin. */
export function marginPointwise(x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32, margin: f32, mode: f32): f64 {
  return pointwise<Margin>(changetype<Margin>(0), x, y, n, lossOut, grad, gradOut, scale, margin, mode);
}
