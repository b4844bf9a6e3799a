// Binary cross-entropy on logits and on probabilities (PyTorch's binary_cross_entropy_with_logits
// and binary_cross_entropy) and the output transformations sigmoid and logSigmoid.
//
// Kernel ABI of the two losses: pointwise.ts's, with per-element weights in place of (a, b):
//   (x, y, n, lossOut, grad, gradOut, scale, w, wScalar, pw, pwScalar) -> f64 sum of the losses
//   w  != 0  n weights (a weight per class is repeated over the rows by the wrapper);
//   w  == 0  every weight is wScalar. Likewise pw / pwScalar (posWeight; bce ignores it).
// Absent weights cost no specialisation: like pointwise.ts's optional outputs they read a 16-byte
// slot of four copies of the scalar through an offset masked to 0, and the unweighted case adds
// only two cached loads and a few multiplies to ~50 vector operations of exp and log.
// Speed (measured at 1M elements, V8/Node 20): bceWithLogits has two specialisations (with and
// without gradient), each with exp and log1p inlined (~0.6 KiB of .wasm per copy) and the
// gradient stored by the Op itself (no v128 global round trip): ~25% faster than calling them.
// bce has one specialisation (an absent gradient goes to the sink): its loss needs two logs, so
// the gradient's few operations cost the forward pass little; the 0.6 KiB saved pays for the inlining.

import { BLOCK, hsum64, expNeg4, log1pUnit4, negAbs4, one4, sign4, expf, logf, log1pf } from "./math";
import { expNegAbsCall4, logCall4 } from "./mathcalls";
import { sink, optional, maskOf, scaleSlot } from "./pointwise";
import { cell, splat4, WEIGHT_CELL, POS_WEIGHT_CELL, TAIL_CELL } from "./scratch";

// WG (gradient wanted) is a type, not a bool argument: a compile-time constant, so that the two
// specialisations are two loops (with a bool, the optimizer merged them into one loop with a
// branch in its body, and V8 spilled the values live across that branch: ~10% slower).
@inline function run<Op, WG>(
  op: Op, x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32,
  w: usize, wScalar: f32, pw: usize, pwScalar: f32, GMASK: bool,
): f64 {
  const lp = optional(lossOut, sink());
  const lm = maskOf(lossOut);
  // GMASK: one specialisation for both calls, an absent gradient written to the sink.
  const gb = GMASK ? optional(grad, sink()) : grad;
  const gbm = GMASK ? maskOf(grad) : <usize>-1;
  const gp = optional(gradOut, scaleSlot(scale));
  const gm = maskOf(gradOut);
  const wp = optional(w, splat4(cell(WEIGHT_CELL), wScalar));
  const wm = maskOf(w);
  const pp = optional(pw, splat4(cell(POS_WEIGHT_CELL), pwScalar));
  const pm = maskOf(pw);
  let total: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const n4 = n & ~3;
    while (i < n4) {
      const end = min(i + BLOCK, n4);
      let acc = f32x4.splat(0);
      for (; i < end; i += 4) {
        const off = <usize>i << 2;
        const xv = v128.load(x + off);
        const yv = v128.load(y + off);
        const wv = v128.load(wp + (off & wm));
        const pv = v128.load(pp + (off & pm));
        let l: v128;
        if (isInteger<WG>()) {
          l = op.lossGrad4(xv, yv, wv, pv, gb + (off & gbm), v128.load(gp + (off & gm)));
        } else {
          l = op.loss4(xv, yv, wv, pv);
        }
        v128.store(lp + (off & lm), l);
        acc = f32x4.add(acc, l);
      }
      total += hsum64(acc);
    }
  }
  // Scalar build, and the SIMD build's last n % 4 elements.
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const xv = load<f32>(x + off);
    const yv = load<f32>(y + off);
    const wv = load<f32>(wp + (off & wm));
    const pv = load<f32>(pp + (off & pm));
    let l: f32;
    if (isInteger<WG>()) {
      l = op.lossGrad1(xv, yv, wv, pv, gb + (off & gbm), load<f32>(gp + (off & gm)));
    } else {
      l = op.loss1(xv, yv, wv, pv);
    }
    store<f32>(lp + (off & lm), l);
    total += <f64>l;
  }
  return total;
}

@inline function weighted<Op>(
  op: Op, x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32,
  w: usize, wScalar: f32, pw: usize, pwScalar: f32,
): f64 {
  return grad == 0
    ? run<Op, f32>(op, x, y, n, lossOut, 0, 0, scale, w, wScalar, pw, pwScalar, false)
    : run<Op, i32>(op, x, y, n, lossOut, grad, gradOut, scale, w, wScalar, pw, pwScalar, false);
}

// Vector math of the hot loops is inlined from math.ts (a call of a v128 function costs V8 a spill
// of every live vector register on both sides).

