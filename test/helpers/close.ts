// Tolerance checks against PyTorch: |actual - expected| <= atol + rtol * |expected|, NaN must
// match NaN and infinities must match exactly. Arrays get an absolute floor scaled to the array
// (1e-6 of its largest finite magnitude) so that values far below the array's scale, where float32
// cancellation in PyTorch itself dominates, do not demand more than PyTorch delivers.
import { expect } from "vitest";

export const RTOL = 2e-5;

function close(a: number, e: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= atol + rtol * Math.abs(e);
}

export function expectClose(
  actual: number | Float32Array | ArrayLike<number>,
  expected: number | Float32Array,
  label: string,
  tol: { rtol?: number; atol?: number } = {},
): void {
  const rtol = tol.rtol ?? RTOL;
  if (typeof expected === "number") {
    expect(typeof actual, `${label}: a number`).toBe("number");
    const ok = close(actual as number, expected, rtol, tol.atol ?? 0);
    if (!ok) expect.fail(`${label}: got ${actual}, PyTorch ${expected} (rtol ${rtol}, atol ${tol.atol ?? 0})`);
    return;
  }
  const arr = actual as ArrayLike<number>;
  expect(arr.length, `${label}: length`).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const v = Math.abs(expected[i]);
    if (Number.isFinite(v) && v > scale) scale = v;
  }
  const atol = tol.atol ?? 1e-6 * scale;
  for (let i = 0; i < expected.length; i++) {
    if (!close(arr[i], expected[i], rtol, atol)) {
      expect.fail(`${label}[${i}]: got ${arr[i]}, PyTorch ${expected[i]} (rtol ${rtol}, atol ${atol.toExponential(2)}; length ${expected.length})`);
    }
  }
}
