// Tolerance checks against PyTorch, element by element (test/helpers/tolerance.ts): an element
// passes when it is within rtol·|expected| + 4 float32 ulps of the expected element itself (plus
// a case's own `tol`, which always carries its reason), or, where the fixture records that
// PyTorch's float32 answer is itself off the float64 one there (cancellation, long sums), when it
// is no more than twice as far from the float64 answer as PyTorch's float32 answer is; where it
// records that the element is a difference of terms of magnitude s much larger than itself, the
// allowance grows by TERMS_ULPS·2^-24·s at that element alone. NaN must
// match NaN and infinities must match exactly.
import { expect } from "vitest";
import type { FixtureCase, Tolerance } from "./fixtures";
import { RTOL, allowance, asCloseAsTorch32 } from "./tolerance";

export { RTOL };

/** PyTorch's float32 error at the elements of one result where it exceeds the strict tolerance. */
export interface ElementErrors {
  /** Which answer the expected values are; the other is the expected value minus or plus the error. */
  expected: "float32" | "float64";
  /** Element index → PyTorch's float32 answer minus the float64 one. */
  errors: Map<number, number>;
}

/** Why an element failed, or null when it passes. */
function verdict(
  a: number,
  e: number,
  i: number,
  tol: Tolerance,
  rec?: ElementErrors,
  terms?: Map<number, number>,
): string | null {
  if (Number.isNaN(e)) return Number.isNaN(a) ? null : "NaN expected";
  if (!Number.isFinite(e)) return a === e ? null : `${e} expected`;
  const s = terms?.get(i);
  const allowed = allowance(e, tol.rtol ?? RTOL, tol.atol ?? 0, s ?? 0);
  if (Math.abs(a - e) <= allowed) return null;
  const why = `off by ${Math.abs(a - e).toExponential(2)}, allowed ${allowed.toExponential(2)}${s === undefined ? "" : ` (terms of magnitude ${s} meet here)`}`;
  const d = rec?.errors.get(i);
  if (d === undefined) return why;
  const [e32, e64] = rec!.expected === "float64" ? [e + d, e] : [e, e - d];
  if (asCloseAsTorch32(a, e32, e64)) return null;
  return `${why}; ${Math.abs(a - e64).toExponential(2)} from the float64 answer ${e64}, where PyTorch's float32 answer ${e32} is ${Math.abs(d).toExponential(2)} from it (twice that allowed)`;
}

export function expectClose(
  actual: number | Float32Array | ArrayLike<number>,
  expected: number | Float32Array,
  label: string,
  tol: Tolerance = {},
  rec?: ElementErrors,
  terms?: Map<number, number>,
): void {
  const widened =
    tol.rtol !== undefined || tol.atol !== undefined
      ? ` (case tolerance rtol ${tol.rtol ?? RTOL}, atol ${tol.atol ?? 0}: ${tol.why ?? "no reason given"})`
      : "";
  if (typeof expected === "number") {
    expect(typeof actual, `${label}: a number`).toBe("number");
    const v = verdict(actual as number, expected, 0, tol, rec, terms);
    if (v) expect.fail(`${label}: got ${actual}, expected ${expected}: ${v}${widened}`);
    return;
  }
  const arr = actual as ArrayLike<number>;
  expect(arr.length, `${label}: length`).toBe(expected.length);
  const failed: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const v = verdict(arr[i], expected[i], i, tol, rec, terms);
    if (v && count++ < 3) failed.push(`[${i}]: got ${arr[i]}, expected ${expected[i]}: ${v}`);
  }
  if (count)
    expect.fail(
      `${label}: ${count} of ${expected.length} elements differ${widened}; ${failed.join("; ")}`,
    );
}

/** What one run of a fixture case produced: the loss alone, and the …WithGrad twin's results. */
export interface CaseOutputs {
  loss: number | Float32Array;
  lossOfWithGrad?: number | Float32Array;
  grads?: Float32Array[];
}

/** Checks a run of a fixture case against its expected values, with its tolerance and records. */
export function expectFixture(c: FixtureCase, out: CaseOutputs, label: string): void {
  const tol = c.tol ?? {};
  const rec = (errors?: Map<number, number>): ElementErrors | undefined =>
    c.float32Error && errors ? { expected: c.float32Error.expected, errors } : undefined;
  const where = `${label} (expected: ${c.reference})`;
  expectClose(out.loss, c.loss, `${where}: loss`, tol, rec(c.float32Error?.loss), c.terms?.loss);
  if (!c.grads || !out.grads) return;
  expectClose(
    out.lossOfWithGrad!,
    c.loss,
    `${where}: loss of ${c.fn}WithGrad`,
    tol,
    rec(c.float32Error?.loss),
    c.terms?.loss,
  );
  c.grads.forEach((g, i) =>
    expectClose(
      out.grads![i],
      g,
      `${where}: grad ${i}`,
      tol,
      rec(c.float32Error?.grads[i]),
      c.terms?.grads[i],
    ),
  );
}
