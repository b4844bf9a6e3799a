// L1, MSE, Huber and SmoothL1 (PyTorch's l1_loss, mse_loss, huber_loss, smooth_l1_loss).
// Each is an Op for the pointwise driver; d = x - y throughout.

import { pointwise } from "./pointwise";

/** sign(d) with sign(0) = sign(NaN) = 0, as PyTorch's sign ((0 < d) - (d < 0)). */
@inline function sign4(d: v128): v128 {
  const pos = v128.and(f32x4.gt(d, f32x4.splat(0)), f32x4.splat(1));
  const neg = v128.and(f32x4.lt(d, f32x4.splat(0)), f32x4.splat(-1));
  return v128.or(pos, neg);
}
@inline function sign1(d: f32): f32 { return d > 0 ? 1 : d < 0 ? -1 : 0; }

@final class L1 {
  @inline loss4(x: v128, y: v128, a: v128, b: v128): v128 { return f32x4.abs(f32x4.sub(x, y)); }
  @inline lossGrad4(x: v128, y: v128, a: v128, b: v128, g: usize, gs: v128): v128 {
    const d = f32x4.sub(x, y);
    v128.store(g, f32x4.mul(sign4(d), gs));
    return f32x4.abs(d);
  }
  @inline loss1(x: f32, y: f32, a: f32, b: f32): f32 { return Mathf.abs(x - y); }
  @inline lossGrad1(x: f32, y: f32, a: f32, b: f32, g: usize, gs: f32): f32 {
    const d = x - y;
    store<f32>(g, (sign1(d)) * gs);
    return Mathf.abs(d);
  }
}

@final class MSE {
  @inline loss4(x: v128, y: v128, a: v128, b: v128): v128 {
    const d = f32x4.sub(x, y);
    return f32x4.mul(d, d);
  }
  // The gradient (2·gs)·d as PyTorch's norm·d·g (norm = 2/n for "mean"): 2d alone overflows for
  // |d| > 1.7e38 where the mean's gradient is finite.
  @inline lossGrad4(x: v128, y: v128, a: v128, b: v128, g: usize, gs: v128): v128 {
    const d = f32x4.sub(x, y);
    v128.store(g, f32x4.mul(f32x4.add(gs, gs), d));
    return f32x4.mul(d, d);
  }
  @inline loss1(x: f32, y: f32, a: f32, b: f32): f32 { const d = x - y; return d * d; }
  @inline lossGrad1(x: f32, y: f32, a: f32, b: f32, g: usize, gs: f32): f32 {
    const d = x - y;
    store<f32>(g, (gs + gs) * d);
    return d * d;
  }
}

// Huber and SmoothL1 share one instantiation of the pointwise driver (each instantiation costs
// about 900 bytes of .wasm); b selects the loss, a branch the predictor always wins. Each keeps
// PyTorch's own formula, so the roundings are PyTorch's:
// b = 0, Huber (a = delta): |d| < delta ? d^2 / 2 : delta * (|d| - delta / 2);
//        gradient clamp(d, -delta, delta).
// b = 1, SmoothL1 (a = beta > 0; beta = 0 is routed to L1 by the wrapper):
//        |d| < beta ? d^2 / (2 beta) : |d| - beta / 2; gradient d / beta, ±1 where |d| >= beta.
@final class Piecewise {
  @inline loss4(x: v128, y: v128, a: v128, b: v128): v128 {
    const d = f32x4.sub(x, y);
    const z = f32x4.abs(d);
    const half = f32x4.mul(f32x4.mul(f32x4.splat(0.5), d), d);
    const halfA = f32x4.mul(f32x4.splat(0.5), a);
    if (f32x4.extract_lane(b, 0) == 0) {
      return v128.bitselect(half, f32x4.mul(a, f32x4.sub(z, halfA)), f32x4.lt(z, a));
    }
    return v128.bitselect(f32x4.div(half, a), f32x4.sub(z, halfA), f32x4.lt(z, a));
  }
  @inline lossGrad4(x: v128, y: v128, a: v128, b: v128, g: usize, gs: v128): v128 {
    const d = f32x4.sub(x, y);
    if (f32x4.extract_lane(b, 0) == 0) {
      v128.store(g, f32x4.mul(f32x4.pmax(f32x4.pmin(d, a), f32x4.neg(a)), gs));
    } else {
      // ±1 where |d| >= beta (the ends included, as PyTorch: an infinite d with beta = ∞ gives ±1,
      // not ∞/∞), else d / beta; then times gs (the order of PyTorch's vectorised kernel).
      const one = f32x4.splat(1);
      const inner = v128.bitselect(one, f32x4.div(d, a), f32x4.ge(d, a));
      v128.store(g, f32x4.mul(v128.bitselect(f32x4.neg(one), inner, f32x4.le(d, f32x4.neg(a))), gs));
    }
    return this.loss4(x, y, a, b);
  }
  @inline loss1(x: f32, y: f32, a: f32, b: f32): f32 {
    const d = x - y;
    const z = Mathf.abs(d);
    if (b == 0) return z < a ? 0.5 * d * d : a * (z - 0.5 * a);
    return z < a ? 0.5 * d * d / a : z - 0.5 * a;
  }
  @inline lossGrad1(x: f32, y: f32, a: f32, b: f32, g: usize, gs: f32): f32 {
    const d = x - y;
    if (b == 0) store<f32>(g, (d < -a ? -a : d > a ? a : d) * gs);
    else store<f32>(g, (d <= -a ? -1 : d >= a ? 1 : d / a) * gs);
    return this.loss1(x, y, a, b);
  }
}

export function l1(x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32): f64 {
  return pointwise<L1>(changetype<L1>(0), x, y, n, lossOut, grad, gradOut, scale, 0, 0, true);
}

export function mse(x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32): f64 {
  return pointwise<MSE>(changetype<MSE>(0), x, y, n, lossOut, grad, gradOut, scale, 0, 0, true);
}

/** Huber (mode 0, a = delta) or SmoothL1 (mode 1, a = beta): see Piecewise. */
export function piecewise(
  x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32, a: f32, mode: f32,
): f64 {
  return pointwise<Piecewise>(changetype<Piecewise>(0), x, y, n, lossOut, grad, gradOut, scale, a, mode);
}
