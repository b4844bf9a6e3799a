// One fused pass for every loss that is a sum of per-element terms l(x[i], y[i]): the loss, its
// per-element values and its gradient are produced together, reading each input once.
//
// Kernel ABI (shared by every family; the wrapper in src/ relies on it):
//   (x, y, n, lossOut, grad, gradOut, scale, a, b) -> f64 sum of the per-element losses
//   lossOut != 0  also write the n per-element losses there
//   grad    != 0  also write dl/dx[i] * (gradOut != 0 ? gradOut[i] : scale)
//   a, b          the loss's own parameters (delta, beta, ...)
// Pointers are byte offsets of f32 arrays in linear memory; they may alias the inputs only for
// lossOut/grad written in place of nothing else (the wrapper never aliases inputs and outputs).
//
// A loss is a class with @inline methods (an "Op"); the driver is instantiated once per Op and
// specialised by constant folding, so no flag is tested inside a hot loop.

import { BLOCK, hsum64 } from "./math";

/** Derivative written by lossGrad4/lossGrad1 beside the loss they return. */
@lazy export let G4: v128 = v128.splat<i32>(0);
@lazy export let G1: f32 = 0;

// Optional outputs cost no specialisation: an absent lossOut points at a 16-byte sink, an absent
// gradOut at four copies of `scale`, and their offsets are masked to 0. Two specialisations per
// loss (with and without gradient) keep the binaries small (each .wasm must stay under 32 KiB).
export const SINK = memory.data(16, 16);
const SCALE = memory.data(16, 16);

/** Where optional outputs go: `ptr` itself with an all-ones mask, or a fixed slot with mask 0. */
@inline export function optional(ptr: usize, fallback: usize): usize { return ptr != 0 ? ptr : fallback; }
@inline export function maskOf(ptr: usize): usize { return ptr != 0 ? <usize>-1 : 0; }

/** Fills the 16-byte scale slot and returns it (the gradOut of callers without one). */
export function scaleSlot(scale: f32): usize {
  store<f32>(SCALE, scale, 0);
  store<f32>(SCALE, scale, 4);
  store<f32>(SCALE, scale, 8);
  store<f32>(SCALE, scale, 12);
  return SCALE;
}

@inline function run<Op>(
  op: Op, x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize,
  scale: f32, a: f32, b: f32, WG: bool,
): f64 {
  let total: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // Optional outputs are tested with branches that never change direction within a call (the
    // predictor makes them free); loads and stores cannot be speculated, so binaryen keeps them
    // as branches and no extra specialisation is compiled.
    const A = f32x4.splat(a);
    const B = f32x4.splat(b);
    const S = f32x4.splat(scale);
    const n4 = n & ~3;
    while (i < n4) {
      const end = min(i + BLOCK, n4);
      let acc = f32x4.splat(0);
      for (; i < end; i += 4) {
        const off = <usize>i << 2;
        const xv = v128.load(x + off);
        const yv = v128.load(y + off);
        let l: v128;
        if (WG) {
          l = op.lossGrad4(xv, yv, A, B);
          if (gradOut != 0) v128.store(grad + off, f32x4.mul(G4, v128.load(gradOut + off)));
          else v128.store(grad + off, f32x4.mul(G4, S));
        } else {
          l = op.loss4(xv, yv, A, B);
        }
        if (lossOut != 0) v128.store(lossOut + off, l);
        acc = f32x4.add(acc, l);
      }
      total += hsum64(acc);
    }
  }
  // Scalar build, and the SIMD build's last n % 4 elements (a float64 add is free here).
  const lp = optional(lossOut, SINK);
  const lm = maskOf(lossOut);
  const gp = optional(gradOut, scaleSlot(scale));
  const gm = maskOf(gradOut);
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const xv = load<f32>(x + off);
    const yv = load<f32>(y + off);
    let l: f32;
    if (WG) {
      l = op.lossGrad1(xv, yv, a, b);
      store<f32>(grad + off, G1 * load<f32>(gp + (off & gm)));
    } else {
      l = op.loss1(xv, yv, a, b);
    }
    store<f32>(lp + (off & lm), l);
    total += <f64>l;
  }
  return total;
}

/** Runs the Op over n elements: the specialisation with or without gradient. */
@inline export function pointwise<Op>(
  op: Op, x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize,
  scale: f32, a: f32, b: f32,
): f64 {
  return grad == 0
    ? run<Op>(op, x, y, n, lossOut, 0, 0, scale, a, b, false)
    : run<Op>(op, x, y, n, lossOut, grad, gradOut, scale, a, b, true);
}
