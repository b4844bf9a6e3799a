import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { expectRejected as rejected } from "./helpers/reject";
import { fixtureSuite, forEachBackend } from "./helpers/run";

fixtureSuite("binary");

const f32 = (a: number[]) => new Float32Array(a);

/** The call throws `cls` with a message matching every pattern, changes none of `arrays`, and
 *  the module computes correctly afterwards. */
function expectRejected(
  call: () => unknown,
  cls: typeof TypeError | typeof RangeError,
  patterns: RegExp[],
  arrays: ArrayLike<number>[] = [],
): void {
  rejected(call, cls, patterns, arrays, () => {
    expect(api.bceWithLogitsLoss(f32([0, 0]), f32([1, 0]))).toBeCloseTo(Math.LN2, 6);
    expect(api.bceLoss(f32([0.5]), f32([1]))).toBeCloseTo(Math.LN2, 6);
  });
}

/** Equal within float32 rounding (relative 1e-6), and finite. */
function expectRelative(actual: Float32Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(Number.isFinite(a), `element ${i} finite`).toBe(true);
    expect(Math.abs(a - expected[i]), `element ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(
      1e-6 * Math.abs(expected[i]),
    );
  });
}

forEachBackend(() => {
  describe("binary classification: decided edge cases", () => {
    it("bceLoss: the gradient is not zeroed under the log clamp (-1e12 at x = 0, y = 1)", () => {
      const { loss, grad } = api.bceLossWithGrad(f32([0, 1, 0, 1]), f32([1, 0, 0, 1]), {
        reduction: "none",
      });
      expect(Array.from(loss, (v) => v + 0)).toEqual([100, 100, 0, 0]);
      expect(grad[0]).toBeCloseTo(-1e12, -6);
      expect(grad[1]).toBeCloseTo(1e12, -6);
      expect(grad[2]).toBe(0);
      expect(grad[3]).toBe(0);
    });
    it("bceLoss: each log is clamped at -100 (1e-45 costs 100, not 103.3)", () => {
      expect(api.bceLoss(f32([1e-45, 1 - 1e-8]), f32([1, 0]), { reduction: "none" })).toEqual(
        f32([100, 100]),
      );
      expect(api.bceLoss(f32([0, 1]), f32([0.25, 0.5]), { reduction: "sum" })).toBe(
        100 * 0.25 + 100 * 0.5,
      );
    });
    it("bceLoss: log(1 - x) is taken as log1p(-x) (PyTorch 2.x), exact for small x", () => {
      expect(api.bceLoss(f32([1e-6]), f32([0]))).toBeCloseTo(1.0000005e-6, 12);
    });
    it("bceWithLogitsLoss: finite and exact at logits of +-1e30 and +-1e4, with and without posWeight", () => {
      const x = f32([1e30, -1e30, 1e4, -1e4, 1e30, -1e30]);
      const y = f32([1, 1, 0, 0, 0.25, 0.25]);
      for (const posWeight of [undefined, 3]) {
        const pw = posWeight ?? 1;
        const { loss, grad } = api.bceWithLogitsLossWithGrad(x, y, {
          reduction: "none",
          posWeight,
        });
        expectRelative(loss, [0, pw * 1e30, 1e4, 0, 0.75 * 1e30, pw * 0.25 * 1e30]);
        expectRelative(grad, [0, -pw, 1, 0, 0.75, -pw * 0.25]);
      }
    });
    it("bceWithLogitsLoss: exact where float32 1 - sigmoid(x) cancels (x = 20, y = 1 costs 2.06e-9, not 0)", () => {
      const { loss, grad } = api.bceWithLogitsLossWithGrad(f32([20, -20]), f32([1, 0]), {
        reduction: "none",
      });
      expect(loss[0] / 2.0611536e-9).toBeCloseTo(1, 5);
      expect(loss[1] / 2.0611536e-9).toBeCloseTo(1, 5);
      expect(grad[0] / -2.0611536e-9).toBeCloseTo(1, 5);
      expect(grad[1] / 2.0611536e-9).toBeCloseTo(1, 5);
    });
    it("bceWithLogitsLoss: soft targets outside [0, 1] are accepted, as in PyTorch", () => {
      expect(Number.isFinite(api.bceWithLogitsLoss(f32([1, -1]), f32([1.5, -0.5])))).toBe(true);
    });
    it("weight and posWeight of length K broadcast over the rows of [length / K, K] given by classes: K", () => {
      const x = f32([0.5, -1, 2, 3, -0.25, 1]),
        y = f32([1, 0, 0.5, 0, 1, 1]);
      const tiled = api.bceWithLogitsLossWithGrad(x, y, {
        reduction: "none",
        weight: f32([1, 2, 3, 1, 2, 3]),
        posWeight: f32([4, 5, 6, 4, 5, 6]),
      });
      const rows = api.bceWithLogitsLossWithGrad(x, y, {
        reduction: "none",
        classes: 3,
        weight: [1, 2, 3],
        posWeight: new Float64Array([4, 5, 6]),
      });
      expect(Array.from(rows.loss)).toEqual(Array.from(tiled.loss));
      expect(Array.from(rows.grad)).toEqual(Array.from(tiled.grad));
      const probs = f32([0.5, 0.1, 0.9, 0.3]);
      expect(api.bceLoss(probs, y.subarray(0, 4), { weight: [2, 3], classes: 2 })).toBe(
        api.bceLoss(probs, y.subarray(0, 4), { weight: [2, 3, 2, 3] }),
      );
    });
    it("a weight whose length only divides the input's is refused without classes, as PyTorch refuses the shapes", () => {
      const x = f32([0.5, -1, 2, 3, -0.25, 1]),
        y = f32([1, 0, 0.5, 0, 1, 1]);
      expectRejected(
        () => api.bceWithLogitsLoss(x, y, { weight: [1, 0] }),
        RangeError,
        [
          /'weight' must have the input's length 6 or 1 \(for one value per class of an input \[N, K\], give 'classes: K'\)/,
          /weight.length = 2$/,
        ],
        [x, y],
      );
      expectRejected(
        () => api.bceWithLogitsLoss(x, y, { weight: [1, 0], classes: 3 }),
        RangeError,
        [
          /'weight' must have the input's length 6, the trailing dimension classes = 3, or 1; received weight.length = 2$/,
        ],
        [x, y],
      );
      expectRejected(
        () => api.bceWithLogitsLoss(x, y, { weight: 2, classes: 4 }),
        RangeError,
        [/'classes' must be a divisor of the input length 6/],
        [x, y],
      );
      expect(api.bceWithLogitsLoss(x, y, { weight: [1, 0], classes: 2 })).toBe(
        api.bceWithLogitsLoss(x, y, { weight: [1, 0, 1, 0, 1, 0] }),
      );
    });
    it("a weight of length 1 is the same as that number", () => {
      const x = f32([0.5, -1, 2]),
        y = f32([1, 0, 1]);
      expect(api.bceWithLogitsLoss(x, y, { weight: [2.5], posWeight: [3] })).toBe(
        api.bceWithLogitsLoss(x, y, { weight: 2.5, posWeight: 3 }),
      );
    });
    it("sigmoid and logSigmoid: stable for any input (logSigmoid(-1e4) = -1e4 exactly, sigmoid never NaN)", () => {
      const x = f32([-1e4, 1e4, -1e30, 1e30, -3e38, 3e38, -Infinity, Infinity, 0, 20]);
      expect(Array.from(api.sigmoid(x))).toEqual(Array.from(f32([0, 1, 0, 1, 0, 1, 0, 1, 0.5, 1])));
      const ls = api.logSigmoid(x);
      expect(Array.from(ls.subarray(0, 9))).toEqual(
        Array.from(f32([-1e4, 0, -1e30, 0, -3e38, 0, -Infinity, 0, -Math.LN2])),
      );
      expect(ls[9] / -2.0611536e-9).toBeCloseTo(1, 5);
    });
    it("sigmoid: `out` receives the result and is returned; it may be the input itself", () => {
      const x = f32([0, 2, -2]);
      const out = new Float32Array(3);
      expect(api.sigmoid(x, { out })).toBe(out);
      expect(out[0]).toBe(0.5);
      expect(api.logSigmoid(x, { out: x })).toBe(x);
      expect(x[0]).toBeCloseTo(-Math.LN2, 6);
    });
    it("empty input: mean is NaN and sum is 0", () => {
      const e = new Float32Array(0);
      expect(api.bceWithLogitsLoss(e, e)).toBeNaN();
      expect(api.bceLoss(e, e, { reduction: "sum" })).toBe(0);
      expect(api.bceWithLogitsLossWithGrad(e, e, { weight: [1, 2], classes: 2 }).grad.length).toBe(
        0,
      );
      expect(api.sigmoid(e).length).toBe(0);
    });
    it("lossInto with reduction none is returned itself; gradInto receives the gradient", () => {
      const lossInto = new Float32Array(2),
        gradInto = new Float32Array(2);
      const r = api.bceWithLogitsLossWithGrad(f32([0, 0]), f32([1, 0]), {
        reduction: "none",
        lossInto,
        gradInto,
      });
      expect(r.loss).toBe(lossInto);
      expect(r.grad).toBe(gradInto);
      expect(Array.from(gradInto)).toEqual([-0.5, 0.5]);
      expect(
        api.bceLoss(f32([0.5]), f32([1]), { reduction: "none", lossInto: new Float32Array(1) })[0],
      ).toBeCloseTo(Math.LN2, 6);
    });
    it("repeated calls of the same size (trailing-dimension weights included) do not grow memory", () => {
      const x = new Float32Array(3000).fill(0.5),
        y = new Float32Array(3000).fill(1),
        g = new Float32Array(3000);
      const opts = {
        weight: [1, 2, 3],
        posWeight: [2, 2, 2],
        classes: 3,
        gradInto: g,
        reduction: "none" as const,
      };
      api.bceWithLogitsLossWithGrad(x, y, opts);
      const bytes = api.memoryBytes();
      for (let i = 0; i < 200; i++) api.bceWithLogitsLossWithGrad(x, y, opts);
      expect(api.memoryBytes()).toBe(bytes);
    });
    it("zero-copy: alloc() views work as input, target and weights", () => {
      const x = api.alloc(6),
        y = api.alloc(6),
        w = api.alloc(3);
      x.set([0.5, -1, 2, 3, -0.25, 1]);
      y.set([1, 0, 0.5, 0, 1, 1]);
      w.set([1, 2, 3]);
      const viaViews = api.bceWithLogitsLoss(x, y, { weight: w, posWeight: w, classes: 3 });
      const copied = api.bceWithLogitsLoss(x.slice(), y.slice(), {
        weight: w.slice(),
        posWeight: w.slice(),
        classes: 3,
      });
      expect(viaViews).toBe(copied);
      expect(Array.from(w)).toEqual([1, 2, 3]);
      api.free(x);
      api.free(y);
      api.free(w);
    });
  });

  describe("binary classification: bad input", () => {
    const x = f32([0.5, -1, 2, 3, -0.25, 1]),
      y = f32([1, 0, 1, 0, 1, 1]);
    const p = f32([0.5, 0.1, 0.9, 0.3, 0.2, 0.7]);
    const all = [x, y, p];
    const fns = [
      ["bceWithLogitsLoss", api.bceWithLogitsLoss, x],
      ["bceWithLogitsLossWithGrad", api.bceWithLogitsLossWithGrad, x],
      ["bceLoss", api.bceLoss, p],
      ["bceLossWithGrad", api.bceLossWithGrad, p],
    ] as const;
    for (const [name, fn, input] of fns) {
      const call = fn as (a: unknown, b: unknown, o?: unknown) => unknown;
      it(`${name}: a non-array input or target is a TypeError`, () => {
        expectRejected(
          () => call("abc", y),
          TypeError,
          [new RegExp(`^${name}: 'input'`), /the string "abc"/],
          all,
        );
        expectRejected(
          () => call(input, new Int32Array(6)),
          TypeError,
          [/'target'/, /Int32Array of length 6/],
          all,
        );
        expectRejected(() => call(input, null), TypeError, [/'target'/, /received null/], all);
        expectRejected(
          () => call([0.5, "x"], [1, 0]),
          TypeError,
          [/'input' must contain only numbers; element 1/],
          all,
        );
      });
      it(`${name}: input and target of different lengths is a RangeError naming both`, () => {
        expectRejected(
          () => call(input, y.subarray(0, 5)),
          RangeError,
          [/input.length = 6 and target.length = 5/],
          all,
        );
      });
      it(`${name}: an unknown reduction or non-object options`, () => {
        expectRejected(
          () => call(input, y, { reduction: "avg" }),
          RangeError,
          [/'reduction' must be one of/, /"avg"/],
          all,
        );
        expectRejected(
          () => call(input, y, 3),
          TypeError,
          [/'options' must be an object; received the number 3/],
          all,
        );
      });
      it(`${name}: weight of the wrong type or length`, () => {
        expectRejected(
          () => call(input, y, { weight: "2" }),
          TypeError,
          [/'weight' must be a number, a Float32Array/, /the string "2"/],
          all,
        );
        expectRejected(
          () => call(input, y, { weight: new Int32Array(6) }),
          TypeError,
          [/'weight'/, /Int32Array of length 6/],
          all,
        );
        expectRejected(
          () => call(input, y, { weight: NaN }),
          RangeError,
          [/'weight' must be a finite number/, /NaN/],
          all,
        );
        for (const len of [4, 5, 7, 12, 0]) {
          const w = new Float32Array(len).fill(2);
          expectRejected(
            () => call(input, y, { weight: w }),
            RangeError,
            [
              new RegExp(`^${name}: 'weight' must have the input's length 6 or 1`),
              new RegExp(`weight.length = ${len}$`),
            ],
            [...all, w],
          );
        }
      });
      it(`${name}: lossInto, gradOutput and gradInto of the wrong kind`, () => {
        const out5 = new Float32Array(5).fill(7),
          out6 = new Float32Array(6).fill(7);
        const arrays = [...all, out5, out6];
        expectRejected(
          () => call(input, y, { reduction: "none", lossInto: out5 }),
          RangeError,
          [/'lossInto' must be a Float32Array of length 6; received length 5/],
          arrays,
        );
        expectRejected(
          () => call(input, y, { reduction: "none", lossInto: [0, 0, 0, 0, 0, 0] }),
          TypeError,
          [/'lossInto'/, /an Array of length 6/],
          arrays,
        );
        expectRejected(
          () => call(input, y, { reduction: "sum", lossInto: out6 }),
          RangeError,
          [/'lossInto' applies to reduction "none" only/],
          arrays,
        );
        if (name.endsWith("WithGrad")) {
          expectRejected(
            () => call(input, y, { gradOutput: out6 }),
            RangeError,
            [/'gradOutput' applies to reduction "none" only/, /reduction "mean"/],
            arrays,
          );
          expectRejected(
            () => call(input, y, { reduction: "none", gradOutput: out5 }),
            RangeError,
            [/'gradOutput' must be of length 6/, /length 5/],
            arrays,
          );
          expectRejected(
            () => call(input, y, { gradInto: out5 }),
            RangeError,
            [/'gradInto' must be a Float32Array of length 6; received length 5/],
            arrays,
          );
          expectRejected(
            () => call(input, y, { gradInto: new Float64Array(6) }),
            TypeError,
            [/'gradInto'/, /Float64Array/],
            arrays,
          );
        }
      });
    }
    for (const [name, fn] of [
      ["bceWithLogitsLoss", api.bceWithLogitsLoss],
      ["bceWithLogitsLossWithGrad", api.bceWithLogitsLossWithGrad],
    ] as const) {
      const call = fn as (a: unknown, b: unknown, o?: unknown) => unknown;
      it(`${name}: posWeight of the wrong type or length`, () => {
        expectRejected(
          () => call(x, y, { posWeight: {} }),
          TypeError,
          [/'posWeight' must be a number, a Float32Array/, /an object/],
          all,
        );
        expectRejected(
          () => call(x, y, { posWeight: Infinity }),
          RangeError,
          [/'posWeight' must be a finite number/, /Infinity/],
          all,
        );
        const pw = f32([1, 2, 3, 4]);
        expectRejected(
          () => call(x, y, { posWeight: pw }),
          RangeError,
          [/'posWeight' must have the input's length 6/, /posWeight.length = 4/],
          [...all, pw],
        );
      });
    }
    for (const [name, fn] of [
      ["bceLoss", api.bceLoss],
      ["bceLossWithGrad", api.bceLossWithGrad],
    ] as const) {
      const call = fn as (a: unknown, b: unknown, o?: unknown) => unknown;
      it(`${name}: a probability outside [0, 1] or NaN is a RangeError naming its position and value`, () => {
        for (const [i, v] of [
          [2, 1.5],
          [0, -0.25],
          [5, NaN],
          [3, Infinity],
        ] as const) {
          const bad = p.slice();
          bad[i] = v;
          expectRejected(
            () => call(bad, y),
            RangeError,
            [
              new RegExp(
                `^${name}: 'input' must hold probabilities in \\[0, 1\\]; element ${i} is ${v}$`,
              ),
            ],
            [...all, bad],
          );
        }
      });
      it(`${name}: a target outside [0, 1] is a RangeError (PyTorch 2.x checks targets too)`, () => {
        const bad = y.slice();
        bad[4] = 2;
        expectRejected(
          () => call(p, bad),
          RangeError,
          [/'target' must hold probabilities in \[0, 1\]; element 4 is 2$/],
          [...all, bad],
        );
      });
      it(`${name}: posWeight is refused (it belongs to bceWithLogitsLoss)`, () => {
        expectRejected(
          () => call(p, y, { posWeight: 2 }),
          TypeError,
          [/option 'posWeight' does not apply to bceLoss.* \(it is an option of bceWithLogitsLoss/],
          all,
        );
      });
    }
    for (const [name, fn] of [
      ["sigmoid", api.sigmoid],
      ["logSigmoid", api.logSigmoid],
    ] as const) {
      const call = fn as (a: unknown, o?: unknown) => unknown;
      it(`${name}: a non-array x, or an out of the wrong type or length`, () => {
        const out = new Float32Array(5).fill(3);
        expectRejected(
          () => call(new Uint8Array(3)),
          TypeError,
          [new RegExp(`^${name}: 'x'`), /Uint8Array of length 3/],
          all,
        );
        expectRejected(
          () => call(x, { out }),
          RangeError,
          [/'out' must be a Float32Array of length 6; received length 5/],
          [...all, out],
        );
        expectRejected(
          () => call(x, { out: [0, 0, 0, 0, 0, 0] }),
          TypeError,
          [/'out'/, /an Array of length 6/],
          all,
        );
        expectRejected(() => call(x, "fast"), TypeError, [/'options' must be an object/], all);
      });
    }
  });
});
