// klDivLoss, poissonNllLoss, gaussianNllLoss, softMarginLoss, multiLabelSoftMarginLoss,
// hingeEmbeddingLoss, marginRankingLoss: every fixture case against PyTorch (scripts/fixtures/
// catalogue_a.py), then the documented edge cases and every bad input, on both builds.
import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { fixtureSuite, forEachBackend } from "./helpers/run";

fixtureSuite("catalogue_a");

const f32 = (...v: number[]) => new Float32Array(v);
const arr = (a: ArrayLike<number>) => Array.from(a, (v) => v + 0); // -0 reads as 0
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

forEachBackend(() => {
  describe("klDivLoss: decided edge cases", () => {
    it("klDivLoss: zero targets add nothing and get gradient 0", () => {
      const r = api.klDivLossWithGrad(f32(-1, -20, -2), f32(0, 0, 0.5), { reduction: "none" });
      expect(r.loss[0]).toBe(0);
      expect(r.loss[1]).toBe(0);
      expect(r.loss[2]).toBeCloseTo(0.5 * Math.log(0.5) + 1, 6);
      expect(arr(r.grad).map(Math.abs)).toEqual([0, 0, 0.5]);
    });
    it("klDivLoss: input −∞ with target 0 gives NaN, as in PyTorch", () => {
      const loss = api.klDivLoss(f32(-Infinity, -1), f32(0, 1), { reduction: "none" });
      expect(loss[0]).toBeNaN();
      expect(loss[1]).toBe(1);
      expect(api.klDivLoss(f32(-Infinity, -1), f32(0, 1), { reduction: "sum" })).toBeNaN();
    });
    it("klDivLoss: batchmean divides by rows (length / classes), or by the length without classes", () => {
      const x = f32(-1, -2, -3, -0.5, -0.25, -4),
        t = f32(0.2, 0.3, 0.5, 0.1, 0.6, 0.3);
      const sum = api.klDivLoss(x, t, { reduction: "sum" });
      expect(api.klDivLoss(x, t, { reduction: "batchmean", classes: 3 })).toBeCloseTo(sum / 2, 6);
      expect(api.klDivLoss(x, t, { reduction: "batchmean" })).toBeCloseTo(sum / 6, 6);
      const { grad } = api.klDivLossWithGrad(x, t, { reduction: "batchmean", classes: 3 });
      expect(grad[1]).toBeCloseTo(-0.3 / 2, 7);
    });
    it("klDivLoss: logTarget uses exp(target) · (target − input)", () => {
      const r = api.klDivLossWithGrad(f32(-1), f32(Math.log(0.25)), {
        logTarget: true,
        reduction: "sum",
      });
      expect(r.loss).toBeCloseTo(0.25 * (Math.log(0.25) + 1), 6);
      expect(r.grad[0]).toBeCloseTo(-0.25, 6);
    });
    it("batchmean exists for klDivLoss only", () => {
      expect(() => api.poissonNllLoss(f32(1), f32(1), { reduction: "batchmean" } as never)).toThrow(
        RangeError,
      );
      expect(() => api.softMarginLoss(f32(1), f32(1), { reduction: "batchmean" } as never)).toThrow(
        /'reduction' must be one of "mean", "sum", "none"/,
      );
      expect(() =>
        api.gaussianNllLoss(f32(1), f32(1), f32(1), { reduction: "batchmean" } as never),
      ).toThrow(RangeError);
    });
  });

  describe("poissonNllLoss: decided edge cases", () => {
    it("poissonNllLoss: the Stirling term applies only where target > 1", () => {
      const x = f32(0.5, 0.5, 0.5, 0.5, 0.5),
        t = f32(0, 0.5, 1, 1.5, 2);
      const plain = api.poissonNllLoss(x, t, { reduction: "none" });
      const full = api.poissonNllLoss(x, t, { reduction: "none", full: true });
      expect(arr(full).slice(0, 3)).toEqual(arr(plain).slice(0, 3));
      const st = (v: number) => v * Math.log(v) - v + 0.5 * Math.log(2 * Math.PI * v);
      expect(full[3] - plain[3]).toBeCloseTo(st(1.5), 5);
      expect(full[4] - plain[4]).toBeCloseTo(st(2), 5);
    });
    it("poissonNllLoss: eps applies only with logInput false", () => {
      const x = f32(0, 1),
        t = f32(2, 3);
      expect(api.poissonNllLoss(x, t, { eps: 0.5 })).toBe(api.poissonNllLoss(x, t));
      const lin = api.poissonNllLossWithGrad(x, t, {
        logInput: false,
        eps: 0.5,
        reduction: "none",
      });
      expect(lin.loss[0]).toBeCloseTo(-2 * Math.log(0.5), 6);
      expect(lin.grad[0]).toBeCloseTo(1 - 2 / 0.5, 6);
    });
  });

  describe("gaussianNllLoss: decided edge cases", () => {
    it("gaussianNllLoss: the eps clamp does not stop the variance gradient", () => {
      const r = api.gaussianNllLossWithGrad(f32(1, 2), f32(0, 0), f32(1e-8, 0), {
        reduction: "sum",
      });
      const v = Math.fround(1e-6);
      expect(r.grads[1][0]).toBeCloseTo(0.5 * (1 / v - 1 / (v * v)), -8);
      expect(r.grads[1][1]).toBeCloseTo(0.5 * (1 / v - 4 / (v * v)), -8);
      expect(r.grads[1][0]).toBeLessThan(-4e11);
      expect(r.grads[0][0]).toBeCloseTo(1 / v, -2);
    });
    it("gaussianNllLoss: a per-row variance gets the sum of its row's gradients", () => {
      const x = f32(1, 2, 3, -1, 0, 0.5),
        t = f32(0, 0, 1, 1, 2, -1),
        rowVar = f32(0.5, 2);
      const perRow = api.gaussianNllLossWithGrad(x, t, rowVar, { classes: 3 });
      const full = api.gaussianNllLossWithGrad(x, t, f32(0.5, 0.5, 0.5, 2, 2, 2), { classes: 3 });
      expect(perRow.loss).toBeCloseTo(full.loss, 6);
      expect(perRow.grads[1].length).toBe(2);
      expect(perRow.grads[1][0]).toBeCloseTo(
        full.grads[1][0] + full.grads[1][1] + full.grads[1][2],
        6,
      );
      expect(perRow.grads[1][1]).toBeCloseTo(
        full.grads[1][3] + full.grads[1][4] + full.grads[1][5],
        6,
      );
      expect(arr(perRow.grads[0])).toEqual(arr(full.grads[0]));
    });
    it("gaussianNllLoss: full adds ½ log 2π to each element", () => {
      const a = api.gaussianNllLoss(f32(1), f32(0), f32(1), { reduction: "sum" });
      const b = api.gaussianNllLoss(f32(1), f32(0), f32(1), { reduction: "sum", full: true });
      expect(b - a).toBeCloseTo(0.5 * Math.log(2 * Math.PI), 6);
    });
  });

  describe("margin losses: decided edge cases", () => {
    it("softMarginLoss: finite and exact where −y·x > 88.7 (PyTorch's float32 overflows)", () => {
      const r = api.softMarginLossWithGrad(f32(100, -100, 1e30, 89), f32(-1, 1, -1, -1), {
        reduction: "none",
      });
      expect(arr(r.loss)).toEqual([100, 100, Math.fround(1e30), 89]);
      expect(arr(r.grad)).toEqual([1, -1, 1, 1]);
      const small = api.softMarginLossWithGrad(f32(50), f32(1), { reduction: "sum" });
      expect(small.loss / Math.exp(-50)).toBeCloseTo(1, 5);
      expect(small.grad[0] / -sigmoid(-50)).toBeCloseTo(1, 5);
    });
    it("hingeEmbeddingLoss: at the hinge point the loss is 0 and the gradient −1 (clamp_min)", () => {
      const r = api.hingeEmbeddingLossWithGrad(f32(1, 2, 0.5, 1), f32(-1, -1, -1, 1), {
        reduction: "none",
      });
      expect(arr(r.loss)).toEqual([0, 0, 0.5, 1]);
      expect(arr(r.grad)).toEqual([-1, 0, -1, 1]);
    });
    it("hingeEmbeddingLoss: negative margins are legal", () => {
      const r = api.hingeEmbeddingLossWithGrad(f32(0, -1, -0.5), f32(-1, -1, -1), {
        margin: -0.5,
        reduction: "none",
      });
      expect(arr(r.loss)).toEqual([0, 0.5, 0]);
      expect(arr(r.grad)).toEqual([0, -1, -1]);
    });
    it("marginRankingLoss: at the hinge point the loss is 0 and the gradients are the active branch's", () => {
      const r = api.marginRankingLossWithGrad(f32(1, 2, 3), f32(1, 1, 1), f32(1, -1, 1), {
        reduction: "none",
      });
      expect(arr(r.loss)).toEqual([0, 1, 0]);
      expect(arr(r.grads[0])).toEqual([-1, 1, 0]);
      expect(arr(r.grads[1])).toEqual([1, -1, 0]);
    });
    it("marginRankingLoss: negative margins are legal", () => {
      const r = api.marginRankingLossWithGrad(f32(0, 0), f32(1, 0.25), f32(1, 1), {
        margin: -0.5,
        reduction: "none",
      });
      expect(arr(r.loss)).toEqual([0.5, 0]);
      expect(arr(r.grads[0])).toEqual([-1, 0]);
    });
    it("multiLabelSoftMarginLoss: one loss per row; an unbatched sample gives length 1", () => {
      const x = f32(1, -2, 0.5, 3, 0, -1),
        t = f32(1, 0, 1, 0, 1, 1);
      expect(api.multiLabelSoftMarginLoss(x, t, { classes: 3, reduction: "none" }).length).toBe(2);
      expect(api.multiLabelSoftMarginLoss(x, t, { classes: 6, reduction: "none" }).length).toBe(1);
      const into = new Float32Array(2);
      expect(
        api.multiLabelSoftMarginLoss(x, t, { classes: 3, reduction: "none", lossInto: into }),
      ).toBe(into);
      const go = api.multiLabelSoftMarginLossWithGrad(x, t, {
        classes: 3,
        reduction: "none",
        gradOutput: f32(0, 2),
      });
      expect(arr(go.grad.slice(0, 3))).toEqual([0, 0, 0]);
      expect(go.grad[3]).toBeCloseTo((2 * sigmoid(3)) / 3, 6);
    });
    it("multiLabelSoftMarginLoss: the weight scales each class's loss and gradient", () => {
      const x = f32(1, -2, 0.5),
        t = f32(1, 0, 0);
      const w = api.multiLabelSoftMarginLossWithGrad(x, t, {
        classes: 3,
        weight: f32(0, 1, 2),
        reduction: "sum",
      });
      const u = api.multiLabelSoftMarginLossWithGrad(x, t, { classes: 3, reduction: "none" });
      const l = (i: number) => (t[i] ? Math.log1p(Math.exp(-x[i])) : Math.log1p(Math.exp(x[i])));
      expect(w.loss).toBeCloseTo((0 * l(0) + 1 * l(1) + 2 * l(2)) / 3, 6);
      expect(w.grad[0] + 0).toBe(0);
      expect(w.grad[1]).toBeCloseTo(u.grad[1], 7);
      expect(w.grad[2]).toBeCloseTo(2 * u.grad[2], 7);
    });
  });

  describe("catalogue A: outputs and empty inputs", () => {
    it("empty input: mean is NaN and sum is 0", () => {
      const e = new Float32Array(0);
      expect(api.klDivLoss(e, e)).toBeNaN();
      expect(api.klDivLoss(e, e, { reduction: "batchmean" })).toBeNaN();
      expect(api.gaussianNllLoss(e, e, e, { reduction: "sum" })).toBe(0);
      expect(api.marginRankingLoss(e, e, e)).toBeNaN();
      expect(api.multiLabelSoftMarginLoss(e, e, { classes: 3 })).toBeNaN();
      expect(api.multiLabelSoftMarginLoss(e, e, { classes: 3, reduction: "sum" })).toBe(0);
      expect(api.marginRankingLossWithGrad(e, e, e).grads.map((g) => g.length)).toEqual([0, 0]);
    });
    it("gradsInto receives the gradients and is returned as grads", () => {
      const g1 = new Float32Array(2),
        g2 = new Float32Array(2);
      const r = api.marginRankingLossWithGrad(f32(0, 1), f32(1, 0), f32(1, 1), {
        reduction: "sum",
        gradsInto: [g1, g2],
      });
      expect(r.grads[0]).toBe(g1);
      expect(r.grads[1]).toBe(g2);
      expect(arr(g1)).toEqual([-1, 0]);
      const v1 = new Float32Array(2),
        v2 = new Float32Array(1);
      const q = api.gaussianNllLossWithGrad(f32(0, 1), f32(1, 0), f32(1), {
        classes: 2,
        gradsInto: [v1, v2],
      });
      expect(q.grads[1]).toBe(v2);
    });
    it("zero-copy views from alloc() work for three-input losses", () => {
      const a = api.alloc(5),
        b = api.alloc(5),
        y = api.alloc(5);
      a.set([1, 2, 3, 4, 5]);
      b.set([2, 2, 2, 2, 2]);
      y.fill(1);
      const r = api.marginRankingLossWithGrad(a, b, y, { reduction: "sum", margin: 0.5 });
      expect(r.loss).toBeCloseTo(1.5 + 0.5, 6);
      api.free(a);
      api.free(b);
      api.free(y);
    });
  });

  describe("catalogue A: every bad input throws a clear error and changes nothing", () => {
    const x = f32(0.5, -1, 2, 0.25, 1, -3),
      t = f32(1, -1, 1, 1, -1, 1),
      v = f32(1, 2, 0.5, 1, 1, 1);
    const gi = new Float32Array(6).fill(7),
      gi2 = new Float32Array(6).fill(7),
      li = new Float32Array(6).fill(7);
    const callerArrays = [x, t, v, gi, gi2, li];
    const before = callerArrays.map((a) => a.slice());
    type Case = [string, () => unknown, typeof TypeError | typeof RangeError, RegExp];
    const cases: Case[] = [
      [
        "klDivLoss: input not an array",
        () => api.klDivLoss("x" as never, t),
        TypeError,
        /klDivLoss: 'input' must be a Float32Array.*received the string "x"/,
      ],
      [
        "klDivLoss: lengths differ",
        () => api.klDivLoss(x, t.subarray(0, 5)),
        RangeError,
        /klDivLoss: 'input' and 'target'.*input.length = 6 and target.length = 5/,
      ],
      [
        "klDivLoss: unknown reduction",
        () => api.klDivLoss(x, t, { reduction: "avg" as never }),
        RangeError,
        /klDivLoss: 'reduction' must be one of "mean", "sum", "none", "batchmean"; received the string "avg"/,
      ],
      [
        "klDivLoss: classes not dividing",
        () => api.klDivLoss(x, t, { classes: 4, reduction: "batchmean" }),
        RangeError,
        /klDivLoss: 'classes' must be a divisor of the input length 6; received 4/,
      ],
      [
        "klDivLoss: classes 0",
        () => api.klDivLoss(x, t, { classes: 0 }),
        RangeError,
        /'classes' must be a positive integer; received 0/,
      ],
      [
        "klDivLoss: classes a string",
        () => api.klDivLoss(x, t, { classes: "3" as never }),
        TypeError,
        /'classes' must be a positive integer; received the string "3"/,
      ],
      [
        "klDivLoss: logTarget not boolean",
        () => api.klDivLoss(x, t, { logTarget: 1 as never }),
        TypeError,
        /klDivLoss: 'logTarget' must be a boolean; received the number 1/,
      ],
      [
        "klDivLossWithGrad: gradInto wrong length",
        () => api.klDivLossWithGrad(x, t, { gradInto: new Float32Array(5) }),
        RangeError,
        /klDivLossWithGrad: 'gradInto' must be a Float32Array of length 6; received length 5/,
      ],
      [
        "klDivLossWithGrad: gradOutput with mean",
        () => api.klDivLossWithGrad(x, t, { gradOutput: x, gradInto: gi }),
        RangeError,
        /'gradOutput' applies to reduction "none" only/,
      ],
      [
        "poissonNllLoss: target not an array",
        () => api.poissonNllLoss(x, { length: 6 } as never),
        TypeError,
        /poissonNllLoss: 'target' must be .*received an object/,
      ],
      [
        "poissonNllLoss: negative eps",
        () => api.poissonNllLoss(x, t, { logInput: false, eps: -1 }),
        RangeError,
        /poissonNllLoss: 'eps' must be a finite number >= 0; received -1/,
      ],
      [
        "poissonNllLoss: full not boolean",
        () => api.poissonNllLoss(x, t, { full: "yes" as never }),
        TypeError,
        /'full' must be a boolean/,
      ],
      [
        "poissonNllLoss: logInput not boolean",
        () => api.poissonNllLoss(x, t, { logInput: null as never }),
        TypeError,
        /'logInput' must be a boolean; received null/,
      ],
      [
        "poissonNllLossWithGrad: lossInto with mean",
        () => api.poissonNllLossWithGrad(x, t, { lossInto: li }),
        RangeError,
        /'lossInto' applies to reduction "none" only/,
      ],
      [
        "gaussianNllLoss: variance not an array",
        () => api.gaussianNllLoss(x, t, 1 as never),
        TypeError,
        /gaussianNllLoss: 'variance' must be .*received the number 1/,
      ],
      [
        "gaussianNllLoss: variance negative",
        () => api.gaussianNllLoss(x, t, f32(1, 1, -0.5, 1, 1, 1)),
        RangeError,
        /gaussianNllLoss: 'variance' must be non-negative everywhere; received -0.5 at index 2/,
      ],
      [
        "gaussianNllLoss: variance wrong length",
        () => api.gaussianNllLoss(x, t, f32(1, 2)),
        RangeError,
        /gaussianNllLoss: 'variance' must be of the input's length 6 .*received length 2/,
      ],
      [
        "gaussianNllLoss: per-row variance wrong length",
        () => api.gaussianNllLoss(x, t, f32(1, 2, 3), { classes: 3 }),
        RangeError,
        /one value per row \(2 rows of 3\); received length 3/,
      ],
      [
        "gaussianNllLoss: target wrong length",
        () => api.gaussianNllLoss(x, t.subarray(1), v),
        RangeError,
        /'input' and 'target' must have the same length/,
      ],
      [
        "gaussianNllLoss: eps not a number",
        () => api.gaussianNllLoss(x, t, v, { eps: "1" as never }),
        TypeError,
        /'eps' must be a finite number >= 0; received the string "1"/,
      ],
      [
        "gaussianNllLoss: eps NaN",
        () => api.gaussianNllLoss(x, t, v, { eps: NaN }),
        RangeError,
        /'eps' must be a finite number >= 0; received NaN/,
      ],
      [
        "gaussianNllLossWithGrad: gradInto instead of gradsInto",
        () => api.gaussianNllLossWithGrad(x, t, v, { gradInto: gi } as never),
        TypeError,
        /gaussianNllLossWithGrad: option 'gradInto' does not apply .*it has 2 gradients: use 'gradsInto'/,
      ],
      [
        "gaussianNllLossWithGrad: gradsInto not an array",
        () => api.gaussianNllLossWithGrad(x, t, v, { gradsInto: gi as never }),
        TypeError,
        /'gradsInto' must be an array of 2 Float32Arrays \(input: length 6, variance: length 6\); received a Float32Array/,
      ],
      [
        "gaussianNllLossWithGrad: gradsInto too short",
        () => api.gaussianNllLossWithGrad(x, t, v, { gradsInto: [gi] }),
        RangeError,
        /'gradsInto' must be an array of 2 Float32Arrays.*received an Array of length 1/,
      ],
      [
        "gaussianNllLossWithGrad: gradsInto wrong length",
        () => api.gaussianNllLossWithGrad(x, t, f32(1, 1), { classes: 3, gradsInto: [gi, gi2] }),
        RangeError,
        /'gradsInto\[1\]' must be a Float32Array of length 2; received length 6/,
      ],
      [
        "gaussianNllLossWithGrad: gradsInto the same array twice",
        () => api.gaussianNllLossWithGrad(x, t, v, { gradsInto: [gi, gi] }),
        RangeError,
        /'gradsInto' must hold distinct arrays/,
      ],
      [
        "gaussianNllLossWithGrad: gradOutput wrong length",
        () => api.gaussianNllLossWithGrad(x, t, v, { reduction: "none", gradOutput: f32(1, 2) }),
        RangeError,
        /'gradOutput' must be of length 6 .*received length 2/,
      ],
      [
        "softMarginLoss: options not an object",
        () => api.softMarginLoss(x, t, "sum" as never),
        TypeError,
        /softMarginLoss: 'options' must be an object; received the string "sum"/,
      ],
      [
        "softMarginLoss: unknown reduction",
        () => api.softMarginLoss(x, t, { reduction: "Mean" as never }),
        RangeError,
        /softMarginLoss: 'reduction' must be one of/,
      ],
      [
        "softMarginLossWithGrad: lossInto wrong length",
        () =>
          api.softMarginLossWithGrad(x, t, { reduction: "none", lossInto: new Float32Array(2) }),
        RangeError,
        /'lossInto' must be a Float32Array of length 6; received length 2/,
      ],
      [
        "softMarginLossWithGrad: gradsInto on a one-gradient loss",
        () => api.multiLabelSoftMarginLossWithGrad(x, t, { classes: 3, gradsInto: [gi] } as never),
        TypeError,
        /it has one gradient: use 'gradInto'/,
      ],
      [
        "multiLabelSoftMarginLoss: classes missing",
        () => api.multiLabelSoftMarginLoss(x, t, {} as never),
        RangeError,
        /multiLabelSoftMarginLoss: 'classes' must be a positive integer dividing the input length 6 \(it is required\); received undefined/,
      ],
      [
        "multiLabelSoftMarginLoss: no options at all",
        () => (api.multiLabelSoftMarginLoss as (a: unknown, b: unknown) => unknown)(x, t),
        RangeError,
        /'classes' must be .*required/,
      ],
      [
        "multiLabelSoftMarginLoss: classes fractional",
        () => api.multiLabelSoftMarginLoss(x, t, { classes: 1.5 }),
        RangeError,
        /'classes' must be a positive integer; received 1.5/,
      ],
      [
        "multiLabelSoftMarginLoss: classes not dividing",
        () => api.multiLabelSoftMarginLoss(x, t, { classes: 5 }),
        RangeError,
        /a divisor of the input length 6; received 5/,
      ],
      [
        "multiLabelSoftMarginLoss: weight wrong length",
        () => api.multiLabelSoftMarginLoss(x, t, { classes: 3, weight: f32(1, 2) }),
        RangeError,
        /'weight' must be of length classes = 3 .*received length 2/,
      ],
      [
        "multiLabelSoftMarginLoss: weight not an array",
        () => api.multiLabelSoftMarginLoss(x, t, { classes: 3, weight: 2 as never }),
        TypeError,
        /'weight' must be a Float32Array.*received the number 2/,
      ],
      [
        "multiLabelSoftMarginLossWithGrad: gradOutput per element instead of per row",
        () =>
          api.multiLabelSoftMarginLossWithGrad(x, t, {
            classes: 3,
            reduction: "none",
            gradOutput: x,
          }),
        RangeError,
        /'gradOutput' must be of length 2 .*received length 6/,
      ],
      [
        "multiLabelSoftMarginLoss: lossInto per element instead of per row",
        () => api.multiLabelSoftMarginLoss(x, t, { classes: 3, reduction: "none", lossInto: li }),
        RangeError,
        /'lossInto' must be a Float32Array of length 2; received length 6/,
      ],
      [
        "hingeEmbeddingLoss: margin infinite",
        () => api.hingeEmbeddingLoss(x, t, { margin: Infinity }),
        RangeError,
        /hingeEmbeddingLoss: 'margin' must be a finite number; received Infinity/,
      ],
      [
        "hingeEmbeddingLoss: margin a string",
        () => api.hingeEmbeddingLoss(x, t, { margin: "1" as never }),
        TypeError,
        /'margin' must be a finite number; received the string "1"/,
      ],
      [
        "hingeEmbeddingLoss: number[] with a non-number",
        () => api.hingeEmbeddingLoss([1, "a"] as never, [1, 1]),
        TypeError,
        /hingeEmbeddingLoss: 'input' must contain only numbers; element 1 is the string "a"/,
      ],
      [
        "marginRankingLoss: input2 not an array",
        () => api.marginRankingLoss(x, undefined as never, t),
        TypeError,
        /marginRankingLoss: 'input2' must be .*received undefined/,
      ],
      [
        "marginRankingLoss: input2 wrong length",
        () => api.marginRankingLoss(x, x.subarray(1), t),
        RangeError,
        /'input1' and 'input2' must have the same length; received input1.length = 6 and input2.length = 5/,
      ],
      [
        "marginRankingLoss: target wrong length",
        () => api.marginRankingLoss(x, x, t.subarray(2)),
        RangeError,
        /'input1' and 'target' must have the same length/,
      ],
      [
        "marginRankingLoss: margin NaN",
        () => api.marginRankingLoss(x, x, t, { margin: NaN }),
        RangeError,
        /'margin' must be a finite number; received NaN/,
      ],
      [
        "marginRankingLossWithGrad: gradsInto entry not a Float32Array",
        () =>
          api.marginRankingLossWithGrad(x, x, t, { gradsInto: [gi, [0, 0, 0, 0, 0, 0] as never] }),
        TypeError,
        /'gradsInto\[1\]' must be a Float32Array of length 6; received an Array of length 6/,
      ],
    ];
    for (const [label, call, cls, message] of cases) {
      it(`${label}: ${cls.name}`, () => {
        let err: unknown;
        try {
          call();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(cls);
        expect((err as Error).message).toMatch(message);
        callerArrays.forEach((a, i) => expect(arr(a), `caller array ${i}`).toEqual(arr(before[i])));
        expect(api.marginRankingLoss(f32(1, 2), f32(2, 2), f32(1, 1), { reduction: "sum" })).toBe(
          1,
        );
      });
    }
  });
});
