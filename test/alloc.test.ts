// What a user holding views from alloc() can rely on. Where memory is shared (Node; threads in an
// isolated page) views never detach. Where it is not (a page's single-threaded build: the bundle
// suite runs these too), reserve() sizes memory so that nothing grows, and a call that grows it
// anyway still hands back live results. Either way no call returns a detached or empty array.
import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { forEachBackend } from "./helpers/run";

const shared = () => api.alloc(0).buffer instanceof SharedArrayBuffer;

forEachBackend((backend) => {
  describe("alloc() views a user can hold", () => {
    it("two allocs, then writing the first: works where memory is shared; elsewhere refresh() gives it back", () => {
      const a = api.alloc(1e6);
      const b = api.alloc(4e6);
      if (shared()) {
        a.set(new Float32Array(1e6).fill(3));
        b.fill(1);
        expect(api.mseLoss(a, b.subarray(0, 1e6))).toBe(4);
      } else {
        expect(a.length).toBe(0); // detached by b's growth
        const live = api.refresh(a);
        live.set(new Float32Array(1e6).fill(3));
        expect(api.mseLoss(live, api.refresh(b).subarray(0, 1e6).fill(1))).toBe(4);
      }
      api.free(api.refresh(a));
      api.free(api.refresh(b));
    });

    it("after reserve(2n), two views of n and a call with ordinary labels grow nothing; grad is gradInto", () => {
      const rows = 20_000,
        C = 10,
        n = rows * C;
      api.reserve(2 * n);
      const before = api.memoryBytes();
      const logits = api.alloc(n),
        g = api.alloc(n);
      logits.fill(0);
      const labels = new Int32Array(rows).map((_, i) => i % C);
      const r = api.crossEntropyLossWithGrad(logits, labels, { classes: C, gradInto: g });
      expect(api.memoryBytes()).toBe(before);
      expect(r.grad).toBe(g);
      expect(r.loss).toBeCloseTo(Math.log(C), 6);
      expect(g[0]).toBeCloseTo((1 / C - 1) / rows, 10);
      api.free(logits);
      api.free(g);
    });

    it("sigmoid and logSigmoid of a view whose call grows memory give the right values (not zeros)", () => {
      const x = api.alloc(api.memoryBytes() / 4 - 16384).fill(0);
      expect(api.sigmoid(x)[0]).toBe(0.5);
      expect(api.logSigmoid(api.refresh(x))[7]).toBeCloseTo(-Math.LN2, 6);
      api.free(api.refresh(x));
    });

    it("crossEntropyLoss with class weights in a view, when the call grows memory: log 3, not an internal error", () => {
      const w = api.alloc(3).fill(1);
      const n = api.memoryBytes() / 4;
      expect(
        api.crossEntropyLoss(new Float32Array(n * 3), new Int32Array(n), { classes: 3, weight: w }),
      ).toBeCloseTo(Math.log(3), 6);
      api.free(api.refresh(w));
    });

    it("gradInto, lossInto and out given as views come back live when the call grows memory", async () => {
      // A fresh module (switching builds twice), whose memory the views fill; rows of 1.5M classes
      // then need a scratch window that does not fit: the call grows memory.
      await api.init({ simd: backend !== "simd" });
      await api.init({ simd: backend === "simd" });
      const C = 1_500_000;
      const gi = api.alloc(2 * C),
        li = api.alloc(2),
        out = api.alloc(2 * C);
      const before = api.memoryBytes();
      const r = api.crossEntropyLossWithGrad(new Float32Array(2 * C), [0, 1], {
        classes: C,
        reduction: "none",
        gradInto: api.refresh(gi),
        lossInto: api.refresh(li),
      });
      expect(api.memoryBytes()).toBeGreaterThan(before);
      expect([r.grad.length, r.loss.length]).toEqual([2 * C, 2]);
      expect(r.loss[1]).toBeCloseTo(Math.log(C), 5);
      expect(r.grad[0]).toBeCloseTo(1 / C - 1, 6);
      expect(r.grad[2 * C - 1]).toBeCloseTo(1 / C, 10);
      const s = api.softmax(new Float32Array(2 * C), { classes: 2 * C, out: api.refresh(out) });
      expect(s.length).toBe(2 * C);
      expect(s[0]).toBeCloseTo(1 / (2 * C), 10);
      for (const v of [r.grad, r.loss, s]) api.free(v);
    });
  });
});
