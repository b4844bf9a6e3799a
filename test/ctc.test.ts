import { beforeAll, describe, expect, it } from "vitest";
import * as api from "../src/index";
import { fixtureSuite, forEachBackend } from "./helpers/run";

fixtureSuite("ctc");

// T = 2 frames, N = 1, C = 2 (0 = blank), target "1": P = 0.4·0.5 + 0.6·0.5 + 0.6·0.5 = 0.8.
const LP = new Float32Array([Math.log(0.4), Math.log(0.6), Math.log(0.5), Math.log(0.5)]);
const SHAPE = [2, 1, 2];

/** log-probabilities [T, N, C] of a fixed pseudo-random softmax. */
function logProbs(T: number, N: number, C: number, seed = 1): Float32Array {
  const out = new Float32Array(T * N * C);
  let x = seed;
  for (let r = 0; r < T * N; r++) {
    let z = 0;
    for (let c = 0; c < C; c++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      out[r * C + c] = (x / 2147483648) * 4;
      z += Math.exp(out[r * C + c]);
    }
    for (let c = 0; c < C; c++) out[r * C + c] -= Math.log(z);
  }
  return out;
}

const frame = (g: Float32Array, t: number, b: number, N: number, C: number) =>
  Array.from(g.subarray((t * N + b) * C, (t * N + b + 1) * C));

