// The losses of three arrays with two differentiable inputs: Gaussian NLL (PyTorch's
// gaussian_nll_loss: input, variance, target) and margin ranking (margin_ranking_loss: input1,
// input2, target). They share the one instantiation of the three-input driver (pointwise3.ts;
// each costs about 650 bytes of .wasm); `mode` selects the loss, a branch the predictor always
// wins:  0 Gaussian NLL (z = variance, a = eps),  1 the same with `full`,  2 margin ranking
// (z = input2, a = margin). Each loss sets GX4/GZ4 (GX1/GZ1), its gradients times the upstream
// gradient go, beside the loss it returns.

import { pointwise3, GX4, GZ4, GX1, GZ1 } from "./pointwise3";
import { logCall4 as log4 } from "./mathcalls";
import { logf } from "./math";

// Gaussian (z = variance, a = eps; `full` adds log(2 pi) / 2): with v = max(z, eps),
// (log v + d^2 / v) / 2, d = x - t. The clamp does not stop the gradient (PyTorch clamps under
// no_grad). With h = go / 2 (the upstream gradient through the 0.5), autograd's order:
// dx = (h / v) (2 d), dz = h / v − h (q / v), q = d^2 / v (the quotients first: h / v stays finite
// for a tiny v where d / v or 1 / v alone overflow).
const HALF_LOG_2PI_F: f32 = 0.918938533204672742;
@inline function gaussian4(x: v128, z: v128, t: v128, eps: v128, full: bool, go: v128): v128 {
  const v = f32x4.pmax(z, eps);
  const d = f32x4.sub(x, t);
  const q = f32x4.div(f32x4.mul(d, d), v);
  const h = f32x4.mul(go, f32x4.splat(0.5));
  const hv = f32x4.div(h, v);
  GX4 = f32x4.mul(hv, f32x4.add(d, d));
  GZ4 = f32x4.sub(hv, f32x4.mul(h, f32x4.div(q, v)));
  const l = f32x4.mul(f32x4.splat(0.5), f32x4.add(log4(v), q));
  return full ? f32x4.add(l, f32x4.splat(HALF_LOG_2PI_F)) : l;
}
@inline function gaussian1(x: f32, z: f32, t: f32, eps: f32, full: bool, go: f32): f32 {
  const v = z < eps ? eps : z;
  const d = x - t;
  const q = d * d / v;
  const h = go * 0.5;
  const hv = h / v;
  GX1 = hv * (d + d);
  GZ1 = hv - h * (q / v);
  const l: f32 = 0.5 * (logf(v) + q);
  return full ? l + HALF_LOG_2PI_F : l;
}

// MarginRanking (a = margin): max(-y (x1 - x2) + margin, 0); where the argument >= 0 (the hinge
// point included) dx1 = −y·go, dx2 = y·go, elsewhere 0 (clamp_min's backward selects, so a
// non-finite go of an inactive element gives 0, as in PyTorch); z = x2.
@inline function marginRanking4(x: v128, z: v128, y: v128, margin: v128, go: v128): v128 {
  const m = f32x4.add(f32x4.mul(f32x4.neg(y), f32x4.sub(x, z)), margin);
  GX4 = f32x4.mul(v128.and(go, f32x4.ge(m, f32x4.splat(0))), f32x4.neg(y));
  GZ4 = f32x4.neg(GX4);
  return f32x4.pmax(m, f32x4.splat(0));
}
@inline function marginRanking1(x: f32, z: f32, y: f32, margin: f32, go: f32): f32 {
  const m = -y * (x - z) + margin;
  GX1 = (m >= 0 ? go : 0) * -y;
  GZ1 = -GX1;
  return m < 0 ? 0 : m;
}

@final class ThreeInput {
  @inline lossGrad4(x: v128, z: v128, y: v128, a: v128, b: v128, go: v128): v128 {
    const mode = f32x4.extract_lane(b, 0);
    return mode == 2 ? marginRanking4(x, z, y, a, go) : gaussian4(x, z, y, a, mode == 1, go);
  }
  @inline lossGrad1(x: f32, z: f32, y: f32, a: f32, b: f32, go: f32): f32 {
    return b == 2 ? marginRanking1(x, z, y, a, go) : gaussian1(x, z, y, a, b == 1, go);
  }
}

/** Kernel ABI of pointwise3.ts, with `mode` (see above) as its parameter b. */
export function threeInput(
  x: usize, z: usize, y: usize, rows: i32, C: i32, zPerRow: bool,
  lossOut: usize, gx: usize, gz: usize, gradOut: usize, scale: f32, a: f32, mode: f32,
): f64 {
  return pointwise3<ThreeInput>(changetype<ThreeInput>(0), x, z, y, rows, C, zPerRow, lossOut, gx, gz, gradOut, scale, a, mode);
}
