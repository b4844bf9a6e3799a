// Sums must be at least as accurate as PyTorch's cascade sum: a naive float32 running sum of
// 1e7 values is off by ~9%; ours must be within a few ulps of the float64 value.
import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { xorshiftUniform } from "./helpers/fixtures";
import { forEachBackend } from "./helpers/run";

function ulpOfFloat32(x: number): number {
  const f = new Float32Array([Math.abs(x)]);
  const i = new Int32Array(f.buffer);
  i[0] += 1;
  return f[0] - Math.fround(Math.abs(x));
}

forEachBackend(() => {
  describe("reduction accuracy", () => {
    it("the mean of 10,000,000 float32 values is within 2 ulps of the float64 mean", () => {
      const n = 10_000_000;
      const x = xorshiftUniform(7, n, 0, 1);
      const zero = new Float32Array(n);
      let exact = 0;
      for (let i = 0; i < n; i++) exact += x[i];
      exact /= n;
      const mean = api.l1Loss(x, zero);
      expect(Math.abs(mean - exact)).toBeLessThanOrEqual(2 * ulpOfFloat32(exact));
      const sum = api.mseLoss(x, zero, { reduction: "sum" });
      let exactSq = 0;
      for (let i = 0; i < n; i++) exactSq += x[i] * x[i];
      expect(Math.abs(sum - exactSq)).toBeLessThanOrEqual(2 * ulpOfFloat32(exactSq));
    });
  });
});
