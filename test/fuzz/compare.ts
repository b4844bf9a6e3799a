// The comparison of our results with PyTorch's, knowing float32. An element passes when it is
//   - within rtol 2e-5 plus 4 float32 ulps of PyTorch's float32 answer, or
//   - within the same of the exact answer (PyTorch in float64 on the same float32 inputs), or
//     equal to it rounded to float32 (±Infinity where it lies beyond float32's range), or
//   - at most twice as far from the exact answer as PyTorch's own float32 answer is
//     (PyTorch's float32 is inexact there; we need not repeat its error, only match its quality),
// with, for arrays, an absolute floor: 1e-6 of the array's largest finite magnitude (elements
// far below the array's scale are results of cancellation, as a softmax's p − 1, where neither
// implementation can be relatively exact; the fixtures need no floor, they record PyTorch's
// float32 error element by element), or twice
// PyTorch's own largest float32 error on the array if that is more (long CTC sequences: the
// fixtures of scripts/fixtures/ctc.py accept the same); and for results that cancel, 1e-6 of
// the magnitude of the terms that cancel (a reduced loss: the same reduction of |terms|, from
// the PyTorch side; gradients and row losses: scale.ts). NaN must
// meet NaN and an infinity the same infinity, unless the exact answer is finite and we are
// close to it (PyTorch's float32 overflowed where we did not).

import { NO_GRAD, type Case } from "./case";
import type { Outcome } from "./call";
import type { Result } from "./reference";
import { naturalScale } from "./scale";
import { allowance, asCloseAsTorch32 } from "../helpers/tolerance";

const FLOOR = 1e-6;

export interface Mismatch {
  /** "loss", "loss[3]", "grads[1][7]", or what differs in shape ("length of grads[0]"). */
  what: string;
  ours: number;
  torch: number;
  exact: number;
}

function tol(e: number, floor: number): number {
  return allowance(e, undefined, floor);
}

export function closeEnough(a: number, e32: number, e64: number, floor: number): boolean {
  if (Object.is(a, e32) || (Number.isNaN(a) && Number.isNaN(e32)) || a === e32) return true;
  if (Math.fround(e64) === a) return true; // the exact answer rounded to float32 (or beyond its range)
  if (!Number.isFinite(a)) return false;
  if (Number.isFinite(e32) && Math.abs(a - e32) <= tol(e32, floor)) return true;
  if (!Number.isFinite(e64)) return false;
  const d = Math.abs(a - e64);
  return d <= tol(e64, floor) || (Number.isFinite(e32) && asCloseAsTorch32(a, e32, e64));
}

function scaleOf(...arrays: ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++)
      if (Number.isFinite(a[i]) && Math.abs(a[i]) > m) m = Math.abs(a[i]);
  return m;
}

/** PyTorch's largest float32 error over an array (where both answers are finite). */
function worstError(t32: ArrayLike<number>, t64: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < t32.length; i++) {
    const d = Math.abs(t32[i] - t64[i]);
    if (Number.isFinite(d) && d > m) m = d;
  }
  return m;
}

function compareValue(
  c: Case,
  what: string,
  ours: number | Float32Array | undefined,
  t32: number | Float64Array,
  t64: number | Float64Array,
  out: Mismatch[],
  mag = 0,
): void {
  // The floor of a cancelling element (scale.ts; for a reduced loss, the size of its terms),
  // worked out only for an element that fails without it.
  const close = (a: number, e32: number, e64: number, floor: number, i: number) =>
    closeEnough(a, e32, e64, floor) ||
    closeEnough(
      a,
      e32,
      e64,
      Math.max(floor, FLOOR * Math.max(naturalScale(c, what, i), Number.isFinite(mag) ? mag : 0)),
    );
  if (typeof t32 === "number") {
    if (typeof ours !== "number") {
      out.push({ what: `type of ${what}`, ours: NaN, torch: t32, exact: t64 as number });
      return;
    }
    if (!close(ours, t32, t64 as number, 0, -1))
      out.push({ what, ours, torch: t32, exact: t64 as number });
    return;
  }
  const e64 = t64 as Float64Array;
  if (!(ours instanceof Float32Array) || ours.length !== t32.length) {
    out.push({
      what: `length of ${what}`,
      ours: ours instanceof Float32Array ? ours.length : NaN,
      torch: t32.length,
      exact: t32.length,
    });
    return;
  }
  const floor = Math.max(FLOOR * scaleOf(t32, e64), 2 * worstError(t32, e64));
  for (let i = 0; i < t32.length; i++) {
    if (!close(ours[i], t32[i], e64[i], floor, i))
      out.push({ what: `${what}[${i}]`, ours: ours[i], torch: t32[i], exact: e64[i] });
  }
}

/** Every element where our outcome differs from PyTorch's answer beyond the rules above. */
export function compare(c: Case, ours: Outcome, t32: Result, t64: Result): Mismatch[] {
  const out: Mismatch[] = [];
  compareValue(c, "loss", ours.loss, t32.loss, t64.loss, out, t64.mag);
  if (c.grad && !NO_GRAD.has(c.fn)) {
    if (ours.grads.length !== t32.grads.length) {
      out.push({
        what: "number of gradients",
        ours: ours.grads.length,
        torch: t32.grads.length,
        exact: t32.grads.length,
      });
    } else {
      t32.grads.forEach((g, i) =>
        compareValue(c, `grads[${i}]`, ours.grads[i], g, t64.grads[i], out),
      );
    }
  }
  return out;
}
