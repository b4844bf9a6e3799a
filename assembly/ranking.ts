// Multi-class hinge losses over rows of C scores (PyTorch's multi_margin_loss and
// multilabel_margin_loss, aten/src/ATen/native/Loss{MultiMargin,MultiLabelMargin}.cpp): each row
// compares its target scores with every other class, z = margin - x[target] + x[d], and adds
// max(0, z) (or its square) / C. Loss and gradient in one pass over the row, vectorised over d.
//
// Kernel ABI (row losses; the wrapper in src/rows.ts relies on it): pointers are byte offsets
// of f32 rows (targets: i32), lossOut != 0 receives one loss per row, grad != 0 receives the
// gradient scaled per row by gradOut[r] (gradOut != 0) or `scale`; returns the f64 sum of the
// row losses. A gradient is written only where z > 0 (PyTorch's `if (z > 0)`), so z = 0 and NaN
// add neither loss nor gradient. One specialisation per loss: `WG` (gradient wanted) is a
// loop-invariant branch, cheaper than a second copy of the kernel in the binary.

import { BLOCK, hsum64 } from "./math";

/** Lane indices 0..3, advanced by 4 per vector step to find the target's own column. */
@inline function lanes(): v128 { return i32x4(0, 1, 2, 3); }

@inline function rowScale(gradOut: usize, r: i32, scale: f32): f32 {
  return gradOut != 0 ? load<f32>(gradOut + (<usize>r << 2)) : scale;
}

@inline function multiMarginRows(
  x: usize, y: usize, rows: i32, C: i32, w: usize, lossOut: usize, grad: usize, gradOut: usize,
  scale: f32, square: bool, margin: f32, WG: bool,
): f64 {
  let total: f64 = 0;
  const invC: f32 = <f32>1 / <f32>C;
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>r * <usize>C << 2);
    const gr = grad + (<usize>r * <usize>C << 2);
    const t = load<i32>(y + (<usize>r << 2));
    const wt: f32 = w != 0 ? load<f32>(w + (<usize>t << 2)) : 1;
    const base: f32 = margin - load<f32>(xr + (<usize>t << 2));
    // d(w z^p / C)/dx[d] = w p z^(p-1) / C, times the row's upstream gradient.
    const s: f32 = WG ? rowScale(gradOut, r, scale) * invC * wt : 0;
    const s2: f32 = s + s;
    let sum: f64 = 0;
    let gsum: f64 = 0;
    let d = 0;
    if (ASC_FEATURE_SIMD) {
      const B = f32x4.splat(base);
      const T = i32x4.splat(t);
      const S = f32x4.splat(s);
      const S2 = f32x4.splat(s2);
      const zero = f32x4.splat(0);
      const c4 = C & ~3;
      while (d < c4) {
        const end = min(d + BLOCK, c4);
        let acc = zero;
        let gacc = zero;
        let idx = i32x4.add(lanes(), i32x4.splat(d));
        for (; d < end; d += 4) {
          const off = <usize>d << 2;
          const z = f32x4.add(B, v128.load(xr + off));
          const on = v128.andnot(f32x4.gt(z, zero), i32x4.eq(idx, T));
          const h = square ? f32x4.mul(z, z) : z;
          acc = f32x4.add(acc, v128.and(h, on));
          if (WG) {
            const g = v128.and(square ? f32x4.mul(S2, z) : S, on);
            v128.store(gr + off, g);
            gacc = f32x4.add(gacc, g);
          }
          idx = i32x4.add(idx, i32x4.splat(4));
        }
        sum += hsum64(acc);
        if (WG) gsum += hsum64(gacc);
      }
    }
    for (; d < C; d++) {
      const off = <usize>d << 2;
      const z = base + load<f32>(xr + off);
      if (z > 0 && d != t) {
        sum += <f64>(square ? z * z : z);
        if (WG) {
          const g: f32 = square ? s2 * z : s;
          store<f32>(gr + off, g);
          gsum += <f64>g;
        }
      } else if (WG) {
        store<f32>(gr + off, 0);
      }
    }
    if (WG) store<f32>(gr + (<usize>t << 2), <f32>(0.0 - gsum)); // +0 when nothing is active, as PyTorch
    const l = <f32>(sum * <f64>wt / <f64>C);
    if (lossOut != 0) store<f32>(lossOut + (<usize>r << 2), l);
    total += <f64>l;
  }
  return total;
}