// Scalar forms, for the scalar build and the SIMD build's tails alike: musl's. The SIMD build then
// holds the scalar build's loops byte for byte, which the packed bundle stores once (see
// mathcalls.ts).
@inline function expNegAbsS(x: f32): f32 { return expf(-Mathf.abs(x)); }
@inline function log1pUnitS(e: f32): f32 { return log1pf(e); }

// BCE with logits, PyTorch 2.x: (1 - y) x - lw logsigmoid(x), lw = (pw - 1) y + 1, times w; lw is
// formed as pw y + (1 - y), exact for y in {0, 1} ((pw - 1) + 1 loses a small pw's digits).
// With e = exp(-|x|) and logsigmoid(x) = min(x, 0) - log1p(e) this is, without cancellation,
//   x >= 0: (1 - y) x + lw log1p(e)        x < 0: -pw y x + lw log1p(e)
// Gradient (PyTorch's backward: lw sigmoid(x) - pw y, times w), with s = sigmoid(-|x|) = e/(1+e)
// so that neither branch subtracts two numbers near 1:
//   x >= 0: (1 - y) - lw s                 x < 0: lw s - pw y
// Finite for every finite x: e is in [0, 1], so log1p(e) is in [0, ln 2] and s in [0, 1/2].
@final class BceWithLogits {
  @inline loss4(x: v128, y: v128, w: v128, pw: v128): v128 {
    const one = one4();
    const t = f32x4.mul(pw, y);
    const omy = f32x4.sub(one, y);
    const lw = f32x4.add(t, omy);
    const sp = log1pUnit4(expNeg4(negAbs4(x)));
    const c = v128.bitselect(v128.xor(t, sign4()), omy, f32x4.lt(x, f32x4.splat(0)));
    return f32x4.add(f32x4.mul(f32x4.mul(c, x), w), f32x4.mul(f32x4.mul(lw, w), sp));
  }
  @inline lossGrad4(x: v128, y: v128, w: v128, pw: v128, g: usize, gs: v128): v128 {
    const one = one4();
    const t = f32x4.mul(pw, y);
    const omy = f32x4.sub(one, y);
    const lw = f32x4.add(t, omy);
    const e = expNeg4(negAbs4(x));
    const sp = log1pUnit4(e);
    const neg = f32x4.lt(x, f32x4.splat(0));
    const sgn = sign4();
    const c = v128.bitselect(v128.xor(t, sgn), omy, neg);
    const ls = f32x4.mul(lw, f32x4.div(e, f32x4.add(one, e)));
    // x < 0: ls - t = c + ls; else (1 - y) - ls = c + (-ls): the same roundings, no select.
    v128.store(g, f32x4.mul(f32x4.mul(f32x4.add(c, v128.xor(ls, v128.andnot(sgn, neg))), w), gs));
    return f32x4.add(f32x4.mul(f32x4.mul(c, x), w), f32x4.mul(f32x4.mul(lw, w), sp));
  }
  @inline loss1(x: f32, y: f32, w: f32, pw: f32): f32 {
    const lw = pw * y + (1 - y);
    const c: f32 = x < 0 ? -(pw * y) : 1 - y;
    return (c * x + lw * log1pUnitS(expNegAbsS(x))) * w;
  }
  @inline lossGrad1(x: f32, y: f32, w: f32, pw: f32, g: usize, gs: f32): f32 {
    const t = pw * y;
    const lw = t + (1 - y);
    const e = expNegAbsS(x);
    const ls = lw * (e / (1 + e));
    const neg = x < 0;
    store<f32>(g, (neg ? ls - t : (1 - y) - ls) * w * gs);
    return ((neg ? -t : 1 - y) * x + lw * log1pUnitS(e)) * w;
  }
}

/** log1p(-p) for p in [0, 1], accurate for tiny p: log(u) p / (1 - u) with u = 1 - p (Goldberg). */
@inline function log1mp4(p: v128): v128 {
  const u = f32x4.sub(f32x4.splat(1), p);
  const d = f32x4.sub(f32x4.splat(1), u); // exact: u is in [1/2, 1] or 1 - u = p exactly
  const r = f32x4.div(f32x4.mul(logCall4(u), p), d);
  return v128.bitselect(f32x4.neg(p), r, f32x4.eq(d, f32x4.splat(0)));
}

// BCE on probabilities, PyTorch 2.x: (y - 1) max(log1p(-x), -100) - y max(log(x), -100), times w;
// gradient (x - y) / max((1 - x) x, 1e-12) times w (not zeroed where the log is clamped).
const LOG_FLOOR: f32 = -100;
const EPS: f32 = 1e-12;

// Called by both specialisations: one copy each.
function bceLoss4(x: v128, y: v128, w: v128): v128 {
  const floor = f32x4.splat(LOG_FLOOR);
  const lx = f32x4.pmax(logCall4(x), floor);
  const l1x = f32x4.pmax(log1mp4(x), floor);
  return f32x4.mul(f32x4.sub(f32x4.mul(f32x4.sub(y, f32x4.splat(1)), l1x), f32x4.mul(y, lx)), w);
}
function bceLoss1(x: f32, y: f32, w: f32): f32 {
  const lx = max<f32>(logf(x), LOG_FLOOR);
  const l1x = max<f32>(log1pf(-x), LOG_FLOOR);
  return ((y - 1) * l1x - y * lx) * w;
}

