import { expectRejected as rejected } from "./helpers/reject";
import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { expectClose } from "./helpers/close";
import { fixtureSuite, forEachBackend } from "./helpers/run";

fixtureSuite("multiclass");

const f32 = (a: number[]) => new Float32Array(a);

/** Reference cross-entropy of one row in float64 (index target, no weight or smoothing). */
function ceRow(z: number[], y: number): number {
  const m = Math.max(...z);
  return m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[y];
}

type Call = () => unknown;

/** A call that must throw `cls` with a message matching `re`, change none of `arrays`, and
 *  leave the module working. */
function expectRejected(
  call: Call,
  cls: typeof TypeError | typeof RangeError,
  re: RegExp,
  arrays: ArrayLike<unknown>[] = [],
): void {
  rejected(call, cls, re, arrays, () => {
    const l = api.crossEntropyLoss(f32([2, 0, 0, 0, 3, 0]), new Int32Array([0, 1]), { classes: 3 });
    expectClose(
      l,
      Math.fround((ceRow([2, 0, 0], 0) + ceRow([0, 3, 0], 1)) / 2),
      "module after error",
    );
  });
}

forEachBackend(() => {
  describe("multi-class losses: decided edge cases", () => {
    it("crossEntropyLoss: all positions ignored gives mean NaN, sum 0 and an all-zero gradient, with or without weight and smoothing", () => {
      const x = f32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      for (const layout of [{ classes: 3 }, { shape: [2, 3, 2] }]) {
        const y = new Int32Array(4).fill(-100);
        for (const extra of [
          {},
          { weight: f32([1, 2, 3]) },
          { labelSmoothing: 0.2 },
          { weight: f32([1, 2, 3]), labelSmoothing: 0.2 },
        ]) {
          const mean = api.crossEntropyLossWithGrad(x, y, { ...layout, ...extra });
          expect(mean.loss).toBeNaN();
          expect(Array.from(mean.grad)).toEqual(new Array(12).fill(0));
          const sum = api.crossEntropyLossWithGrad(x, y, { ...layout, ...extra, reduction: "sum" });
          expect(sum.loss).toBe(0);
          expect(Array.from(sum.grad)).toEqual(new Array(12).fill(0));
          const none = api.crossEntropyLoss(x, y, { ...layout, ...extra, reduction: "none" });
          expect(Array.from(none)).toEqual([0, 0, 0, 0]);
        }
        const nll = api.nllLossWithGrad(x, y, layout);
        expect(nll.loss).toBeNaN();
        expect(Array.from(nll.grad)).toEqual(new Array(12).fill(0));
        expect(api.nllLoss(x, y, { ...layout, reduction: "sum" })).toBe(0);
      }
    });

    it("crossEntropyLoss: ignored positions add no gradient and no loss", () => {
      const x = f32([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const r = api.crossEntropyLossWithGrad(x, [0, 5, 2], {
        classes: 3,
        ignoreIndex: 5,
        reduction: "none",
        labelSmoothing: 0.3,
      });
      expect(r.loss[1]).toBe(0);
      expect(Array.from(r.grad.subarray(3, 6))).toEqual([0, 0, 0]);
      // A non-negative ignoreIndex inside [0, C) ignores that class.
      const s = api.crossEntropyLoss(x, [1, 1, 2], { classes: 3, ignoreIndex: 1 });
      expectClose(s, Math.fround(ceRow([7, 8, 9], 2)), "mean over the one position left");
    });

    it("crossEntropyLoss: unbatched shape [C] with reduction none returns a Float32Array of length 1", () => {
      const l = api.crossEntropyLoss(f32([1, 2, 3]), [2], { shape: [3], reduction: "none" });
      expect(l).toBeInstanceOf(Float32Array);
      expect(l.length).toBe(1);
      expectClose(l[0], Math.fround(ceRow([1, 2, 3], 2)), "unbatched loss");
      expect(typeof api.crossEntropyLoss(f32([1, 2, 3]), [2], { shape: [3] })).toBe("number");
    });

    it("crossEntropyLoss: finite and exact for logits of any spread (1e4 peak, all equal, ±1e30)", () => {
      const rows = [
        [1e4, 0, 0, 0, 0],
        [0, 0, 0, 0, 1e4],
        [7, 7, 7, 7, 7],
        [1e30, -1e30, 0, 1e30, -1e30],
        [-1e30, -1e30, -1e30, -1e30, -1e30],
      ];
      const y = [1, 4, 2, 0, 3];
      const expected = [1e4, 0, Math.log(5), Math.log(2), Math.log(5)];
      for (const smoothing of [0, 0.1]) {
        const r = api.crossEntropyLossWithGrad(f32(rows.flat()), y, {
          classes: 5,
          reduction: "none",
          labelSmoothing: smoothing,
        });
        for (const g of r.grad) expect(Number.isFinite(g)).toBe(true);
        for (const l of r.loss) expect(Number.isFinite(l)).toBe(true);
        if (smoothing === 0) expectClose(r.loss, f32(expected), "per-row loss");
      }
      // The same in the K-dimensional layout (lanes of one SIMD vector hold different positions).
      const k = new Float32Array(25);
      rows.forEach((row, p) => row.forEach((v, c) => (k[c * 5 + p] = v)));
      const rk = api.crossEntropyLossWithGrad(k, y, { shape: [1, 5, 5], reduction: "none" });
      expectClose(rk.loss, f32(expected), "K-dim per-position loss");
      for (const g of rk.grad) expect(Number.isFinite(g)).toBe(true);
    });

    it("crossEntropyLoss: -Infinity logits (masked classes) give a finite loss and zero gradient there", () => {
      const x = f32([0, -Infinity, 1, -Infinity, 2, -Infinity]);
      const r = api.crossEntropyLossWithGrad(x, [0], { classes: 6, reduction: "sum" });
      expectClose(r.loss, Math.fround(ceRow([0, 1, 2], 0)), "loss");
      expect(r.grad[1]).toBe(0);
      expect(r.grad[5]).toBe(0);
    });

    it("crossEntropyLoss: a -Infinity target logit gives Infinity and a NaN logit gives NaN, as PyTorch", () => {
      for (const layout of [{ classes: 4 }, { shape: [2, 4] }]) {
        const l = api.crossEntropyLoss(f32([0, -Infinity, 1, 2, 0, 1, NaN, 2]), [1, 0], {
          ...layout,
          reduction: "none",
        });
        expect(l[0]).toBe(Infinity);
        expect(l[1]).toBeNaN();
        const s = api.crossEntropyLoss(f32([0, -Infinity, 1, 2]), [0], {
          ...layout,
          shape: undefined,
          classes: 4,
          reduction: "none",
          labelSmoothing: 0.1,
        });
        expect(s[0]).toBe(Infinity);
      }
    });

    it("crossEntropyLoss: mean divides by the sum of weight[target] over non-ignored positions", () => {
      const x = f32([1, 2, 3, 3, 1, 2, 0, 0, 5]);
      const w = f32([0.5, 2, 4]);
      const o = { classes: 3, weight: w, ignoreIndex: -1 };
      const sum = api.crossEntropyLoss(x, [1, 0, -1], { ...o, reduction: "sum" });
      const mean = api.crossEntropyLoss(x, [1, 0, -1], o);
      expectClose(mean, Math.fround(sum / 2.5), "weighted mean");
    });

    it("crossEntropyLoss: probability targets average over positions, ignoring weights", () => {
      const x = f32([1, 2, 3, 3, 1, 2]);
      const p = f32([0.2, 0.3, 0.5, 1, 0, 0]);
      const w = f32([0.5, 2, 4]);
      const sum = api.crossEntropyLoss(x, p, { classes: 3, weight: w, reduction: "sum" });
      expectClose(
        api.crossEntropyLoss(x, p, { classes: 3, weight: w }),
        Math.fround(sum / 2),
        "mean = sum / rows",
      );
      // Float64Array probabilities are accepted (converted) and give the same result.
      expect(
        api.crossEntropyLoss(x, Float64Array.from(p), { classes: 3, weight: w, reduction: "sum" }),
      ).toBe(sum);
    });

    it("crossEntropyLoss: lossInto is returned itself and gradInto is returned as grad", () => {
      const into = new Float32Array(2),
        g = new Float32Array(6);
      const r = api.crossEntropyLossWithGrad(f32([1, 2, 3, 3, 2, 1]), [0, 0], {
        classes: 3,
        reduction: "none",
        lossInto: into,
        gradInto: g,
      });
      expect(r.loss).toBe(into);
      expect(r.grad).toBe(g);
      expect(
        api.crossEntropyLoss(f32([1, 2, 3, 3, 2, 1]), [0, 0], {
          classes: 3,
          reduction: "none",
          lossInto: into,
        }),
      ).toBe(into);
      expectClose(into, f32([ceRow([1, 2, 3], 0), ceRow([3, 2, 1], 0)]), "lossInto values");
    });

    it("crossEntropyLoss: a zero-copy alloc() view is accepted for logits and gradInto", () => {
      const x = api.alloc(6),
        g = api.alloc(6);
      x.set([1, 2, 3, 3, 2, 1]);
      const r = api.crossEntropyLossWithGrad(x, [2, 0], { classes: 3, gradInto: g });
      expect(r.grad).toBe(g);
      expectClose(r.loss, Math.fround((ceRow([1, 2, 3], 2) + ceRow([3, 2, 1], 0)) / 2), "loss");
      api.free(x);
      api.free(g);
    });

    it("crossEntropyLoss: gradInto may be the logits array itself (an in-place gradient)", () => {
      const x = f32([1, 2, 3, 4, 3, 2, 1, 0, 5, 5, 5, 5]);
      const expected = api.crossEntropyLossWithGrad(x, [3, 0, 1], {
        classes: 4,
        labelSmoothing: 0.1,
      }).grad;
      const r = api.crossEntropyLossWithGrad(x, [3, 0, 1], {
        classes: 4,
        labelSmoothing: 0.1,
        gradInto: x,
      });
      expect(r.grad).toBe(x);
      expect(Array.from(x)).toEqual(Array.from(expected));
      const y = f32([1, 2, 3, 4, 3]);
      expect(api.softmax(y, { classes: 5, out: y })).toBe(y);
      expectClose(
        y.reduce((a, b) => a + b, 0),
        1,
        "softmax in place sums to 1",
      );
    });

    it("crossEntropyLoss: an output view sharing module memory with an input view is a RangeError", () => {
      const x = api.alloc(12);
      x.set([1, 2, 3, 4, 3, 2, 1, 0, 5, 5, 5, 5]);
      const before = Array.from(x);
      expectRejected(
        () => api.crossEntropyLossWithGrad(x, [3, 0, 1], { classes: 4, gradInto: x }),
        RangeError,
        /'gradInto' must not share memory with 'input'/,
      );
      expectRejected(
        () =>
          api.crossEntropyLoss(x, [3, 0, 1], {
            classes: 4,
            reduction: "none",
            lossInto: x.subarray(0, 3),
          }),
        RangeError,
        /'lossInto' must not share memory with 'input'/,
      );
      expectRejected(
        () => api.logSoftmax(x, { classes: 4, out: x }),
        RangeError,
        /logSoftmax: 'out' must not share memory with 'input'/,
      );
      expect(Array.from(x)).toEqual(before);
      api.free(x);
    });

    it("crossEntropyLoss: an alloc() view detached by memory growth is reported as such, not by its length", () => {
      const v = api.alloc(6);
      v.set([1, 2, 3, 3, 2, 1]);
      const big = api.alloc(api.memoryBytes() / 4 + 1024); // grows memory, detaching v unless memory is shared
      if (!(v.buffer instanceof SharedArrayBuffer)) {
        expectRejected(
          () => api.crossEntropyLoss(v, [0, 1], { classes: 3 }),
          TypeError,
          /crossEntropyLoss: 'input' is a view from alloc\(\) detached by memory growth/,
        );
      }
      const fresh = api.refresh(v);
      expectClose(
        api.crossEntropyLoss(fresh, [2, 0], { classes: 3 }),
        Math.fround(ceRow([1, 2, 3], 2)),
        "refreshed view",
      );
      api.free(big);
      api.free(fresh);
    });

    it("crossEntropyLoss: repeated calls do not grow memory", () => {
      const x = new Float32Array(4000).map((_, i) => Math.sin(i));
      const y = new Int32Array(4).map((_, i) => i * 100);
      api.crossEntropyLossWithGrad(x, y, { classes: 1000 });
      const bytes = api.memoryBytes();
      for (let i = 0; i < 200; i++)
        api.crossEntropyLossWithGrad(x, y, { classes: 1000, labelSmoothing: 0.1 });
      expect(api.memoryBytes()).toBe(bytes);
    });

    it("softmax and logSoftmax: rows sum to 1, stable for huge logits, out is filled and returned", () => {
      const p = api.softmax(f32([1, 2, 3, 1e30, 0, -1e30]), { classes: 3 });
      expectClose(p, f32([0.09003057, 0.24472847, 0.66524096, 1, 0, 0]), "softmax");
      const out = new Float32Array(2);
      expect(api.logSoftmax(f32([0, 1e4]), { shape: [2], out })).toBe(out);
      expect(Array.from(out)).toEqual([-1e4, 0]);
    });
  });

  describe("multi-class losses: bad inputs throw before any WebAssembly call", () => {
    const x = f32([1, 2, 3, 4, 5, 6]);
    const y = new Int32Array([0, 2]);
    const g = new Float32Array(6).fill(7);
    const l = new Float32Array(2).fill(7);

    it("crossEntropyLoss: both or neither of classes/shape is a RangeError", () => {
      expectRejected(
        () => api.crossEntropyLoss(x, y, { classes: 3, shape: [2, 3] } as never),
        RangeError,
        /crossEntropyLoss: exactly one of 'classes' or 'shape'.*received both/,
        [x, y],
      );
      expectRejected(
        () => api.crossEntropyLoss(x, y, {} as never),
        RangeError,
        /crossEntropyLoss: exactly one of 'classes' or 'shape'.*received neither/,
        [x, y],
      );
      expectRejected(
        () => api.softmax(x, {} as never),
        RangeError,
        /softmax: exactly one of 'classes' or 'shape'/,
        [x],
      );
      expectRejected(
        () => api.nllLoss(x, y, undefined as never),
        RangeError,
        /nllLoss: exactly one/,
        [x, y],
      );
    });

    it("crossEntropyLoss: classes that do not divide the length, or are not positive integers", () => {
      expectRejected(
        () => api.crossEntropyLoss(x, y, { classes: 4 }),
        RangeError,
        /'classes' must be a divisor of the input length 6; received 4/,
        [x, y],
      );
      expectRejected(
        () => api.crossEntropyLoss(x, y, { classes: 0 }),
        RangeError,
        /'classes' must be a positive integer; received 0/,
      );
      expectRejected(
        () => api.crossEntropyLoss(x, y, { classes: 1.5 }),
        RangeError,
        /'classes' must be a positive integer; received 1.5/,
      );
      expectRejected(
        () => api.crossEntropyLoss(x, y, { classes: "3" as never }),
        TypeError,
        /'classes' must be a positive integer; received the string "3"/,
      );
    });

    it("crossEntropyLoss: a shape that does not match the input length", () => {
      expectRejected(
        () => api.crossEntropyLoss(x, y, { shape: [2, 4] }),
        RangeError,
        /'shape' \[2, 4\] must have as many elements as the input; received 8 elements for an input of length 6/,
        [x, y],
      );
      expectRejected(
        () => api.crossEntropyLoss(x, y, { shape: [2, -3] }),
        RangeError,
        /'shape' must be an array of non-negative integers; received the number -3 at index 1/,
      );
      expectRejected(
        () => api.crossEntropyLoss(x, y, { shape: "2,3" as never }),
        TypeError,
        /'shape' must be an array/,
      );
      expectRejected(
        () => api.logSoftmax(x, { shape: [7] }),
        RangeError,
        /logSoftmax: 'shape' \[7\]/,
        [x],
      );
    });

    it("crossEntropyLoss: a target of the wrong length", () => {
      expectRejected(
        () => api.crossEntropyLossWithGrad(x, new Int32Array(3), { classes: 3, gradInto: g }),
        RangeError,
        /'target' must be one class index per sample position \(length 2\); received length 3/,
        [x, g],
      );
      expectRejected(
        () => api.crossEntropyLoss(x, f32([1, 0, 0]), { classes: 3 }),
        RangeError,
        /'target' of class probabilities must have the input's length 6; received length 3/,
        [x],
      );
      expectRejected(
        () => api.nllLoss(x, [0], { shape: [2, 3] }),
        RangeError,
        /nllLoss: 'target' must be one class index per sample position \(length 2\)/,
        [x],
      );
    });

    it("crossEntropyLoss: an index out of range names its position and value, and nothing is written", () => {
      for (const t of [
        new Int32Array([0, 3]),
        new Uint8Array([0, 9]),
        new Int8Array([0, -5]),
        new BigInt64Array([0n, 300n]),
        [0, 3],
      ]) {
        const value = String(t[1]);
        expectRejected(
          () =>
            api.crossEntropyLossWithGrad(x, t as never, {
              classes: 3,
              reduction: "none",
              gradInto: g,
              lossInto: l,
            }),
          RangeError,
          new RegExp(
            `crossEntropyLossWithGrad: 'target' must hold class indices in \\[0, 3\\) or ignoreIndex \\(-100\\); received ${value} at position 1`,
          ),
          [x, t as ArrayLike<unknown>, g, l],
        );
      }
      expectRejected(
        () => api.nllLossWithGrad(x, [-1, 0], { classes: 3, gradInto: g }),
        RangeError,
        /nllLossWithGrad: 'target' .* received -1 at position 0/,
        [x, g],
      );
    });

    it("crossEntropyLoss: non-integer indices", () => {
      expectRejected(
        () => api.crossEntropyLoss(x, [0, 1.5], { classes: 3 }),
        RangeError,
        /'target' must contain only integers \(class indices\); received 1.5 at position 1/,
        [x],
      );
      expectRejected(
        () => api.crossEntropyLoss(x, [0, "1"] as never, { classes: 3 }),
        TypeError,
        /'target' must contain only integers; element 1 is the string "1"/,
        [x],
      );
      expectRejected(
        () => api.nllLoss(x, f32([0, 1]) as never, { classes: 3 }),
        TypeError,
        /nllLoss: 'target' must be an integer typed array .*; received a Float32Array of length 2/,
        [x],
      );
      expectRejected(
        () => api.crossEntropyLoss(x, "01" as never, { classes: 3 }),
        TypeError,
        /'target' must be an integer typed array/,
        [x],
      );
    });

    it("crossEntropyLoss: ignoreIndex >= 0 with probability targets is a RangeError", () => {
      const p = f32([1, 0, 0, 0, 0, 1]);
      expectRejected(
        () => api.crossEntropyLoss(x, p, { classes: 3, ignoreIndex: 0 }),
        RangeError,
        /'ignoreIndex' cannot be used with probability targets.*received ignoreIndex 0/,
        [x, p],
      );
      expectRejected(
        () => api.crossEntropyLoss(x, y, { classes: 3, ignoreIndex: 0.5 }),
        RangeError,
        /'ignoreIndex' must be an integer; received 0.5/,
        [x, y],
      );
      expect(Number.isFinite(api.crossEntropyLoss(x, p, { classes: 3, ignoreIndex: -100 }))).toBe(
        true,
      );
    });

    it("crossEntropyLoss: labelSmoothing outside [0, 1] is a RangeError", () => {
      for (const s of [-0.1, 1.5, NaN]) {
        expectRejected(
          () => api.crossEntropyLoss(x, y, { classes: 3, labelSmoothing: s }),
          RangeError,
          new RegExp(`'labelSmoothing' must be a number in \\[0, 1\\]; received ${s}`),
          [x, y],
        );
      }
      expectRejected(
        () => api.crossEntropyLoss(x, y, { classes: 3, labelSmoothing: "0.1" as never }),
        TypeError,
        /'labelSmoothing' must be a number/,
      );
    });

    it("crossEntropyLoss: a weight whose length is not the number of classes", () => {
      const w = f32([1, 2]);
      expectRejected(
        () => api.crossEntropyLoss(x, y, { classes: 3, weight: w }),
        RangeError,
        /'weight' must be one value per class \(length 3\); received length 2/,
        [x, y, w],
      );
      expectRejected(
        () => api.nllLoss(x, y, { classes: 3, weight: 2 as never }),
        TypeError,
        /nllLoss: 'weight' must be a Float32Array/,
      );
    });

    it("crossEntropyLoss: an unknown reduction is a RangeError", () => {
      expectRejected(
        () => api.crossEntropyLoss(x, y, { classes: 3, reduction: "avg" as never }),
        RangeError,
        /crossEntropyLoss: 'reduction' must be one of "mean", "sum", "none"; received the string "avg"/,
        [x, y],
      );
    });

    it("crossEntropyLoss: gradOutput with a reduced loss or of the wrong length", () => {
      const go = f32([1, 1]);
      expectRejected(
        () => api.crossEntropyLossWithGrad(x, y, { classes: 3, gradOutput: go, gradInto: g }),
        RangeError,
        /'gradOutput' applies to reduction "none" only/,
        [x, y, go, g],
      );
      expectRejected(
        () =>
          api.crossEntropyLossWithGrad(x, y, {
            classes: 3,
            reduction: "none",
            gradOutput: f32([1, 1, 1]),
            gradInto: g,
          }),
        RangeError,
        /'gradOutput' must be of length 2 .*; received length 3/,
        [x, y, g],
      );
      expectRejected(
        () => api.nllLossWithGrad(x, y, { classes: 3, reduction: "none", gradOutput: f32([1]) }),
        RangeError,
        /nllLossWithGrad: 'gradOutput' must be of length 2/,
      );
    });

    it("crossEntropyLoss: lossInto, gradInto and out of the wrong length or type", () => {
      expectRejected(
        () =>
          api.crossEntropyLoss(x, y, {
            classes: 3,
            reduction: "none",
            lossInto: new Float32Array(6),
          }),
        RangeError,
        /'lossInto' must be a Float32Array of length 2; received length 6/,
      );
      expectRejected(
        () => api.crossEntropyLoss(x, y, { classes: 3, lossInto: l } as never),
        RangeError,
        /'lossInto' applies to reduction "none" only/,
        [l],
      );
      expectRejected(
        () => api.crossEntropyLossWithGrad(x, y, { classes: 3, gradInto: new Float32Array(2) }),
        RangeError,
        /'gradInto' must be a Float32Array of length 6; received length 2/,
      );
      expectRejected(
        () => api.softmax(x, { classes: 3, out: new Float64Array(6) as never }),
        TypeError,
        /softmax: 'out' must be a Float32Array of length 6/,
      );
    });

    it("crossEntropyLoss: a logits argument that is not an array is a TypeError", () => {
      expectRejected(
        () => api.crossEntropyLoss("logits" as never, y, { classes: 3 }),
        TypeError,
        /crossEntropyLoss: 'input' must be a Float32Array, a Float64Array or an array of numbers; received the string "logits"/,
      );
      expectRejected(
        () => api.softmax(null as never, { classes: 3 }),
        TypeError,
        /softmax: 'input' must be/,
      );
      expectRejected(
        () => api.crossEntropyLoss(x, y, 3 as never),
        TypeError,
        /crossEntropyLoss: 'options' must be an object; received the number 3/,
      );
    });
  });
});
