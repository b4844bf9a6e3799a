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
// specialised by constant folding, so no flag is tested inside a hot loop. An Op's lossGrad
// stores its derivative times `gs` at `g` itself: returned through a v128 global, it cost V8 a
// store and a load per vector (measured: L1 fwd+grad 25% slower).

import { BLOCK, hsum64 } from "./math";
import { cell, splat4, SINK_CELL, SCALE_CELL } from "./scratch";

// Optional outputs cost no specialisation: an absent lossOut points at a 16-byte sink, an absent
// gradOut at four copies of `scale`, and their offsets are masked to 0. Two specialisations per
// loss (with and without gradient) keep the binaries small (each .wasm must stay under 32 KiB).
@inline export function sink(): usize { return cell(SINK_CELL); }

/** Where optional outputs go: `ptr` itself with an all-ones mask, or a fixed slot with mask 0. */
@inline export function optional(ptr: usize, fallback: usize): usize { return ptr != 0 ? ptr : fallback; }
@inline export function maskOf(ptr: usize): usize { return ptr != 0 ? <usize>-1 : 0; }

/** Fills the 16-byte scale slot and returns it (the gradOut of callers without one). */
export function scaleSlot(scale: f32): usize {
  return splat4(cell(SCALE_CELL), scale);
}

@inline function run<Op>(
  op: Op, x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize,
  scale: f32, a: f32, b: f32, WG: bool, UNROLL: bool,
): f64 {
  let total: f64 = 0;
  let i = 0;
  const lp = optional(lossOut, sink());
  const lm = maskOf(lossOut);
  const gp = optional(gradOut, scaleSlot(scale));
  const gm = maskOf(gradOut);
  if (ASC_FEATURE_SIMD) {
    const A = f32x4.splat(a);
    const B = f32x4.splat(b);
    const n4 = n & ~3;
    while (i < n4) {
      const end = min(i + BLOCK, n4);
      let acc = f32x4.splat(0);
      if (UNROLL && !WG) {
        // Cheap losses are bound by the latency of one accumulator's adds, not by arithmetic:
        // independent accumulators keep several vectors in flight. Four for the loss alone; two
        // with the gradient, whose stores and register pressure made four slower (A/B measured).
        let acc1 = f32x4.splat(0), acc2 = f32x4.splat(0), acc3 = f32x4.splat(0);
        for (; i + 16 <= end; i += 16) {
          acc = f32x4.add(acc, step4<Op>(op, lossOut != 0, x, y, <usize>i << 2, lp, grad, gp, gm, A, B, WG));
          acc1 = f32x4.add(acc1, step4<Op>(op, lossOut != 0, x, y, <usize>(i + 4) << 2, lp, grad, gp, gm, A, B, WG));
          acc2 = f32x4.add(acc2, step4<Op>(op, lossOut != 0, x, y, <usize>(i + 8) << 2, lp, grad, gp, gm, A, B, WG));
          acc3 = f32x4.add(acc3, step4<Op>(op, lossOut != 0, x, y, <usize>(i + 12) << 2, lp, grad, gp, gm, A, B, WG));
        }
        acc = f32x4.add(f32x4.add(acc, acc1), f32x4.add(acc2, acc3));
      }
      if (UNROLL && WG) {
        let acc1 = f32x4.splat(0);
        for (; i + 8 <= end; i += 8) {
          acc = f32x4.add(acc, step4<Op>(op, lossOut != 0, x, y, <usize>i << 2, lp, grad, gp, gm, A, B, WG));
          acc1 = f32x4.add(acc1, step4<Op>(op, lossOut != 0, x, y, <usize>(i + 4) << 2, lp, grad, gp, gm, A, B, WG));
        }
        acc = f32x4.add(acc, acc1);
      }
      for (; i < end; i += 4) {
        acc = f32x4.add(acc, step4<Op>(op, lossOut != 0, x, y, <usize>i << 2, lp, grad, gp, gm, A, B, WG));
      }
      total += hsum64(acc);
    }
  }
  // Scalar build, and the SIMD build's last n % 4 elements (a float64 add is free here).
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const xv = load<f32>(x + off);
    const yv = load<f32>(y + off);
    const l = WG
      ? op.lossGrad1(xv, yv, a, b, grad + off, load<f32>(gp + (off & gm)))
      : op.loss1(xv, yv, a, b);
    store<f32>(lp + (off & lm), l);
    total += <f64>l;
  }
  return total;
}

/** One vector of the SIMD loop: the loss (also stored when wanted) and, with WG, the gradient. */
@inline function step4<Op>(
  op: Op, storeLoss: bool, x: usize, y: usize, off: usize, lp: usize, grad: usize, gp: usize, gm: usize,
  A: v128, B: v128, WG: bool,
): v128 {
  const xv = v128.load(x + off);
  const yv = v128.load(y + off);
  const l = WG
    ? op.lossGrad4(xv, yv, A, B, grad + off, v128.load(gp + (off & gm)))
    : op.loss4(xv, yv, A, B);
  if (storeLoss) v128.store(lp + off, l); // a branch that never changes direction in a call
  return l;
}

/** Runs the Op over n elements: the specialisation with or without gradient. */
@inline export function pointwise<Op>(
  op: Op, x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize,
  scale: f32, a: f32, b: f32, unroll: bool = false,
): f64 {
  return grad == 0
    ? run<Op>(op, x, y, n, lossOut, 0, 0, scale, a, b, false, unroll)
    : run<Op>(op, x, y, n, lossOut, grad, gradOut, scale, a, b, true, unroll);
}
