// The losses of three arrays with two differentiable inputs: Gaussian NLL (PyTorch's
// gaussian_nll_loss: input, variance, target) and margin ranking (margin_ranking_loss: input1,
// input2, target). They share the one instantiation of the three-input driver (pointwise3.ts;
// each costs about 650 bytes of .wasm); `mode` selects the loss, a branch the predictor always
// wins:  0 Gaussian NLL (z = variance, a = eps),  1 the same with `full`,  2 margin ranking
// (z = input2, a = margin). Each loss sets GX4/GZ4 (GX1/GZ1) beside the loss it returns.

import { pointwise3, GX4, GZ4, GX1, GZ1 } from "./pointwise3";
import { logCall4 as log4 } from "./mathcalls";
import { logf } from "./math";

// Gaussian (z = variance, a = eps; `full` adds log(2 pi) / 2): with v = max(z, eps),
// (log v + d^2 / v) / 2, d = x - t. The clamp does not stop the gradient (PyTorch clamps under
// no_grad): dx = d / v, dz = (1 / v - d^2 / v^2) / 2 = (1 - d^2 / v) / (2 v).
const HALF_LOG_2PI_F: f32 = 0.918938533204672742;
@inline function gaussian4(x: v128, z: v128, t: v128, eps: v128, full: bool): v128 {
  const v = f32x4.pmax(z, eps);
  const d = f32x4.sub(x, t);
  const q = f32x4.div(f32x4.mul(d, d), v);
  GX4 = f32x4.div(d, v);
  GZ4 = f32x4.div(f32x4.mul(f32x4.splat(0.5), f32x4.sub(f32x4.splat(1), q)), v);
  const l = f32x4.mul(f32x4.splat(0.5), f32x4.add(log4(v), q));
  return full ? f32x4.add(l, f32x4.splat(HALF_LOG_2PI_F)) : l;
}
@inline function gaussian1(x: f32, z: f32, t: f32, eps: f32, full: bool): f32 {
  const v = z < eps ? eps : z;
  const d = x - t;
  const q = d * d / v;
  GX1 = d / v;
  GZ1 = 0.5 * (1 - q) / v;
  const l: f32 = 0.5 * (logf(v) + q);
  return full ? l + HALF_LOG_2PI_F : l;
}

// MarginRanking (a = margin): max(-y (x1 - x2) + margin, 0); where the argument >= 0 (the hinge
// point included, clamp_min's backward) dx1 = -y, dx2 = y; z = x2.
@inline function marginRanking4(x: v128, z: v128, y: v128, margin: v128): v128 {
  const m = f32x4.add(f32x4.mul(f32x4.neg(y), f32x4.sub(x, z)), margin);
  const yActive = v128.and(y, f32x4.ge(m, f32x4.splat(0)));
  GX4 = f32x4.neg(yActive);
  GZ4 = yActive;
  return f32x4.pmax(m, f32x4.splat(0));
}
@inline function marginRanking1(x: f32, z: f32, y: f32, margin: f32): f32 {
  const m = -y * (x - z) + margin;
  const yActive: f32 = m >= 0 ? y : 0;
  GX1 = -yActive;
  GZ1 = yActive;
  return m < 0 ? 0 : m;
}

@final class ThreeInput {
  @inline lossGrad4(x: v128, z: v128, y: v128, a: v128, b: v128): v128 {
    const mode = f32x4.extract_lane(b, 0);
    return mode == 2 ? marginRanking4(x, z, y, a) : gaussian4(x, z, y, a, mode == 1);
  }
  @inline lossGrad1(x: f32, z: f32, y: f32, a: f32, b: f32): f32 {
    return b == 2 ? marginRanking1(x, z, y, a) : gaussian1(x, z, y, a, b == 1);
  }
}

/** Kernel ABI of pointwise3.ts, with `mode` (see above) as its parameter b. */
export function threeInput(
  x: usize, z: usize, y: usize, rows: i32, C: i32, zPerRow: bool,
  lossOut: usize, gx: usize, gz: usize, gradOut: usize, scale: f32, a: f32, mode: f32,
): f64 {
  return pointwise3<ThreeInput>(changetype<ThreeInput>(0), x, z, y, rows, C, zPerRow, lossOut, gx, gz, gradOut, scale, a, mode);
}
