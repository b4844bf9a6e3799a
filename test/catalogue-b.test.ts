// multiMarginLoss, multiLabelMarginLoss, cosineEmbeddingLoss, tripletMarginLoss: every fixture
// case of scripts/fixtures/catalogue_b.py on both builds, the documented edge cases, and
// every bad input.
import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { fixtureSuite, forEachBackend } from "./helpers/run";

fixtureSuite("catalogue_b");

const f32 = (...v: number[]) => new Float32Array(v);
const arr = (a: ArrayLike<number>) => Array.from(a);
const near = (a: ArrayLike<number>, e: number[], tol = 1e-6) => {
  expect(a.length).toBe(e.length);
  e.forEach((v, i) =>
    expect(Math.abs(a[i] - v), `[${i}]: ${a[i]} vs ${v}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(v)),
    ),
  );
};

forEachBackend(() => {
  describe("catalogue-b: decided edge cases", () => {
    it("multiMarginLoss: the weight multiplies after the power, w[y]·z^p / C", () => {
      const x = f32(0, 0.5, 1);
      expect(api.multiMarginLoss(x, [0], { classes: 3, p: 2, weight: [2, 5, 7] })).toBeCloseTo(
        ((2.25 + 4) * 2) / 3,
        5,
      );
    });
    it("multiMarginLoss: a hinge argument of exactly 0 adds neither loss nor gradient", () => {
      const r = api.multiMarginLossWithGrad(f32(1, 0, -5), new Int32Array([0]), {
        classes: 3,
        reduction: "sum",
      });
      expect(r.loss).toBe(0);
      expect(arr(r.grad)).toEqual([0, 0, 0]);
    });
    it("multiMarginLoss: negative margins are legal", () => {
      const r = api.multiMarginLossWithGrad(f32(0, 1, 0.2), [0], {
        classes: 3,
        margin: -0.5,
        reduction: "sum",
      });
      near([r.loss], [0.5 / 3]);
      near(r.grad, [-1 / 3, 1 / 3, 0]);
    });
    it('multiMarginLoss: one row (classes = length) with "none" gives a loss of length 1', () => {
      const l = api.multiMarginLoss(f32(0.1, 0.2, 0.4, 0.8), [3], {
        classes: 4,
        reduction: "none",
      });
      expect(l).toBeInstanceOf(Float32Array);
      near(l, [0.325]);
    });
    it("multiLabelMarginLoss: entries after a row's first -1 are ignored", () => {
      const x = f32(0.1, 0.2, 0.4, 0.8, 1, -1, 0.5, 0);
      const a = api.multiLabelMarginLossWithGrad(x, new Int32Array([3, 0, -1, 1, 2, -1, 0, 0]), {
        classes: 4,
        reduction: "none",
      });
      const b = api.multiLabelMarginLossWithGrad(x, new Int32Array([3, 0, -1, -1, 2, -1, 3, -1]), {
        classes: 4,
        reduction: "none",
      });
      near(a.loss, [0.85, arr(a.loss)[1]]);
      expect(arr(a.loss)).toEqual(arr(b.loss));
      expect(arr(a.grad)).toEqual(arr(b.grad));
    });
    it("multiLabelMarginLoss: a class listed twice counts twice", () => {
      const x = f32(0.1, 0.2, 0.4, 0.8);
      const once = api.multiLabelMarginLossWithGrad(x, [3, -1, 0, 0], {
        classes: 4,
        reduction: "sum",
      });
      const twice = api.multiLabelMarginLossWithGrad(x, [3, 3, -1, 0], {
        classes: 4,
        reduction: "sum",
      });
      near([twice.loss], [2 * once.loss]);
      near(
        twice.grad,
        arr(once.grad).map((g) => 2 * g),
      );
    });
    it("multiLabelMarginLoss: a row terminated at once has loss 0 and gradient 0", () => {
      const r = api.multiLabelMarginLossWithGrad(f32(5, -3, 2, 7, 1, 0), [-1, 2, 1, -1, 0, 0], {
        classes: 3,
        reduction: "none",
      });
      expect(arr(r.loss)).toEqual([0, 0]);
      expect(arr(r.grad)).toEqual([0, 0, 0, 0, 0, 0]);
    });
    it("cosineEmbeddingLoss: a zero row has cos 0 (1e-12 is added to each squared norm)", () => {
      const l = api.cosineEmbeddingLoss(f32(0, 0, 0, 0), f32(1, 2, 0, 0), [1, 1], {
        dim: 2,
        reduction: "none",
      });
      expect(arr(l)).toEqual([1, 1]);
      const r = api.cosineEmbeddingLossWithGrad(f32(0, 0), f32(3, 4), [1], { dim: 2 });
      expect(r.grads.every((g) => g.every(Number.isFinite))).toBe(true);
    });
    it("cosineEmbeddingLoss: at cos - margin = 0 the loss is 0 and the gradient is the active branch's", () => {
      const r = api.cosineEmbeddingLossWithGrad(f32(1, 0), f32(0, 1), [-1], {
        dim: 2,
        reduction: "sum",
      });
      expect(r.loss).toBe(0);
      near(r.grads[0], [0, 1]);
      near(r.grads[1], [1, 0]);
    });
    it("tripletMarginLoss: at margin + d(a,p) - d(a,n) = 0 the loss is 0 and the gradient is the active branch's", () => {
      const r = api.tripletMarginLossWithGrad(f32(0, 0), f32(1, 0), f32(2, 0), {
        dim: 2,
        eps: 0,
        reduction: "sum",
      });
      expect(r.loss).toBe(0);
      near(r.grads[0], [0, 0]);
      near(r.grads[1], [1, 0]);
      near(r.grads[2], [-1, 0]);
    });
    it("tripletMarginLoss: with swap, a tie d(a,n) = d(p,n) splits the gradient half and half", () => {
      const a = f32(0, 0, 1),
        n = f32(1, 1, 1);
      const r = api.tripletMarginLossWithGrad(a, a, n, {
        dim: 3,
        eps: 0,
        swap: true,
        margin: 5,
        reduction: "sum",
      });
      const u = Math.SQRT1_2; // (a - n) / |a - n| on the first two coordinates
      near(r.grads[0], [u / 2, u / 2, 0]); // d(a,p) = 0 adds nothing; half of -d d(a,n)/da
      near(r.grads[1], [u / 2, u / 2, 0]); // the other half, through d(p,n)
      near(r.grads[2], [-u, -u, 0]);
    });
    it("tripletMarginLoss: p is any finite p > 0 (pairwise_distance ||a - b + eps||_p)", () => {
      const l = api.tripletMarginLoss(f32(0, 0), f32(3, 4), f32(0, 1), {
        dim: 2,
        eps: 0,
        p: 3,
        margin: 0,
      });
      expect(l).toBeCloseTo(Math.cbrt(27 + 64) - 1, 5);
      expect(
        api.tripletMarginLoss(f32(0, 0), f32(3, 4), f32(0, 1), { dim: 2, eps: 0 }),
      ).toBeCloseTo(5, 5);
    });
    it("tripletMarginLoss: general p is scaled by the row's largest difference (no float32 overflow of |u|^p)", () => {
      const l = api.tripletMarginLoss(f32(0, 0), f32(3e15, 4e15), f32(0, 0), {
        dim: 2,
        eps: 0,
        p: 3,
        margin: 0,
      });
      expect(l / 1e15).toBeCloseTo(Math.cbrt(27 + 64), 4);
    });
    it('empty input: "mean" is NaN, "sum" is 0, gradients empty', () => {
      const e = new Float32Array(0);
      expect(api.multiMarginLoss(e, [], { classes: 3 })).toBeNaN();
      expect(api.multiMarginLoss(e, [], { classes: 3, reduction: "sum" })).toBe(0);
      expect(api.multiLabelMarginLoss(e, [], { classes: 2 })).toBeNaN();
      expect(
        api.multiLabelMarginLossWithGrad(e, new Int32Array(0), { classes: 2, reduction: "sum" }),
      ).toEqual({ loss: 0, grad: e });
      expect(api.cosineEmbeddingLoss(e, e, e, { dim: 4 })).toBeNaN();
      expect(api.cosineEmbeddingLoss(e, e, e, { dim: 4, reduction: "sum" })).toBe(0);
      const t = api.tripletMarginLossWithGrad(e, e, e, { dim: 5 });
      expect(t.loss).toBeNaN();
      expect(t.grads.map((g) => g.length)).toEqual([0, 0, 0]);
      expect(api.tripletMarginLoss(e, e, e, { dim: 5, reduction: "none" }).length).toBe(0);
    });
    it("lossInto, gradInto and gradsInto are filled and returned", () => {
      const lossInto = new Float32Array(2),
        gradInto = new Float32Array(4);
      const r = api.multiMarginLossWithGrad(f32(0, 1, 1, 0), [0, 0], {
        classes: 2,
        reduction: "none",
        lossInto,
        gradInto,
      });
      expect(r.loss).toBe(lossInto);
      expect(r.grad).toBe(gradInto);
      expect(arr(lossInto)).toEqual([1, 0]);
      const g = [new Float32Array(2), new Float32Array(2)];
      const c = api.cosineEmbeddingLossWithGrad(f32(1, 0), f32(0, 1), [1], {
        dim: 2,
        gradsInto: g,
      });
      expect(c.grads[0]).toBe(g[0]);
      expect(c.grads[1]).toBe(g[1]);
      const l = new Float32Array(1);
      expect(
        api.tripletMarginLoss(f32(1), f32(1), f32(2), { dim: 1, reduction: "none", lossInto: l }),
      ).toBe(l);
    });
    it("gradOutput has one value per row and scales that row's gradient", () => {
      const a = f32(1, 2, 3, 4, 0.5, -1),
        p = f32(0, 2, 1, 4, 0, 0),
        n = f32(1, 1, 3, 3, 0, -1);
      const base = api.tripletMarginLossWithGrad(a, p, n, { dim: 2, reduction: "none" });
      const scaled = api.tripletMarginLossWithGrad(a, p, n, {
        dim: 2,
        reduction: "none",
        gradOutput: [2, 0, -3],
      });
      const k = [2, 2, 0, 0, -3, -3];
      for (let i = 0; i < 3; i++)
        near(
          scaled.grads[i],
          arr(base.grads[i]).map((v, j) => v * k[j]),
        );
    });
    it("every integer index type gives the same result", () => {
      const x = f32(0.1, 0.9, 0.3, 0.7, 0.2, 0.5);
      const want = api.multiMarginLoss(x, new Int32Array([1, 2]), { classes: 3 });
      for (const y of [
        new Uint8Array([1, 2]),
        new Uint16Array([1, 2]),
        new Uint32Array([1, 2]),
        new Int8Array([1, 2]),
        new Int16Array([1, 2]),
        new BigInt64Array([1n, 2n]),
        [1, 2],
      ]) {
        expect(api.multiMarginLoss(x, y, { classes: 3 })).toBe(want);
      }
    });
    it("alloc() views work in place as inputs, lossInto and gradsInto", () => {
      const a = [0.5, -1, 2, 0.25, 1, 1],
        p = [0, 2, 1, 4, 0, 0],
        n = [1, 1, 3, 3, 0, -1];
      const want = api.tripletMarginLossWithGrad(a, p, n, {
        dim: 3,
        reduction: "none",
        swap: true,
      });
      const views = [a, p, n].map((v) => {
        const x = api.alloc(6);
        x.set(v);
        return x;
      });
      const g = [api.alloc(6), api.alloc(6), api.alloc(6)],
        l = api.alloc(2);
      const got = api.tripletMarginLossWithGrad(views[0], views[1], views[2], {
        dim: 3,
        reduction: "none",
        swap: true,
        lossInto: l,
        gradsInto: g,
      });
      expect(arr(got.loss)).toEqual(arr(want.loss));
      got.grads.forEach((x, i) => expect(arr(x)).toEqual(arr(want.grads[i])));
      for (const v of [...views, ...g, l]) api.free(v);
    });
    it("Float64Array and number[] inputs are accepted (converted)", () => {
      expect(
        api.cosineEmbeddingLoss(new Float64Array([1, 0]), [1, 0], new Float64Array([1]), {
          dim: 2,
        }),
      ).toBe(0);
    });
  });

  describe("catalogue-b: bad inputs throw before any work, naming function, argument and value", () => {
    type Bad = [
      label: string,
      call: (into: { loss: Float32Array; grad: Float32Array; grads: Float32Array[] }) => unknown,
      err: typeof TypeError | typeof RangeError,
      fn: string,
      arg: string,
      received: string,
    ];
    const x6 = () => f32(0.1, 0.9, 0.3, 0.7, 0.2, 0.5);
    const bad: Bad[] = [
      [
        "classes missing",
        () => api.multiMarginLoss(x6(), [0, 1], {} as never),
        RangeError,
        "multiMarginLoss",
        "classes",
        "undefined",
      ],
      [
        "options missing",
        () => (api.multiMarginLoss as (...a: unknown[]) => unknown)(x6(), [0, 1]),
        RangeError,
        "multiMarginLoss",
        "classes",
        "undefined",
      ],
      [
        "classes not an integer",
        () => api.multiMarginLoss(x6(), [0, 1], { classes: 2.5 }),
        RangeError,
        "multiMarginLoss",
        "classes",
        "2.5",
      ],
      [
        "classes zero",
        () => api.multiLabelMarginLoss(x6(), [0, 1], { classes: 0 }),
        RangeError,
        "multiLabelMarginLoss",
        "classes",
        "0",
      ],
      [
        "classes not dividing",
        () => api.multiMarginLoss(x6(), [0, 1], { classes: 4 }),
        RangeError,
        "multiMarginLoss",
        "classes",
        "4",
      ],
      [
        "classes a string",
        () => api.multiMarginLoss(x6(), [0, 1], { classes: "3" as never }),
        TypeError,
        "multiMarginLoss",
        "classes",
        "string",
      ],
      [
        "options not an object",
        () => api.multiMarginLoss(x6(), [0, 1], 3 as never),
        TypeError,
        "multiMarginLoss",
        "options",
        "the number 3",
      ],
      [
        "input not an array",
        () => api.multiMarginLossWithGrad("x" as never, [0], { classes: 1 }),
        TypeError,
        "multiMarginLossWithGrad",
        "input",
        "string",
      ],
      [
        "input Int32Array",
        () => api.multiMarginLoss(new Int32Array(6) as never, [0, 1], { classes: 3 }),
        TypeError,
        "multiMarginLoss",
        "input",
        "Int32Array",
      ],
      [
        "target float",
        () => api.multiMarginLoss(x6(), f32(0, 1) as never, { classes: 3 }),
        TypeError,
        "multiMarginLoss",
        "target",
        "Float32Array",
      ],
      [
        "target wrong length",
        () => api.multiMarginLoss(x6(), [0, 1, 2], { classes: 3 }),
        RangeError,
        "multiMarginLoss",
        "target",
        "length 3",
      ],
      [
        "target index = C",
        () => api.multiMarginLoss(x6(), [0, 3], { classes: 3 }),
        RangeError,
        "multiMarginLoss",
        "target",
        "element 1 is 3",
      ],
      [
        "target index negative",
        () => api.multiMarginLossWithGrad(x6(), new Int8Array([-1, 0]), { classes: 3 }),
        RangeError,
        "multiMarginLossWithGrad",
        "target",
        "element 0 is -1",
      ],
      [
        "target index not an integer",
        () => api.multiMarginLoss(x6(), [0, 1.5], { classes: 3 }),
        RangeError,
        "multiMarginLoss",
        "target",
        "element 1 is 1.5",
      ],
      [
        "target index huge bigint",
        () => api.multiMarginLoss(x6(), new BigInt64Array([0n, 2n ** 40n]), { classes: 3 }),
        RangeError,
        "multiMarginLoss",
        "target",
        "element 1 is 1099511627776n",
      ],
      [
        "target element not a number",
        () => api.multiMarginLoss(x6(), [0, "1"] as never, { classes: 3 }),
        TypeError,
        "multiMarginLoss",
        "target",
        "element 1",
      ],
      [
        "p = 3",
        () => api.multiMarginLoss(x6(), [0, 1], { classes: 3, p: 3 as never }),
        RangeError,
        "multiMarginLoss",
        "p",
        "3",
      ],
      [
        "p a string",
        () => api.multiMarginLoss(x6(), [0, 1], { classes: 3, p: "2" as never }),
        TypeError,
        "multiMarginLoss",
        "p",
        "string",
      ],
      [
        "margin NaN",
        () => api.multiMarginLoss(x6(), [0, 1], { classes: 3, margin: NaN }),
        RangeError,
        "multiMarginLoss",
        "margin",
        "NaN",
      ],
      [
        "weight wrong length",
        () => api.multiMarginLoss(x6(), [0, 1], { classes: 3, weight: [1, 2] }),
        RangeError,
        "multiMarginLoss",
        "weight",
        "length 2",
      ],
      [
        "weight not an array",
        () => api.multiMarginLoss(x6(), [0, 1], { classes: 3, weight: 2 as never }),
        TypeError,
        "multiMarginLoss",
        "weight",
        "the number 2",
      ],
      [
        "reduction batchmean",
        () => api.multiMarginLoss(x6(), [0, 1], { classes: 3, reduction: "batchmean" as never }),
        RangeError,
        "multiMarginLoss",
        "reduction",
        "batchmean",
      ],
      [
        "lossInto with mean",
        (o) => api.multiMarginLoss(x6(), [0, 1], { classes: 3, lossInto: o.loss }),
        RangeError,
        "multiMarginLoss",
        "lossInto",
        "mean",
      ],
      [
        "lossInto wrong length",
        () =>
          api.multiMarginLoss(x6(), [0, 1], {
            classes: 3,
            reduction: "none",
            lossInto: new Float32Array(6),
          }),
        RangeError,
        "multiMarginLoss",
        "lossInto",
        "length 6",
      ],
      [
        "gradOutput with mean",
        () => api.multiMarginLossWithGrad(x6(), [0, 1], { classes: 3, gradOutput: [1, 1] }),
        RangeError,
        "multiMarginLossWithGrad",
        "gradOutput",
        "mean",
      ],
      [
        "gradOutput per element, not per row",
        (o) =>
          api.multiMarginLossWithGrad(x6(), [0, 1], {
            classes: 3,
            reduction: "none",
            gradOutput: new Float32Array(6),
            lossInto: o.loss.subarray(0, 2),
            gradInto: o.grad,
          }),
        RangeError,
        "multiMarginLossWithGrad",
        "gradOutput",
        "length 6",
      ],
      [
        "gradInto wrong length",
        () =>
          api.multiMarginLossWithGrad(x6(), [0, 1], { classes: 3, gradInto: new Float32Array(2) }),
        RangeError,
        "multiMarginLossWithGrad",
        "gradInto",
        "length 2",
      ],
      [
        "gradsInto on a one-gradient loss",
        () => api.multiMarginLossWithGrad(x6(), [0, 1], { classes: 3, gradsInto: [] } as never),
        TypeError,
        "multiMarginLossWithGrad",
        "gradsInto",
        "use 'gradInto'",
      ],
      [
        "multi-label index -2",
        () => api.multiLabelMarginLoss(x6(), [0, -2, -1, 0, -1, 0], { classes: 3 }),
        RangeError,
        "multiLabelMarginLoss",
        "target",
        "element 1 is -2",
      ],
      [
        "multi-label index C",
        (o) =>
          api.multiLabelMarginLossWithGrad(x6(), [0, -1, -1, 3, -1, 0], {
            classes: 3,
            gradInto: o.grad,
          }),
        RangeError,
        "multiLabelMarginLossWithGrad",
        "target",
        "element 3 is 3",
      ],
      [
        "multi-label ignored entry out of range",
        () => api.multiLabelMarginLoss(x6(), [0, -1, 5, 0, -1, 0], { classes: 3 }),
        RangeError,
        "multiLabelMarginLoss",
        "target",
        "element 2 is 5",
      ],
      [
        "multi-label one target per row",
        () => api.multiLabelMarginLoss(x6(), new Int32Array([0, 1]), { classes: 3 }),
        RangeError,
        "multiLabelMarginLoss",
        "target",
        "length 2",
      ],
      [
        "multi-label target float",
        () => api.multiLabelMarginLoss(x6(), x6() as never, { classes: 3 }),
        TypeError,
        "multiLabelMarginLoss",
        "target",
        "Float32Array",
      ],
      [
        "dim missing",
        () => api.cosineEmbeddingLoss(x6(), x6(), [1], {} as never),
        RangeError,
        "cosineEmbeddingLoss",
        "dim",
        "undefined",
      ],
      [
        "input lengths differ",
        () => api.cosineEmbeddingLoss(x6(), f32(1, 2, 3), [1, 1], { dim: 3 }),
        RangeError,
        "cosineEmbeddingLoss",
        "input2",
        "input2.length = 3",
      ],
      [
        "input2 not an array",
        () => api.cosineEmbeddingLoss(x6(), null as never, [1, 1], { dim: 3 }),
        TypeError,
        "cosineEmbeddingLoss",
        "input2",
        "null",
      ],
      [
        "target wrong length",
        () => api.cosineEmbeddingLoss(x6(), x6(), [1, 1, 1], { dim: 3 }),
        RangeError,
        "cosineEmbeddingLoss",
        "target",
        "length 3",
      ],
      [
        "target 0",
        () => api.cosineEmbeddingLoss(x6(), x6(), [1, 0], { dim: 3 }),
        RangeError,
        "cosineEmbeddingLoss",
        "target",
        "element 1 is 0",
      ],
      [
        "target not an array",
        () => api.cosineEmbeddingLoss(x6(), x6(), 1 as never, { dim: 3 }),
        TypeError,
        "cosineEmbeddingLoss",
        "target",
        "the number 1",
      ],
      [
        "margin Infinity",
        () => api.cosineEmbeddingLoss(x6(), x6(), [1, -1], { dim: 3, margin: Infinity }),
        RangeError,
        "cosineEmbeddingLoss",
        "margin",
        "Infinity",
      ],
      [
        "gradsInto not an array",
        () =>
          api.cosineEmbeddingLossWithGrad(x6(), x6(), [1, -1], {
            dim: 3,
            gradsInto: new Float32Array(6) as never,
          }),
        TypeError,
        "cosineEmbeddingLossWithGrad",
        "gradsInto",
        "Float32Array",
      ],
      [
        "gradsInto one array short",
        (o) =>
          api.cosineEmbeddingLossWithGrad(x6(), x6(), [1, -1], { dim: 3, gradsInto: [o.grads[0]] }),
        RangeError,
        "cosineEmbeddingLossWithGrad",
        "gradsInto",
        "received an Array of length 1",
      ],
      [
        "gradsInto element wrong length",
        (o) =>
          api.cosineEmbeddingLossWithGrad(x6(), x6(), [1, -1], {
            dim: 3,
            gradsInto: [o.grads[0], new Float32Array(5)],
          }),
        RangeError,
        "cosineEmbeddingLossWithGrad",
        "gradsInto[1]",
        "length 5",
      ],
      [
        "gradsInto the same array twice",
        (o) =>
          api.cosineEmbeddingLossWithGrad(x6(), x6(), [1, -1], {
            dim: 3,
            gradsInto: [o.grads[0], o.grads[0]],
          }),
        RangeError,
        "cosineEmbeddingLossWithGrad",
        "gradsInto[1]",
        "same array",
      ],
      [
        "gradInto on a two-gradient loss",
        (o) =>
          api.cosineEmbeddingLossWithGrad(x6(), x6(), [1, -1], {
            dim: 3,
            gradInto: o.grads[0],
          } as never),
        TypeError,
        "cosineEmbeddingLossWithGrad",
        "gradInto",
        "use 'gradsInto'",
      ],
      [
        "triplet p = 0",
        () => api.tripletMarginLoss(x6(), x6(), x6(), { dim: 2, p: 0 }),
        RangeError,
        "tripletMarginLoss",
        "p",
        "0",
      ],
      [
        "triplet p negative",
        () => api.tripletMarginLoss(x6(), x6(), x6(), { dim: 2, p: -1 }),
        RangeError,
        "tripletMarginLoss",
        "p",
        "-1",
      ],
      [
        "triplet p Infinity",
        () => api.tripletMarginLoss(x6(), x6(), x6(), { dim: 2, p: Infinity }),
        RangeError,
        "tripletMarginLoss",
        "p",
        "Infinity",
      ],
      [
        "triplet eps NaN",
        () => api.tripletMarginLoss(x6(), x6(), x6(), { dim: 2, eps: NaN }),
        RangeError,
        "tripletMarginLoss",
        "eps",
        "NaN",
      ],
      [
        "triplet swap not boolean",
        () => api.tripletMarginLoss(x6(), x6(), x6(), { dim: 2, swap: 1 as never }),
        TypeError,
        "tripletMarginLoss",
        "swap",
        "the number 1",
      ],
      [
        "triplet negative wrong length",
        () => api.tripletMarginLossWithGrad(x6(), x6(), f32(1, 2), { dim: 2 }),
        RangeError,
        "tripletMarginLossWithGrad",
        "negative",
        "negative.length = 2",
      ],
      [
        "triplet dim not dividing",
        () => api.tripletMarginLoss(x6(), x6(), x6(), { dim: 4 }),
        RangeError,
        "tripletMarginLoss",
        "dim",
        "4",
      ],
      [
        "triplet gradOutput wrong length",
        (o) =>
          api.tripletMarginLossWithGrad(x6(), x6(), x6(), {
            dim: 2,
            reduction: "none",
            gradOutput: [1, 1],
            lossInto: o.loss.subarray(0, 3),
            gradsInto: o.grads,
          }),
        RangeError,
        "tripletMarginLossWithGrad",
        "gradOutput",
        "length 2",
      ],
    ];
    for (const [label, call, err, fn, arg, received] of bad) {
      it(`${fn}: ${label} -> ${err.name}`, () => {
        const into = {
          loss: new Float32Array(3).fill(7),
          grad: new Float32Array(6).fill(7),
          grads: [0, 1, 2].map(() => new Float32Array(6).fill(7)),
        };
        let thrown: unknown;
        try {
          call(into);
        } catch (e) {
          thrown = e;
        }
        expect(thrown, "throws").toBeInstanceOf(err);
        const msg = (thrown as Error).message;
        expect(msg.startsWith(`${fn}: `), msg).toBe(true);
        expect(msg, msg).toContain(`'${arg}'`);
        expect(msg, msg).toContain(received);
        for (const a of [into.loss, into.grad, ...into.grads])
          expect(
            a.every((v) => v === 7),
            "no output written",
          ).toBe(true);
        // The module keeps working.
        expect(api.multiMarginLoss(f32(0.1, 0.2, 0.4, 0.8), [3], { classes: 4 })).toBeCloseTo(
          0.325,
          6,
        );
      });
    }
    it("an output may be one of the caller's ordinary input arrays (each is copied in before it is overwritten)", () => {
      const a = f32(1, 2, 3, 4),
        p = f32(0, 1, 3, 2),
        n = f32(5, 5, 0, 0);
      const expected = api.tripletMarginLossWithGrad(a.slice(), p.slice(), n.slice(), { dim: 2 });
      const r = api.tripletMarginLossWithGrad(a, p, n, { dim: 2, gradsInto: [n, a, p] });
      expect(r.loss).toBe(expected.loss);
      expect([arr(n), arr(a), arr(p)]).toEqual(expected.grads.map(arr));
      const x = x6();
      const m = api.multiMarginLossWithGrad(x.slice(), [0, 1], { classes: 3 });
      expect(arr(api.multiMarginLossWithGrad(x, [0, 1], { classes: 3, gradInto: x }).grad)).toEqual(
        arr(m.grad),
      );
    });
    it("an output may not overlap an input in module memory (alloc() views), and nothing is written", () => {
      const x = api.alloc(6);
      x.set(x6());
      expect(() => api.multiMarginLossWithGrad(x, [0, 1], { classes: 3, gradInto: x })).toThrow(
        /^multiMarginLossWithGrad: 'gradInto' must not share memory with 'input'/,
      );
      const g = api.alloc(12);
      expect(() =>
        api.cosineEmbeddingLossWithGrad(x, x6(), [1, -1], {
          dim: 3,
          gradsInto: [g.subarray(0, 6), g.subarray(3, 9)],
        }),
      ).toThrow(/'gradsInto\[0\]' must not share memory with 'gradsInto\[1\]'/);
      expect(arr(x)).toEqual(arr(x6()));
      api.free(x);
      api.free(g);
    });
    it("inputs are never modified, also by a failing call", () => {
      const x = x6(),
        t = new Int32Array([0, 1]);
      expect(() => api.multiMarginLossWithGrad(x, t, { classes: 3, p: 5 as never })).toThrow(
        RangeError,
      );
      api.multiMarginLossWithGrad(x, t, { classes: 3 });
      expect(arr(x)).toEqual(arr(x6()));
      expect(arr(t)).toEqual([0, 1]);
    });
  });
});