@final class Bce {
  @inline loss4(x: v128, y: v128, w: v128, pw: v128): v128 { return bceLoss4(x, y, w); }
  @inline lossGrad4(x: v128, y: v128, w: v128, pw: v128, g: usize, gs: v128): v128 {
    const den = f32x4.pmax(f32x4.mul(f32x4.sub(f32x4.splat(1), x), x), f32x4.splat(EPS));
    v128.store(g, f32x4.mul(f32x4.mul(f32x4.div(f32x4.sub(x, y), den), w), gs));
    return bceLoss4(x, y, w);
  }
  @inline loss1(x: f32, y: f32, w: f32, pw: f32): f32 { return bceLoss1(x, y, w); }
  @inline lossGrad1(x: f32, y: f32, w: f32, pw: f32, g: usize, gs: f32): f32 {
    store<f32>(g, (x - y) / max<f32>((1 - x) * x, EPS) * w * gs);
    return bceLoss1(x, y, w);
  }
}

export function bceWithLogits(
  x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32,
  w: usize, wScalar: f32, pw: usize, pwScalar: f32,
): f64 {
  return weighted<BceWithLogits>(changetype<BceWithLogits>(0), x, y, n, lossOut, grad, gradOut, scale, w, wScalar, pw, pwScalar);
}

export function bce(
  x: usize, y: usize, n: i32, lossOut: usize, grad: usize, gradOut: usize, scale: f32,
  w: usize, wScalar: f32,
): f64 {
  // One specialisation (the gradient's few operations cost the loss's two logs little).
  return run<Bce, i32>(changetype<Bce>(0), x, y, n, lossOut, grad, gradOut, scale, w, wScalar, 0, 1, true);
}


// sigmoid(x) = 1 / (1 + e) for x >= 0, e / (1 + e) for x < 0; logsigmoid(x) = min(x, 0) - log1p(e);
// e = exp(-|x|) in [0, 1], so neither overflows for any input (logSigmoid(-1e4) = -1e4 exactly).
// SIMD build: the last n % 4 elements go through the same vector loop once more, copied to and
// from a 16-byte slot (its other lanes hold stale values, computed and discarded), so the SIMD
// build has one copy of each body and no scalar tail.

/** Runs Op over x[0..n) into out: the vector body for every element (tail via the TAIL slot) in
 *  the SIMD build, the scalar body in the scalar build. */
@inline function unary<Op>(op: Op, x: usize, out: usize, n: i32): void {
  if (ASC_FEATURE_SIMD) {
    const n4 = n & ~3;
    const tail = <usize>(n - n4) << 2;
    const TAIL = cell(TAIL_CELL);
    let xs = x, os = out, end = n4;
    for (let i = 0; ; ) {
      for (; i < end; i += 4) {
        const off = <usize>i << 2;
        v128.store(os + off, op.f4(v128.load(xs + off)));
      }
      if (tail == 0 || xs != x) break;
      memory.copy(TAIL, x + (<usize>n4 << 2), tail);
      xs = os = TAIL - (<usize>n4 << 2);
      end = n4 + 4;
    }
    if (tail != 0) memory.copy(out + (<usize>n4 << 2), TAIL, tail);
  } else {
    for (let i = 0; i < n; i++) {
      const off = <usize>i << 2;
      store<f32>(out + off, op.f1(load<f32>(x + off)));
    }
  }
}

@final class Sigmoid {
  @inline f4(v: v128): v128 {
    const one = f32x4.splat(1);
    const e = expNegAbsCall4(v);
    const r = f32x4.div(one, f32x4.add(one, e));
    return v128.bitselect(f32x4.mul(e, r), r, f32x4.lt(v, f32x4.splat(0)));
  }
  @inline f1(v: f32): f32 {
    const e = expf(-Mathf.abs(v));
    const r: f32 = 1 / (1 + e);
    return v < 0 ? e * r : r;
  }
}

@final class LogSigmoid {
  @inline f4(v: v128): v128 {
    const sp = log1pUnit4(expNeg4(negAbs4(v)));
    return f32x4.sub(f32x4.pmin(v, f32x4.splat(0)), sp);
  }
  @inline f1(v: f32): f32 { return (v < 0 ? v : 0) - log1pf(expf(-Mathf.abs(v))); }
}

export function sigmoid(x: usize, out: usize, n: i32): void {
  unary<Sigmoid>(changetype<Sigmoid>(0), x, out, n);
}

export function logSigmoid(x: usize, out: usize, n: i32): void {
  unary<LogSigmoid>(changetype<LogSigmoid>(0), x, out, n);
}

