// Calls at the size limits of wasm32: plain arrays of 2 GiB stream through the fixed scratch
// window (module memory does not grow with them), and alloc() blocks above 2 GiB, whose byte
// offsets do not fit a signed 32-bit number, are used in place. This file needs about 7 GiB of
// memory at its peak (2 GiB plain arrays and a module memory grown past 2 GiB); vitest runs it
// in one worker of its own, like every test file. Expected values follow from the definitions
// (e.g. the MSE of ones against zeros is 1, the cross-entropy of equal logits is log C).
import { describe, expect, it } from "vitest";
import * as api from "../src/index";

const GiB = 2 ** 30;
const WINDOW = 4 * 2 ** 20;

describe("at the size limits of wasm32", () => {
  it("a 2^29-element call on plain arrays (2 GiB each) needs no more module memory than the scratch window", async () => {
    await api.init({ simd: true }); // a fresh module: this file's first
    const before = api.memoryBytes();
    const n = 2 ** 29;
    // One array as logits and targets, written in two places only: a fresh 2 GiB array costs
    // page faults, not work, and this keeps them to one array's reads.
    const x = new Float32Array(n);
    x[0] = 3;
    x[n - 1] = 4;
    // (1 - y)·x + log(1 + e^-x) per element: log 2 at 0, and x = y = 3, 4 at the two ends.
    const f32 = Math.fround;
    const expected =
      (n - 2) * f32(Math.LN2) +
      f32(-6 + Math.log1p(Math.exp(-3))) +
      f32(-12 + Math.log1p(Math.exp(-4)));
    // Blocks of 1024 elements are summed in float32 lanes (as PyTorch's cascade sum): ~1e-6 relative.
    expect(Math.abs(api.bceWithLogitsLoss(x, x, { reduction: "sum" }) / expected - 1)).toBeLessThan(
      4e-6,
    );
    // Cross-entropy of 2^26 rows of 8 classes (2^29 logits), a window of rows at a time: log 8
    // for the rows of zeros; the first row's logit 3 is its target's, the last row's 4 is not.
    const rows = 2 ** 26;
    const labels = new Int32Array(rows).map((_, i) => i % 8);
    labels[rows - 1] = 0;
    const ce =
      ((rows - 2) * Math.log(8) + (-3 + Math.log(Math.exp(3) + 7)) + Math.log(Math.exp(4) + 7)) /
      rows;
    expect(Math.abs(api.crossEntropyLoss(x, labels, { classes: 8 }) / ce - 1)).toBeLessThan(4e-6);
    expect(api.memoryBytes() - before).toBeLessThanOrEqual(WINDOW + 2 ** 20);
  }, 120_000);

  it("alloc() blocks above 2 GiB are used in place: unsigned offsets end to end", async () => {
    await api.init({ simd: false }); // another fresh module (the scalar build)
    const low = api.alloc(GiB / 4 + 1024); // 1 GiB
    const mid = api.alloc(GiB / 4 + 1024); // another: what follows lies above 2 GiB
    const n = 100_003;
    // (Where memory is not shared, each alloc() that grows it detaches the earlier views: refresh.)
    const views = [api.alloc(n), api.alloc(n), api.alloc(n)];
    const [x, y, g] = views.map((v) => api.refresh(v));
    for (const v of [x, y, g]) expect(v.byteOffset).toBeGreaterThan(2 ** 31);
    x.fill(3);
    y.fill(1);
    const r = api.mseLossWithGrad(x, y, { gradInto: g });
    expect(r.loss).toBe(4);
    expect(r.grad).toBe(g);
    expect(g[0]).toBe(Math.fround(4 / n));
    expect(g[n - 1]).toBe(Math.fround(4 / n));
    // The scratch window and plain arrays beside in-place views above 2 GiB.
    const logits = api.alloc(8 * 1000);
    expect(logits.byteOffset).toBeGreaterThan(2 ** 31);
    const ce = api.crossEntropyLossWithGrad(logits, new Int32Array(1000), { classes: 8 });
    expect(ce.loss).toBeCloseTo(Math.log(8), 6);
    expect(ce.grad[0]).toBeCloseTo((1 / 8 - 1) / 1000, 9);
    for (const v of [low, mid, x, y, g, logits]) api.free(api.refresh(v));
  }, 120_000);

  it("a call that cannot fit in 4 GiB is a RangeError before any WebAssembly call, and the module keeps working", () => {
    expect(() => api.alloc((GiB / 4) * 3)).toThrow(
      /needs 3221225472 more bytes .*cannot grow past 4 GiB/,
    );
    expect(() => api.reserve(GiB)).toThrow(RangeError);
    // One row of 2^29 classes needs 4 GiB of scratch window (the row in and its softmax out).
    const row = new Float32Array(2 ** 29);
    row[7] = 1;
    expect(() => api.softmax(row, { classes: 2 ** 29 })).toThrow(
      /softmax: needs \d+ more bytes .* for its scratch window/,
    );
    expect([row[0], row[7], row[2 ** 29 - 1]]).toEqual([0, 1, 0]); // untouched (nothing was copied)
    expect(api.mseLoss([1, 2], [1, 4])).toBe(2);
  }, 120_000);
});
