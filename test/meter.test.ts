import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { xorshiftUniform } from "./helpers/fixtures";
import { forEachBackend } from "./helpers/run";

forEachBackend(() => {
  describe("LossMeter: the expected loss over a data set", () => {
    it("the dataset mean over uneven batches equals the single-call mean, not the mean of batch means", () => {
      const x = xorshiftUniform(1, 1000, -2, 2),
        y = xorshiftUniform(2, 1000, -2, 2);
      const meter = new api.LossMeter();
      let meanOfMeans = 0;
      const cuts = [0, 10, 400, 1000];
      for (let b = 0; b + 1 < cuts.length; b++) {
        const xs = x.subarray(cuts[b], cuts[b + 1]),
          ys = y.subarray(cuts[b], cuts[b + 1]);
        meter.addBatch("mseLoss", xs, ys);
        meanOfMeans += api.mseLoss(xs, ys) / 3;
      }
      const single = api.mseLoss(x, y);
      expect(meter.count).toBe(1000);
      expect(meter.batchCount).toBe(3);
      expect(Math.abs(meter.mean - single)).toBeLessThanOrEqual(1e-6 * single); // single is float32
      expect(Math.abs(meanOfMeans - single)).toBeGreaterThan(1e-4 * single);
    });

    it("add(sum, weight) accumulates with compensation: 1e16 + 1000 ones - 1e16 is exactly 1000", () => {
      const m = new api.LossMeter();
      m.add(1e16, 0);
      for (let i = 0; i < 1000; i++) m.add(1, 1);
      m.add(-1e16, 0);
      expect(m.sum).toBe(1000);
      expect(m.mean).toBe(1);
    });

    it("stays exact where a naive float64 sum does not: 100,000 batch sums of 0.3 beside a running total of 1e15", () => {
      // At 1e15 the spacing of float64 is 0.125: each naive `total += 0.3` rounds by up to 0.0625.
      const m = new api.LossMeter();
      let naive = 0;
      m.add(1e15, 0);
      naive += 1e15;
      for (let i = 0; i < 100_000; i++) {
        m.add(0.3, 10_000);
        naive += 0.3;
      }
      m.add(-1e15, 0);
      naive -= 1e15;
      const exact = 100_000 * 0.3; // 30000 within 4e-12: every 0.3 is the same float64
      expect(Math.abs(naive - exact)).toBeGreaterThan(100); // the test could fail
      expect(Math.abs(m.sum - exact)).toBeLessThan(1e-6); // compensated: ~1e-8 (the compensation sums 1e5 terms)
      expect(m.count).toBe(1e9);
      expect(Math.abs(m.mean - 3e-5)).toBeLessThan(1e-15);
    });

    it("reset() starts over; an empty meter's mean is NaN", () => {
      const m = new api.LossMeter().add(3, 1);
      m.reset();
      expect(m.mean).toBeNaN();
      expect(m.sum).toBe(0);
    });

    it("rejects unknown loss names and bad sums/weights with clear errors", () => {
      const m = new api.LossMeter();
      expect(() => m.addBatch("nope" as api.LossName, [1], [1])).toThrow(
        /'loss' must be a loss function of wasm-loss or its name/,
      );
      expect(() => m.addBatch("mseLossWithGrad" as api.LossName, [1], [1])).toThrow(TypeError);
      expect(() => m.addBatch(api.mseLoss, [1], [1], { reduction: "mean" } as never)).toThrow(
        /LossMeter.addBatch\(mseLoss\): option 'reduction' does not apply: the meter sums/,
      );
      expect(() => m.addBatch(api.mseLoss, [1], [1], { reducton: "sum" } as never)).toThrow(
        /unknown option 'reducton'/,
      );
      expect(() => m.add(1, -1)).toThrow(/'totalWeight' must be a finite number >= 0/);
      expect(() => m.add("1" as unknown as number, 1)).toThrow(TypeError);
      expect(() => m.addBatch("mseLoss", [1, 2], [1])).toThrow(/same length/);
      expect(m.batchCount).toBe(0);
    });

    it("takes the loss function itself as well as its name", () => {
      const x = xorshiftUniform(5, 99, -1, 1),
        y = xorshiftUniform(6, 99, -1, 1);
      const byName = new api.LossMeter().addBatch("huberLoss", x, y, { delta: 0.5 });
      const byFunction = new api.LossMeter().addBatch(api.huberLoss, x, y, { delta: 0.5 });
      expect(byFunction.sum).toBe(byName.sum);
      expect(Math.fround(byFunction.mean)).toBe(api.huberLoss(x, y, { delta: 0.5 }));
    });
  });
});

forEachBackend(() => {
  describe("LossMeter with weighted and ignored cross-entropy", () => {
    it("matches the single-call mean over the concatenated data (a mean of batch means does not)", () => {
      const C = 7,
        N = 300;
      const logits = xorshiftUniform(3, N * C, -4, 4);
      const labels = new Int32Array(N).map((_, i) => (i % 11 === 0 ? -1 : (i * 5) % C));
      const weight = new Float32Array([0.5, 2, 1, 3, 0.25, 1.5, 1]);
      const options = { classes: C, weight, ignoreIndex: -1 };
      const meter = new api.LossMeter();
      let meanOfMeans = 0;
      const cuts = [0, 13, 150, 300];
      for (let b = 0; b + 1 < cuts.length; b++) {
        const x = logits.subarray(cuts[b] * C, cuts[b + 1] * C),
          y = labels.subarray(cuts[b], cuts[b + 1]);
        meter.addBatch("crossEntropyLoss", x, y, options);
        meanOfMeans += api.crossEntropyLoss(x, y, options) / 3;
      }
      const single = api.crossEntropyLoss(logits, labels, options);
      let weightSum = 0;
      for (const t of labels) if (t >= 0) weightSum += weight[t];
      expect(meter.count).toBeCloseTo(weightSum, 4);
      expect(Math.abs(meter.mean - single)).toBeLessThanOrEqual(1e-6 * Math.abs(single));
      expect(Math.abs(meanOfMeans - single)).toBeGreaterThan(1e-3 * Math.abs(single));
    });
  });
});