/**
 * multi_margin_loss over `rows` rows of C scores: y holds one class index per row (validated in
 * [0, C)), w the C class weights or 0, `power` 1 or 2.
 */
export function multiMargin(
  x: usize, y: usize, rows: i32, C: i32, w: usize, lossOut: usize, grad: usize, gradOut: usize,
  scale: f32, power: i32, margin: f32,
): f64 {
  return multiMarginRows(x, y, rows, C, w, lossOut, grad, gradOut, scale, power == 2, margin, grad != 0);
}

@inline function multiLabelRows(
  x: usize, y: usize, rows: i32, C: i32, mask: usize, lossOut: usize, grad: usize, gradOut: usize,
  scale: f32, WG: bool,
): f64 {
  let total: f64 = 0;
  const invC: f32 = <f32>1 / <f32>C;
  const bytes = <usize>C << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * bytes;
    const yr = y + <usize>r * bytes;
    const gr = grad + <usize>r * bytes;
    // The row's targets end at its first -1; mask[d] = -1 (all bits) marks a target class.
    memory.fill(mask, 0, bytes);
    if (WG) memory.fill(gr, 0, bytes);
    let k = 0;
    for (; k < C; k++) {
      const t = load<i32>(yr + (<usize>k << 2));
      if (t < 0) break;
      store<i32>(mask + (<usize>t << 2), -1);
    }
    const s: f32 = WG ? rowScale(gradOut, r, scale) * invC : 0;
    let sum: f64 = 0;
    // A class listed twice is compared twice, as in PyTorch.
    for (let j = 0; j < k; j++) {
      const t = load<i32>(yr + (<usize>j << 2));
      const base: f32 = <f32>1 - load<f32>(xr + (<usize>t << 2));
      let count: f64 = 0;
      let d = 0;
      if (ASC_FEATURE_SIMD) {
        const B = f32x4.splat(base);
        const S = f32x4.splat(s);
        const one = f32x4.splat(1);
        const zero = f32x4.splat(0);
        const c4 = C & ~3;
        while (d < c4) {
          const end = min(d + BLOCK, c4);
          let acc = zero;
          let cnt = zero;
          for (; d < end; d += 4) {
            const off = <usize>d << 2;
            const z = f32x4.add(B, v128.load(xr + off));
            const on = v128.andnot(f32x4.gt(z, zero), v128.load(mask + off));
            acc = f32x4.add(acc, v128.and(z, on));
            if (WG) {
              v128.store(gr + off, f32x4.add(v128.load(gr + off), v128.and(S, on)));
              cnt = f32x4.add(cnt, v128.and(one, on));
            }
          }
          sum += hsum64(acc);
          if (WG) count += hsum64(cnt);
        }
      }
      for (; d < C; d++) {
        const off = <usize>d << 2;
        const z = base + load<f32>(xr + off);
        if (z > 0 && load<i32>(mask + off) == 0) {
          sum += <f64>z;
          if (WG) {
            store<f32>(gr + off, load<f32>(gr + off) + s);
            count += 1;
          }
        }
      }
      if (WG) {
        const at = gr + (<usize>t << 2);
        store<f32>(at, load<f32>(at) - <f32>(<f64>s * count));
      }
    }
    const l = <f32>(sum / <f64>C);
    if (lossOut != 0) store<f32>(lossOut + (<usize>r << 2), l);
    total += <f64>l;
  }
  return total;
}

/**
 * multilabel_margin_loss over `rows` rows of C scores: y holds C class indices per row, ended by
 * the first -1 (validated in [-1, C)); `mask` is C * 4 bytes of scratch.
 */
export function multiLabelMargin(
  x: usize, y: usize, rows: i32, C: i32, mask: usize, lossOut: usize, grad: usize, gradOut: usize,
  scale: f32,
): f64 {
  return multiLabelRows(x, y, rows, C, mask, lossOut, grad, gradOut, scale, grad != 0);
}
