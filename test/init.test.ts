// Loading: these run in a fresh module instance (vitest isolates test files), so the first test
// sees wasm-loss before any init().
import { describe, expect, it } from "vitest";
import * as api from "../src/index";

describe("loading the module", () => {
  it("every loss called before init() throws an Error that says to call init()", () => {
    expect(api.isReady()).toBe(false);
    expect(() => api.mseLoss([1], [2])).toThrow(/call `await init\(\)`/);
    expect(() => api.l1LossWithGrad([1], [2])).toThrow(Error);
    expect(() => api.alloc(4)).toThrow(/init\(\)/);
    expect(() => api.backend()).toThrow(/init\(\)/);
  });

  it("initSync() instantiates the SIMD build where the engine validates it", () => {
    api.initSync();
    expect(api.isReady()).toBe(true);
    expect(api.backend()).toBe("simd");
    expect(api.mseLoss([1, 2], [1, 4])).toBe(2);
  });

  it("init() is idempotent: views from alloc() survive a repeated init()", async () => {
    const x = api.alloc(4);
    x.set([1, 2, 3, 4]);
    await api.init();
    await Promise.all([api.init(), api.init()]);
    expect(api.l1Loss(x, [0, 0, 0, 0], { reduction: "sum" })).toBe(10);
    api.free(x);
  });

  it("init({ simd: false }) switches to the scalar build; views of the old module are refused", async () => {
    const x = api.alloc(2);
    await api.init({ simd: false });
    expect(api.backend()).toBe("scalar");
    expect(() => api.mseLoss(x, [0, 0])).toThrow(/replaced by a later init\(\)/);
    expect(api.mseLoss([1, 2], [1, 4])).toBe(2);
    await api.init({ simd: true });
    expect(api.backend()).toBe("simd");
  });

  it("an option left out keeps the current choice: init() after init({ simd: false }) stays scalar", async () => {
    await api.init({ simd: false });
    await api.init();
    expect(api.backend()).toBe("scalar");
    await api.init({ threads: 1 });
    expect(api.backend()).toBe("scalar");
    await api.init({ simd: true });
    expect(api.backend()).toBe("simd");
  });

  it("init rejects a non-boolean simd option", async () => {
    await expect(api.init({ simd: "yes" as unknown as boolean })).rejects.toThrow(TypeError);
  });
});
