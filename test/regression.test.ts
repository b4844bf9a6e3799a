import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { fixtureSuite, forEachBackend } from "./helpers/run";

fixtureSuite("regression");

forEachBackend(() => {
  describe("regression losses: decided edge cases", () => {
    it("l1Loss: the gradient is 0 where input equals target", () => {
      const { grad } = api.l1LossWithGrad([1, 2, 3], [1, 5, 0], { reduction: "sum" });
      expect(Array.from(grad)).toEqual([0, -1, 1]);
    });
    it("smoothL1Loss: beta 0 is exactly l1Loss, gradient 0 at input == target (PyTorch >= 2.1)", () => {
      const x = new Float32Array([0.5, -2, 3, 3]),
        y = new Float32Array([0, 1, 3, -1]);
      const a = api.smoothL1LossWithGrad(x, y, { beta: 0, reduction: "none" });
      const b = api.l1LossWithGrad(x, y, { reduction: "none" });
      expect(Array.from(a.loss)).toEqual(Array.from(b.loss));
      expect(Array.from(a.grad)).toEqual([1, -1, 0, 1]);
    });
    it("empty input: mean is NaN and sum is 0", () => {
      const e = new Float32Array(0);
      expect(api.mseLoss(e, e)).toBeNaN();
      expect(api.mseLoss(e, e, { reduction: "sum" })).toBe(0);
      expect(api.l1LossWithGrad(e, e).grad.length).toBe(0);
    });
    it("lossInto with reduction none is returned itself", () => {
      const into = new Float32Array(3);
      expect(api.l1Loss([1, 2, 3], [0, 0, 0], { reduction: "none", lossInto: into })).toBe(into);
      expect(Array.from(into)).toEqual([1, 2, 3]);
    });
    it("gradInto receives the gradient and is returned as grad", () => {
      const g = new Float32Array(2);
      const r = api.mseLossWithGrad([1, 2], [0, 0], { reduction: "sum", gradInto: g });
      expect(r.grad).toBe(g);
      expect(Array.from(g)).toEqual([2, 4]);
    });
    it("Float64Array and number[] inputs are accepted (converted)", () => {
      expect(api.mseLoss(new Float64Array([1, 2]), [1, 4])).toBe(2);
    });
  });
});