forEachBackend(() => {
  describe("ctcLoss: decided edge cases", () => {
    it("ctcLoss: a two-frame example equals -log of the summed path probabilities", () => {
      expect(api.ctcLoss(LP, [1], [2], [1], { shape: SHAPE, reduction: "sum" })).toBeCloseTo(
        -Math.log(0.8),
        6,
      );
      const { grad } = api.ctcLossWithGrad(LP, [1], [2], [1], { shape: SHAPE, reduction: "sum" });
      // exp(lp) - posterior: blank at t=0 is on the path (0,1) only, 0.2 / 0.8 = 0.25.
      expect(grad[0]).toBeCloseTo(0.4 - 0.25, 6);
      expect(grad[1]).toBeCloseTo(0.6 - 0.75, 6);
    });

    it("ctcLoss: an impossible alignment gives +Infinity and NaN gradient on that sample's frames < inputLength, 0 after", () => {
      const T = 4,
        N = 2,
        C = 3;
      const lp = logProbs(T, N, C);
      // Sample 0: "1 1" in 3 frames is possible (1, blank, 1); sample 1: "2 2" in 2 frames is not.
      const r = api.ctcLossWithGrad(lp, [1, 1, 2, 2], [3, 2], [2, 2], {
        shape: [T, N, C],
        reduction: "none",
      });
      expect(Number.isFinite(r.loss[0])).toBe(true);
      expect(r.loss[1]).toBe(Infinity);
      for (let t = 0; t < 2; t++) expect(frame(r.grad, t, 1, N, C).every(Number.isNaN)).toBe(true);
      for (let t = 2; t < T; t++) expect(frame(r.grad, t, 1, N, C)).toEqual([0, 0, 0]);
      for (let t = 0; t < 3; t++)
        expect(frame(r.grad, t, 0, N, C).every(Number.isFinite)).toBe(true);
      expect(frame(r.grad, 3, 0, N, C)).toEqual([0, 0, 0]);
    });

    it("ctcLoss: zeroInfinity turns an impossible alignment's loss and gradient into 0", () => {
      const T = 4,
        N = 2,
        C = 3;
      const lp = logProbs(T, N, C);
      const opts = { shape: [T, N, C], zeroInfinity: true } as const;
      const none = api.ctcLossWithGrad(lp, [1, 1, 2, 2], [3, 2], [2, 2], {
        ...opts,
        reduction: "none",
      });
      expect(none.loss[1]).toBe(0);
      for (let t = 0; t < T; t++) expect(frame(none.grad, t, 1, N, C)).toEqual([0, 0, 0]);
      const mean = api.ctcLoss(lp, [1, 1, 2, 2], [3, 2], [2, 2], { ...opts, reduction: "mean" });
      expect(mean).toBeCloseTo(Math.fround(none.loss[0] / 2) / 2, 5);
    });

    it("ctcLoss: inputLength 0 gives loss 0 for an empty target, +Infinity otherwise, and gradient 0 (PyTorch 2.x)", () => {
      const T = 3,
        N = 2,
        C = 3;
      const lp = logProbs(T, N, C);
      const r = api.ctcLossWithGrad(lp, [1], [0, 0], [0, 1], {
        shape: [T, N, C],
        reduction: "none",
      });
      expect(Array.from(r.loss)).toEqual([0, Infinity]);
      expect(Array.from(r.grad).every((v) => v === 0)).toBe(true);
    });

    it("ctcLoss: an empty target's loss is minus the sum of the blank's log-probabilities", () => {
      const T = 5,
        C = 4;
      const lp = logProbs(T, 1, C);
      let expected = 0;
      for (let t = 0; t < T; t++) expected -= lp[t * C + 2];
      expect(
        api.ctcLoss(lp, [], [T], [0], { shape: [T, 1, C], blank: 2, reduction: "sum" }),
      ).toBeCloseTo(expected, 4);
    });

    it('ctcLoss: "mean" divides each loss by max(targetLength, 1), then averages over the batch', () => {
      const T = 6,
        N = 3,
        C = 4;
      const lp = logProbs(T, N, C);
      const args = [lp, [1, 2, 3, 3, 1], [6, 5, 4], [0, 3, 2]] as const;
      const none = api.ctcLoss(...args, { shape: [T, N, C], reduction: "none" });
      const mean = api.ctcLoss(...args, { shape: [T, N, C] });
      expect(mean).toBeCloseTo((none[0] / 1 + none[1] / 3 + none[2] / 2) / 3, 5);
    });

    it("ctcLoss: concatenated and padded targets give identical results; padding is never read", () => {
      const T = 6,
        N = 3,
        C = 4;
      const lp = logProbs(T, N, C);
      const o = { shape: [T, N, C], reduction: "none" } as const;
      const a = api.ctcLossWithGrad(lp, [1, 2, 3, 3, 1], [6, 5, 4], [2, 0, 3], o);
      // S = 4 padded rows; the padding (99, -7) lies outside [0, C) and must not be checked.
      const b = api.ctcLossWithGrad(
        lp,
        [1, 2, 99, -7, 99, 99, 99, 99, 3, 3, 1, -7],
        [6, 5, 4],
        [2, 0, 3],
        o,
      );
      expect(Array.from(b.loss)).toEqual(Array.from(a.loss));
      expect(Array.from(b.grad)).toEqual(Array.from(a.grad));
    });

    it("ctcLoss: when both layouts fit, every target length equals S and the two layouts coincide", () => {
      const T = 5,
        N = 2,
        C = 4;
      const lp = logProbs(T, N, C);
      // length 4 = Σ targetLengths = N·S with S = 2: sample 1's target is [3, 1] either way.
      const r = api.ctcLoss(lp, [1, 2, 3, 1], [5, 5], [2, 2], {
        shape: [T, N, C],
        reduction: "none",
      });
      const one = api.ctcLoss(logProbs(T, N, C), [3, 1, 3, 1], [5, 5], [2, 2], {
        shape: [T, N, C],
        reduction: "none",
      });
      expect(r[1]).toBe(one[1]);
    });

    it("ctcLoss: an empty batch has mean NaN and sum 0", () => {
      const e = new Float32Array(0);
      expect(api.ctcLoss(e, [], [], [], { shape: [4, 0, 3] })).toBeNaN();
      expect(api.ctcLoss(e, [], [], [], { shape: [4, 0, 3], reduction: "sum" })).toBe(0);
    });

    it("ctcLoss: no frames at all (T = 0): loss 0 for empty targets, +Infinity otherwise", () => {
      const e = new Float32Array(0);
      expect(
        Array.from(api.ctcLoss(e, [1], [0, 0], [0, 1], { shape: [0, 2, 3], reduction: "none" })),
      ).toEqual([0, Infinity]);
      expect(
        api.ctcLossWithGrad(e, [1], [0, 0], [0, 1], { shape: [0, 2, 3], zeroInfinity: true }).loss,
      ).toBe(0);
    });

    it("ctcLoss: lossInto (none) is returned itself and gradInto is returned as grad", () => {
      const lossInto = new Float32Array(1),
        gradInto = new Float32Array(4);
      const r = api.ctcLossWithGrad(LP, [1], [2], [1], {
        shape: SHAPE,
        reduction: "none",
        lossInto,
        gradInto,
      });
      expect(r.loss).toBe(lossInto);
      expect(r.grad).toBe(gradInto);
      expect(lossInto[0]).toBeCloseTo(-Math.log(0.8), 6);
      expect(api.ctcLoss(LP, [1], [2], [1], { shape: SHAPE, reduction: "none", lossInto })).toBe(
        lossInto,
      );
    });

    it("LossMeter: ctcLoss batches give the single-call mean over the concatenated batch", () => {
      const T = 6,
        C = 4;
      const lp = logProbs(T, 3, C, 3); // samples 0, 1, 2; split into batches {0, 1} and {2}
      const targets = [1, 2, 3, 3, 1, 2],
        il = [6, 5, 4],
        tl = [2, 3, 1];
      const whole = api.ctcLoss(lp, targets, il, tl, { shape: [T, 3, C] });
      const first = new Float32Array(T * 2 * C),
        second = new Float32Array(T * C);
      for (let t = 0; t < T; t++) {
        first.set(lp.subarray(t * 3 * C, t * 3 * C + 2 * C), t * 2 * C);
        second.set(lp.subarray(t * 3 * C + 2 * C, (t + 1) * 3 * C), t * C);
      }
      const meter = new api.LossMeter();
      meter.addBatch("ctcLoss", first, [1, 2, 3, 3, 1], [6, 5], [2, 3], { shape: [T, 2, C] });
      meter.addBatch("ctcLoss", second, [2], [4], [1], { shape: [T, 1, C] });
      expect(meter.mean).toBeCloseTo(whole, 5);
    });

    it("ctcLoss: Float64Array and number[] logProbs are accepted (converted)", () => {
      const want = api.ctcLoss(LP, [1], [2], [1], { shape: SHAPE });
      expect(api.ctcLoss(Float64Array.from(LP), [1], [2], [1], { shape: SHAPE })).toBe(want);
      expect(
        api.ctcLoss(
          Array.from(LP),
          new Uint8Array([1]),
          new Uint16Array([2]),
          new BigInt64Array([1n]),
          { shape: SHAPE },
        ),
      ).toBe(want);
    });

    it("ctcLoss: zero-copy logProbs from alloc() give the same result", () => {
      const x = api.alloc(4);
      x.set(LP);
      const a = api.ctcLossWithGrad(x, [1], [2], [1], { shape: SHAPE });
      const b = api.ctcLossWithGrad(LP, [1], [2], [1], { shape: SHAPE });
      expect(a.loss).toBe(b.loss);
      expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
      expect(Array.from(x)).toEqual(Array.from(LP));
      api.free(x);
    });

    it("ctcLoss: a long sequence (T = 2000) with a possible alignment stays finite", () => {
      const T = 2000,
        C = 5;
      const lp = logProbs(T, 1, C, 7);
      const target = Array.from({ length: 600 }, (_, i) => 1 + (i % 4));
      const r = api.ctcLossWithGrad(lp, target, [T], [600], { shape: [T, 1, C], reduction: "sum" });
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(Array.from(r.grad).every(Number.isFinite)).toBe(true);
    });
  });

  describe("ctcLoss: bad inputs", () => {
    const ok = () => api.ctcLoss(LP, [1], [2], [1], { shape: SHAPE, reduction: "sum" });
    let expected = NaN;
    beforeAll(() => {
      expected = ok();
    });
    type Bad = [string, () => unknown, typeof TypeError | typeof RangeError, RegExp];
    const o = (extra: Record<string, unknown>) => ({ shape: SHAPE, ...extra }) as never;
    const bad: Bad[] = [
      [
        "logProbs not an array",
        () => api.ctcLoss("x" as never, [1], [2], [1], o({})),
        TypeError,
        /'logProbs'.*string "x"/,
      ],
      [
        "options not an object",
        () => api.ctcLoss(LP, [1], [2], [1], 3 as never),
        TypeError,
        /'options'.*number 3/,
      ],
      [
        "shape missing",
        () => api.ctcLoss(LP, [1], [2], [1], {} as never),
        RangeError,
        /'shape'.*undefined/,
      ],
      [
        "shape not an array",
        () => api.ctcLoss(LP, [1], [2], [1], { shape: 4 } as never),
        TypeError,
        /'shape'.*number 4/,
      ],
      [
        "shape of two dims",
        () => api.ctcLoss(LP, [1], [2], [1], { shape: [2, 2] }),
        RangeError,
        /'shape'.*\[2,2\]/,
      ],
      [
        "shape not matching the length",
        () => api.ctcLoss(LP, [1], [2], [1], { shape: [3, 1, 2] }),
        RangeError,
        /'shape'.*logProbs.length = 4.*product 6/,
      ],
      [
        "shape with a fraction",
        () => api.ctcLoss(LP, [1], [2], [1], { shape: [2, 1.5, 2] }),
        RangeError,
        /'shape'.*1\.5/,
      ],
      [
        "blank = C",
        () => api.ctcLoss(LP, [1], [2], [1], o({ blank: 2 })),
        RangeError,
        /'blank'.*\[0, 2\).*received 2/,
      ],
      [
        "blank negative",
        () => api.ctcLoss(LP, [1], [2], [1], o({ blank: -1 })),
        RangeError,
        /'blank'.*received -1/,
      ],
      [
        "blank a string",
        () => api.ctcLoss(LP, [1], [2], [1], o({ blank: "0" })),
        TypeError,
        /'blank'.*string "0"/,
      ],
      [
        "unknown reduction",
        () => api.ctcLoss(LP, [1], [2], [1], o({ reduction: "avg" })),
        RangeError,
        /'reduction'.*"avg"/,
      ],
      [
        "batchmean",
        () => api.ctcLoss(LP, [1], [2], [1], o({ reduction: "batchmean" })),
        RangeError,
        /'reduction'.*"batchmean"/,
      ],
      [
        "zeroInfinity not boolean",
        () => api.ctcLoss(LP, [1], [2], [1], o({ zeroInfinity: 1 })),
        TypeError,
        /'zeroInfinity'.*number 1/,
      ],
      [
        "targets Float32Array",
        () => api.ctcLoss(LP, new Float32Array([1]) as never, [2], [1], o({})),
        TypeError,
        /'targets'.*Float32Array of length 1/,
      ],
      [
        "target value = C",
        () => api.ctcLoss(LP, [2], [2], [1], o({})),
        RangeError,
        /'targets'.*\[0, 2\).*element 0 \(sample 0\) is 2/,
      ],
      [
        "target value negative",
        () => api.ctcLoss(LP, new Int8Array([-1]), [2], [1], o({})),
        RangeError,
        /'targets'.*element 0.*is -1/,
      ],
      [
        "target value huge BigInt",
        () => api.ctcLoss(LP, new BigInt64Array([1n << 40n]), [2], [1], o({})),
        RangeError,
        /'targets'.*element 0.*1099511627776/,
      ],
      [
        "target fraction",
        () => api.ctcLoss(LP, [0.5], [2], [1], o({})),
        RangeError,
        /'targets'.*element 0 is 0\.5/,
      ],
      [
        "target a string",
        () => api.ctcLoss(LP, ["1"] as never, [2], [1], o({})),
        TypeError,
        /'targets'.*element 0 is the string "1"/,
      ],
      [
        "inputLengths wrong length",
        () => api.ctcLoss(LP, [1], [2, 2], [1], o({})),
        RangeError,
        /'inputLengths'.*N = 1.*length 2/,
      ],
      [
        "inputLengths > T",
        () => api.ctcLoss(LP, [1], [3], [1], o({})),
        RangeError,
        /'inputLengths'.*T = 2.*element 0 is 3/,
      ],
      [
        "inputLengths negative",
        () => api.ctcLoss(LP, [1], new Int32Array([-1]), [1], o({})),
        RangeError,
        /'inputLengths'.*element 0 is -1/,
      ],
      [
        "inputLengths not an array",
        () => api.ctcLoss(LP, [1], 2 as never, [1], o({})),
        TypeError,
        /'inputLengths'.*number 2/,
      ],
      [
        "inputLengths Float64Array",
        () => api.ctcLoss(LP, [1], new Float64Array([2]) as never, [1], o({})),
        TypeError,
        /'inputLengths'.*Float64Array/,
      ],
      [
        "targetLengths negative",
        () => api.ctcLoss(LP, [1], [2], [-1], o({})),
        RangeError,
        /'targetLengths'.*element 0 is -1/,
      ],
      [
        "targetLengths wrong length",
        () => api.ctcLoss(LP, [1], [2], [1, 0], o({})),
        RangeError,
        /'targetLengths'.*length 2/,
      ],
      [
        "target length beyond the targets",
        () => api.ctcLoss(LP, [1], [2], [2], o({})),
        RangeError,
        /'targetLengths'.*element 0 is 2/,
      ],
      [
        "targets fitting neither layout",
        () => api.ctcLoss(new Float32Array(8), [1, 1, 1], [2, 2], [2, 0], o({ shape: [2, 2, 2] })),
        RangeError,
        /'targets'.*Σ targetLengths = 2.*N = 2.*S >= .* 2.*received length 3/,
      ],
      [
        "lossInto with mean",
        () => api.ctcLoss(LP, [1], [2], [1], o({ lossInto: new Float32Array(1) })),
        RangeError,
        /'lossInto'.*"mean"/,
      ],
      [
        "lossInto wrong length",
        () =>
          api.ctcLoss(LP, [1], [2], [1], o({ reduction: "none", lossInto: new Float32Array(2) })),
        RangeError,
        /'lossInto'.*length 2/,
      ],
      [
        "gradOutput with sum",
        () => api.ctcLossWithGrad(LP, [1], [2], [1], o({ reduction: "sum", gradOutput: [1] })),
        RangeError,
        /'gradOutput'.*"sum"/,
      ],
      [
        "gradOutput wrong length",
        () => api.ctcLossWithGrad(LP, [1], [2], [1], o({ reduction: "none", gradOutput: [1, 2] })),
        RangeError,
        /'gradOutput'.*length 2/,
      ],
      [
        "gradInto wrong length",
        () => api.ctcLossWithGrad(LP, [1], [2], [1], o({ gradInto: new Float32Array(3) })),
        RangeError,
        /'gradInto'.*length 3/,
      ],
      [
        "gradInto not Float32Array",
        () => api.ctcLossWithGrad(LP, [1], [2], [1], o({ gradInto: [0, 0, 0, 0] })),
        TypeError,
        /'gradInto'.*Array of length 4/,
      ],
    ];
    for (const [what, call, cls, msg] of bad) {
      it(`ctcLoss: ${what} throws ${cls.name} naming the argument and value, and leaves everything unchanged`, () => {
        const before = Array.from(LP);
        let err: unknown;
        try {
          call();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(cls);
        expect((err as Error).message).toMatch(/^ctcLoss(WithGrad)?: /);
        expect((err as Error).message).toMatch(msg);
        expect(Array.from(LP)).toEqual(before);
        expect(ok()).toBe(expected);
      });
    }

    it("ctcLoss: a failed call writes nothing to gradInto or lossInto", () => {
      const gradInto = new Float32Array(4).fill(7),
        lossInto = new Float32Array(1).fill(7);
      expect(() =>
        api.ctcLossWithGrad(LP, [5], [2], [1], {
          shape: SHAPE,
          reduction: "none",
          gradInto,
          lossInto,
        }),
      ).toThrow(RangeError);
      expect(Array.from(gradInto)).toEqual([7, 7, 7, 7]);
      expect(Array.from(lossInto)).toEqual([7]);
      expect(ok()).toBe(expected);
    });
  });
});
