import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { forEachBackend } from "./helpers/run";

forEachBackend(() => {
  describe("memory discipline", () => {
    it("10,000 calls of the same size do not grow memory after the first", () => {
      const x = new Float32Array(4099).map((_, i) => Math.sin(i));
      const y = new Float32Array(4099);
      const g = new Float32Array(4099);
      api.mseLossWithGrad(x, y, { gradInto: g });
      const bytes = api.memoryBytes();
      for (let i = 0; i < 10_000; i++) api.mseLossWithGrad(x, y, { gradInto: g });
      for (let i = 0; i < 1_000; i++) api.l1Loss(x, y, { reduction: "none" });
      expect(api.memoryBytes()).toBe(bytes);
    });

    it("an input too large for 4 GiB of linear memory is a RangeError naming the size; the module keeps working", () => {
      expect(() => api.alloc(2 ** 30)).toThrow(/4294967296 more bytes.*4 GiB/);
      expect(() => api.reserve(2 ** 31)).toThrow(RangeError);
      expect(api.mseLoss([1, 2], [1, 4])).toBe(2);
    });
  });

  describe("zero-copy views from alloc()", () => {
    it("are used in place for every argument, without copies (no growth even when copies would not fit)", () => {
      const n = 1 << 22; // 16 MiB per array
      api.reserve(4 * n + 1024);
      const x = api.alloc(n),
        y = api.alloc(n),
        g = api.alloc(n),
        l = api.alloc(n);
      for (let i = 0; i < n; i++) {
        x[i] = (i % 7) - 3;
        y[i] = 1;
      }
      const bytes = api.memoryBytes();
      const r = api.l1LossWithGrad(x, y, { gradInto: g, reduction: "none", lossInto: l });
      expect(r.grad).toBe(g);
      expect(r.loss).toBe(l);
      expect(api.memoryBytes()).toBe(bytes);
      expect([l[0], l[3], l[4], g[0], g[4], g[5]]).toEqual([4, 1, 0, -1, 0, 1]);
      for (const v of [x, y, g, l]) api.free(v);
    });

    it("a sub-view of a live block is used in place too", () => {
      const x = api.alloc(16);
      x.set(Array.from({ length: 16 }, (_, i) => i));
      expect(api.l1Loss(x.subarray(4, 8), [0, 0, 0, 0], { reduction: "sum" })).toBe(4 + 5 + 6 + 7);
      api.free(x);
    });

    // Where memory is shared (Node, and threads in an isolated page) growth detaches nothing;
    // elsewhere (a page's single-threaded build: the bundle suite runs this too) views detach.
    it("survive memory growth: shared memory never detaches them; otherwise refresh() gives a live view", () => {
      const x = api.alloc(1000);
      for (let i = 0; i < 1000; i++) x[i] = i;
      const shared = x.buffer instanceof SharedArrayBuffer;
      const before = api.memoryBytes();
      const big = api.alloc(before); // grows memory
      expect(api.memoryBytes()).toBeGreaterThan(before);
      if (shared) {
        expect(x.length).toBe(1000);
        expect(api.l1Loss(x, new Float32Array(1000), { reduction: "sum" })).toBe(499500);
        expect(api.refresh(x)).toBe(x);
      } else {
        expect(x.length).toBe(0);
        expect(() => api.l1Loss(x, new Float32Array(1000))).toThrow(
          /detached by memory growth; use refresh\(view\)/,
        );
      }
      const live = api.refresh(x);
      expect(live.length).toBe(1000);
      expect(live[999]).toBe(999);
      expect(api.l1Loss(live, new Float32Array(1000), { reduction: "sum" })).toBe(499500);
      expect(api.refresh(live)).toBe(live);
      api.free(live);
      api.free(api.refresh(big));
    });

    it("a freed view, or a view of a freed block, throws instead of reading garbage", () => {
      const x = api.alloc(8);
      const sub = x.subarray(2, 6);
      api.free(x);
      expect(() => api.mseLoss(x, new Float32Array(8))).toThrow(/was freed/);
      expect(() => api.mseLoss(sub, new Float32Array(4))).toThrow(
        /outside any live alloc\(\) block/,
      );
      expect(() => api.free(x)).toThrow(/already freed/);
      expect(() => api.refresh(x)).toThrow(/freed/);
      expect(() => api.free(new Float32Array(3))).toThrow(TypeError);
      expect(api.mseLoss([1, 2], [1, 4])).toBe(2);
    });

    it("freed blocks are reused: alloc/free cycles do not grow memory", () => {
      const a = api.alloc(10_000);
      api.free(a);
      const bytes = api.memoryBytes();
      for (let i = 0; i < 1000; i++) api.free(api.alloc(1 + (i % 10_000)));
      expect(api.memoryBytes()).toBe(bytes);
    });

    it("alloc rejects a negative or fractional length", () => {
      expect(() => api.alloc(-1)).toThrow(RangeError);
      expect(() => api.alloc(1.5)).toThrow(/non-negative integer; received the number 1.5/);
    });
  });
});
