// KL divergence and Poisson negative log likelihood (PyTorch's kl_div, poisson_nll_loss): one
// Op of the pointwise driver, x = input, t = target. The Gaussian NLL of the same family
// (src/divergence.ts) takes three arrays and lives in threeinput.ts.

import { pointwise } from "./pointwise";
import { expCall4 as expAny4, logCall4 as log4 } from "./mathcalls";
import { expf, logf } from "./math";

/** xlogy(t, t): 0 where t == 0, else t * log(t) (NaN for t < 0 or NaN, as PyTorch's xlogy). */
@inline function tlogt4(t: v128): v128 { return v128.andnot(f32x4.mul(t, log4(t)), f32x4.eq(t, f32x4.splat(0))); }
@inline function tlogt1(t: f32): f32 { return t == 0 ? 0 : t * logf(t); }

// Poisson's Stirling term t log t - t + log(2 pi t) / 2, only where t > 1 (PyTorch masks
// target <= 1, so NaN targets keep it). Added with the `full` option.
const HALF_LOG_2PI: f32 = 0.918938533204672742;
@inline function stirling4(t: v128): v128 {
  const lt = log4(t);
  const s = f32x4.add(f32x4.sub(f32x4.mul(t, lt), t), f32x4.add(f32x4.mul(f32x4.splat(0.5), lt), f32x4.splat(HALF_LOG_2PI)));
  return v128.andnot(s, f32x4.le(t, f32x4.splat(1)));
}
@inline function stirling1(t: f32): f32 {
  if (t <= 1) return 0;
  const lt = logf(t);
  return t * lt - t + (0.5 * lt + HALF_LOG_2PI);
}

// KL and Poisson share one instantiation of the pointwise driver (each instantiation costs
// about 600 bytes of .wasm); b selects the loss, a branch the predictor always wins:
//   b = 0  KL, target as probabilities: xlogy(t, t) - t x, gradient -t (at t = 0 and x = -inf
//          this is 0 - 0 * -inf = NaN, as in PyTorch)
//   b = 1  KL, target as log-probabilities: exp(t) (t - x), gradient -exp(t)
//   b = 2  Poisson, input as rate (a = eps): x - t log(x + eps), gradient 1 - t / (x + eps)
//   b = 4  Poisson, input as log-rate: exp(x) - t x, gradient exp(x) - t
//   b + 1  Poisson with the Stirling term (`full`)
// Poisson's gradients are multiplied by the upstream gs in autograd's order, gs − (gs·t) / (x + eps)
// and exp(x)·gs − t·gs: the 1/n of "mean" applied first keeps them finite where t / (x + eps) or
// exp(x) − t alone overflow.
@final class Divergence {
  @inline loss4(x: v128, t: v128, a: v128, b: v128): v128 { return this.eval4(x, t, a, b, false, 0, t); }
  @inline lossGrad4(x: v128, t: v128, a: v128, b: v128, g: usize, gs: v128): v128 {
    return this.eval4(x, t, a, b, true, g, gs);
  }
  @inline eval4(x: v128, t: v128, a: v128, b: v128, WG: bool, g: usize, gs: v128): v128 {
    const mode = f32x4.extract_lane(b, 0);
    let l: v128;
    if (mode == 0) {
      if (WG) v128.store(g, f32x4.mul(f32x4.neg(t), gs));
      return f32x4.sub(tlogt4(t), f32x4.mul(t, x));
    } else if (mode == 1) {
      const e = expAny4(t);
      if (WG) v128.store(g, f32x4.mul(f32x4.neg(e), gs));
      return f32x4.mul(e, f32x4.sub(t, x));
    } else if (mode >= 4) {
      const e = expAny4(x);
      if (WG) v128.store(g, f32x4.sub(f32x4.mul(e, gs), f32x4.mul(t, gs)));
      l = f32x4.sub(e, f32x4.mul(t, x));
    } else {
      const u = f32x4.add(x, a);
      if (WG) v128.store(g, f32x4.sub(gs, f32x4.div(f32x4.mul(gs, t), u)));
      l = f32x4.sub(x, f32x4.mul(t, log4(u)));
    }
    return mode == 3 || mode == 5 ? f32x4.add(l, stirling4(t)) : l;
  }
  @inline loss1(x: f32, t: f32, a: f32, b: f32): f32 { return this.eval1(x, t, a, b, false, 0, 0); }
  @inline lossGrad1(x: f32, t: f32, a: f32, b: f32, g: usize, gs: f32): f32 {
    return this.eval1(x, t, a, b, true, g, gs);
  }
  @inline eval1(x: f32, t: f32, a: f32, b: f32, WG: bool, g: usize, gs: f32): f32 {
    let l: f32;
    if (b == 0) {
      if (WG) store<f32>(g, (-t) * gs);
      return tlogt1(t) - t * x;
    } else if (b == 1) {
      const e = expf(t);
      if (WG) store<f32>(g, (-e) * gs);
      return e * (t - x);
    } else if (b >= 4) {
      const e = expf(x);
      if (WG) store<f32>(g, e * gs - t * gs);
      l = e - t * x;
    } else {
      const u = x + a;
      if (WG) store<f32>(g, gs - gs * t / u);
      l = x - t * logf(u);
    }
    return b == 3 || b == 5 ? l + stirling1(t) : l;
  }
}

/** KL and Poisson (see Divergence for `mode`; eps is used by Poisson without logInput only). */
export function divergence(x: usize, t: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32, eps: f32, mode: f32): f64 {
  return pointwise<Divergence>(changetype<Divergence>(0), x, t, n, lossOut, grad, gradOut, scale, eps, mode);
}
