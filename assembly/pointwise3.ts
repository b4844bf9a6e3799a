// The pointwise driver for losses of three arrays l(x[i], z[i], y[i]) with two differentiable
// inputs x and z (Gaussian NLL: input, variance; margin ranking: input1, input2). The loss is per
// element; z may instead hold one value per row of C elements (gaussianNll with `classes`),
// and then dz of a row is the sum of its elements' dz.
//
// Kernel ABI (src/fused.ts relies on it; threeinput.ts instantiates it):
//   (x, z, y, rows, C, zPerRow, lossOut, gx, gz, gradOut, scale, a, b) -> f64 sum of the losses
//   rows * C elements; zPerRow != 0: z has `rows` values, else rows * C (callers pass rows = 1).
//   lossOut, gradOut optional (0) as in pointwise.ts; gx and gz both given or both 0.
//
// Same tricks as pointwise.ts: an Op class with @inline methods (lossGrad4 and lossGrad1 only),
// optional outputs by masked offsets. A per-row z is splatted into a 16-byte
// slot read at masked offset 0, and its per-element dz goes to the sink while the row sums it.

import { BLOCK, hsum64 } from "./math";
import { sink, optional, maskOf, scaleSlot } from "./pointwise";
import { cell, splat4, ZROW_CELL } from "./scratch";

/** Gradients written by lossGrad4/lossGrad1 beside the loss they return: d/dx and d/dz times the
 *  upstream gradient `go` they are given (each Op in PyTorch's order of operations: multiplying
 *  afterwards overflowed where PyTorch's scaled quotient does not, and turned its 0-selects into
 *  0·∞). */
@lazy export let GX4: v128 = i32x4(0, 0, 0, 0);
@lazy export let GZ4: v128 = i32x4(0, 0, 0, 0);
@lazy export let GX1: f32 = 0;
@lazy export let GZ1: f32 = 0;


/**
 * Runs the Op over rows * C elements. One specialisation only: the gradients are always
 * computed and go to the sink when gx and gz are 0 (a few multiplies, against kilobytes of
 * .wasm for a second copy of the loop).
 */
@inline export function pointwise3<Op>(
  op: Op, x: usize, z: usize, y: usize, rows: i32, C: i32, zPerRow: bool,
  lossOut: usize, gx: usize, gz: usize, gradOut: usize, scale: f32, a: f32, b: f32,
): f64 {
  const lm = maskOf(lossOut);
  const SINK = sink();
  const ZROW = cell(ZROW_CELL);
  const lp0 = optional(lossOut, SINK);
  const gm = maskOf(gradOut);
  const gp0 = optional(gradOut, scaleSlot(scale));
  const gxm = maskOf(gx);
  const gx0 = optional(gx, SINK);
  // dz per element goes to gz; per row (or without gradients) to the sink, the row summing it.
  const zm: usize = zPerRow ? 0 : <usize>-1;
  const gzm: usize = zPerRow || gz == 0 ? 0 : <usize>-1;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * <usize>C) << 2;
    const xr = x + base;
    const yr = y + base;
    const lp = lp0 + (base & lm);
    const gp = gp0 + (base & gm);
    const gxr = gx0 + (base & gxm);
    const gzr = gzm != 0 ? gz + base : SINK;
    let zr = z + base;
    if (zPerRow) {
      const v = load<f32>(z + (<usize>r << 2));
      splat4(ZROW, v);
      zr = ZROW;
    }
    let rowGz: f64 = 0;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const A = f32x4.splat(a);
      const B = f32x4.splat(b);
      const n4 = C & ~3;
      while (i < n4) {
        const end = min(i + BLOCK, n4);
        let acc = f32x4.splat(0);
        let accZ = f32x4.splat(0);
        for (; i < end; i += 4) {
          const off = <usize>i << 2;
          const go = v128.load(gp + (off & gm));
          const l = op.lossGrad4(v128.load(xr + off), v128.load(zr + (off & zm)), v128.load(yr + off), A, B, go);
          v128.store(gxr + (off & gxm), GX4);
          const dz = GZ4;
          v128.store(gzr + (off & gzm), dz);
          accZ = f32x4.add(accZ, dz);
          v128.store(lp + (off & lm), l);
          acc = f32x4.add(acc, l);
        }
        total += hsum64(acc);
        rowGz += hsum64(accZ);
      }
    }
    for (; i < C; i++) {
      const off = <usize>i << 2;
      const go = load<f32>(gp + (off & gm));
      const l = op.lossGrad1(load<f32>(xr + off), load<f32>(zr + (off & zm)), load<f32>(yr + off), a, b, go);
      store<f32>(gxr + (off & gxm), GX1);
      const dz = GZ1;
      store<f32>(gzr + (off & gzm), dz);
      rowGz += <f64>dz;
      store<f32>(lp + (off & lm), l);
      total += <f64>l;
    }
    if (zPerRow && gz != 0) store<f32>(gz + (<usize>r << 2), <f32>rowGz);
  }
  return total;
}
