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
  @inline lossGrad4(x: v128, y: v128, a: v128, b: v128, g: usize, gs: v128): v128 {
    const d = f32x4.sub(x, y);
    v128.store(g, f32x4.mul(f32x4.add(d, d), gs));
    return f32x4.mul(d, d);
  }
  @inline loss1(x: f32, y: f32, a: f32, b: f32): f32 { const d = x - y; return d * d; }
  @inline lossGrad1(x: f32, y: f32, a: f32, b: f32, g: usize, gs: f32): f32 {
    const d = x - y;
    store<f32>(g, (d + d) * gs);
    return d * d;
  }
}

// Huber (a = delta): |d| < delta ? d^2 / 2 : delta * (|d| - delta / 2); gradient clamp(d, -delta, delta).
@final class Huber {
  @inline loss4(x: v128, y: v128, a: v128, b: v128): v128 {
    const d = f32x4.sub(x, y);
    const z = f32x4.abs(d);
    const quad = f32x4.mul(f32x4.mul(f32x4.splat(0.5), d), d);
    const lin = f32x4.mul(a, f32x4.sub(z, f32x4.mul(f32x4.splat(0.5), a)));
    return v128.bitselect(quad, lin, f32x4.lt(z, a));
  }
  @inline lossGrad4(x: v128, y: v128, a: v128, b: v128, g: usize, gs: v128): v128 {
    const d = f32x4.sub(x, y);
    v128.store(g, f32x4.mul(f32x4.pmax(f32x4.pmin(d, a), f32x4.neg(a)), gs));
    return this.loss4(x, y, a, b);
  }
  @inline loss1(x: f32, y: f32, a: f32, b: f32): f32 {
    const d = x - y;
    const z = Mathf.abs(d);
    return z < a ? 0.5 * d * d : a * (z - 0.5 * a);
  }
  @inline lossGrad1(x: f32, y: f32, a: f32, b: f32, g: usize, gs: f32): f32 {
    const d = x - y;
    store<f32>(g, (d < -a ? -a : d > a ? a : d) * gs);
    return this.loss1(x, y, a, b);
  }
}

// SmoothL1 (a = beta > 0; beta = 0 is routed to L1 by the wrapper):
// |d| < beta ? d^2 / (2 beta) : |d| - beta / 2; gradient clamp(d / beta, -1, 1).
@final class SmoothL1 {
  @inline loss4(x: v128, y: v128, a: v128, b: v128): v128 {
    const d = f32x4.sub(x, y);
    const z = f32x4.abs(d);
    const quad = f32x4.div(f32x4.mul(f32x4.mul(f32x4.splat(0.5), d), d), a);
    const lin = f32x4.sub(z, f32x4.mul(f32x4.splat(0.5), a));
    return v128.bitselect(quad, lin, f32x4.lt(z, a));
  }
  @inline lossGrad4(x: v128, y: v128, a: v128, b: v128, g: usize, gs: v128): v128 {
    const d = f32x4.sub(x, y);
    const one = f32x4.splat(1);
    v128.store(g, f32x4.mul(f32x4.pmax(f32x4.pmin(f32x4.div(d, a), one), f32x4.neg(one)), gs));
    return this.loss4(x, y, a, b);
  }
  @inline loss1(x: f32, y: f32, a: f32, b: f32): f32 {
    const d = x - y;
    const z = Mathf.abs(d);
    return z < a ? 0.5 * d * d / a : z - 0.5 * a;
  }
  @inline lossGrad1(x: f32, y: f32, a: f32, b: f32, g: usize, gs: f32): f32 {
    const d = x - y;
    store<f32>(g, (d < -a ? -1 : d > a ? 1 : d / a) * gs);
    return this.loss1(x, y, a, b);
  }
}

export function l1(x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32): f64 {
  return pointwise<L1>(changetype<L1>(0), x, y, n, lossOut, grad, gradOut, scale, 0, 0, true);
}

export function mse(x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32): f64 {
  return pointwise<MSE>(changetype<MSE>(0), x, y, n, lossOut, grad, gradOut, scale, 0, 0, true);
}

export function huber(x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32, delta: f32): f64 {
  return pointwise<Huber>(changetype<Huber>(0), x, y, n, lossOut, grad, gradOut, scale, delta, 0);
}

export function smoothL1(x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32, beta: f32): f64 {
  return pointwise<SmoothL1>(changetype<SmoothL1>(0), x, y, n, lossOut, grad, gradOut, scale, beta, 0);
}
