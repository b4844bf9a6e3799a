// Threads: every output is bitwise the same for 1, 2 and 3 threads (and for copied or in-place
// arrays), on inputs large enough to be cut into many pieces; the pool's life cycle. The fixture
// suites (helpers/run.ts) run every PyTorch case on 2 and 3 threads too.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../src/index";
import { poolJobsForTests, stopThreadForTests } from "../src/threads";
import { xorshiftUniform } from "./helpers/fixtures";
import { BACKENDS } from "./helpers/run";

type Out =
  | number
  | Float32Array
  | { loss: number | Float32Array; grad?: Float32Array; grads?: Float32Array[] };

const u = (seed: number, n: number, lo = -3, hi = 3) => xorshiftUniform(seed, n, lo, hi);
const labels = (seed: number, n: number, C: number) =>
  Int32Array.from(u(seed, n, 0, C), (v) => Math.floor(v));
const signs = (seed: number, n: number) => u(seed, n).map((v) => (v < 0 ? -1 : 1));
const probs = (seed: number, n: number) => u(seed, n, 0, 1);

// Large enough for many pieces of every layout: elements (32,768 per piece), rows, K-dimensional
// samples larger than a piece (cut into ranges of positions), CTC samples.
const E = 5 * 32768 + 5;
const cases: Array<[string, () => Out]> = [
  ["l1LossWithGrad", () => api.l1LossWithGrad(u(1, E), u(2, E))],
  ["mseLossWithGrad none", () => api.mseLossWithGrad(u(1, E), u(2, E), { reduction: "none" })],
  ["huberLossWithGrad", () => api.huberLossWithGrad(u(1, E), u(2, E), { delta: 0.7 })],
  [
    "smoothL1LossWithGrad sum",
    () => api.smoothL1LossWithGrad(u(1, E), u(2, E), { reduction: "sum", beta: 0.3 }),
  ],
  [
    "bceWithLogitsLossWithGrad per-class weights",
    () =>
      api.bceWithLogitsLossWithGrad(u(3, 7 * 9000), probs(4, 7 * 9000), {
        classes: 7,
        weight: u(5, 7, 0, 2),
        posWeight: u(6, 7, 0, 3),
      }),
  ],
  ["bceLossWithGrad", () => api.bceLossWithGrad(probs(7, E), probs(8, E))],
  ["sigmoid", () => api.sigmoid(u(9, E))],
  ["logSigmoid", () => api.logSigmoid(u(9, E))],
  [
    "crossEntropyLossWithGrad C=10",
    () => api.crossEntropyLossWithGrad(u(10, 10 * 20001), labels(11, 20001, 10), { classes: 10 }),
  ],
  [
    "crossEntropyLossWithGrad C=1000 smoothing",
    () =>
      api.crossEntropyLossWithGrad(u(12, 1000 * 83), labels(13, 83, 1000), {
        classes: 1000,
        labelSmoothing: 0.1,
      }),
  ],
  [
    "crossEntropyLossWithGrad K-dim, samples larger than a piece",
    () =>
      api.crossEntropyLossWithGrad(u(14, 3 * 5 * 30001), labels(15, 3 * 30001, 5), {
        shape: [3, 5, 30001],
        weight: u(16, 5, 0.5, 2),
        ignoreIndex: 2,
        reduction: "none",
      }),
  ],
  [
    "crossEntropyLossWithGrad probabilities",
    () => api.crossEntropyLossWithGrad(u(17, 6 * 9001), probs(18, 6 * 9001), { classes: 6 }),
  ],
  [
    "nllLossWithGrad K-dim",
    () =>
      api.nllLossWithGrad(u(19, 2 * 4 * 40007), labels(20, 2 * 40007, 4), { shape: [2, 4, 40007] }),
  ],
  ["softmax K-dim", () => api.softmax(u(21, 2 * 3 * 50001), { shape: [2, 3, 50001] })],
  ["logSoftmax rows", () => api.logSoftmax(u(22, 33 * 3001), { classes: 33 })],
  [
    "klDivLossWithGrad batchmean",
    () =>
      api.klDivLossWithGrad(u(23, 5 * 9001), probs(24, 5 * 9001), {
        reduction: "batchmean",
        classes: 5,
      }),
  ],
  [
    "poissonNllLossWithGrad full",
    () => api.poissonNllLossWithGrad(u(25, E), u(26, E, 0, 5), { full: true }),
  ],
  [
    "gaussianNllLossWithGrad per row",
    () =>
      api.gaussianNllLossWithGrad(u(27, 6 * 9001), u(28, 6 * 9001), u(29, 9001, 0.1, 2), {
        classes: 6,
      }),
  ],
  ["softMarginLossWithGrad", () => api.softMarginLossWithGrad(u(30, E), signs(31, E))],
  [
    "multiLabelSoftMarginLossWithGrad",
    () =>
      api.multiLabelSoftMarginLossWithGrad(u(32, 9 * 7001), probs(33, 9 * 7001).map(Math.round), {
        classes: 9,
      }),
  ],
  [
    "hingeEmbeddingLossWithGrad",
    () => api.hingeEmbeddingLossWithGrad(u(34, E), signs(35, E), { margin: 0.5 }),
  ],
  [
    "marginRankingLossWithGrad",
    () => api.marginRankingLossWithGrad(u(36, E), u(37, E), signs(38, E), { margin: 0.2 }),
  ],
  [
    "multiMarginLossWithGrad p=2",
    () =>
      api.multiMarginLossWithGrad(u(39, 12 * 6001), labels(40, 6001, 12), { classes: 12, p: 2 }),
  ],
  [
    "multiLabelMarginLossWithGrad",
    () =>
      api.multiLabelMarginLossWithGrad(
        u(41, 8 * 8001),
        Int32Array.from({ length: 8 * 8001 }, (_, i) => (i % 8 < 3 ? (i * 7) % 8 : -1)),
        { classes: 8 },
      ),
  ],
  [
    "cosineEmbeddingLossWithGrad",
    () =>
      api.cosineEmbeddingLossWithGrad(u(42, 32 * 3001), u(43, 32 * 3001), signs(44, 3001), {
        dim: 32,
      }),
  ],
  [
    "tripletMarginLossWithGrad p=3 swap",
    () =>
      api.tripletMarginLossWithGrad(u(45, 16 * 5001), u(46, 16 * 5001), u(47, 16 * 5001), {
        dim: 16,
        p: 3,
        swap: true,
      }),
  ],
  [
    "ctcLossWithGrad",
    () => {
      const T = 40,
        N = 24,
        C = 12;
      const lp = api.logSoftmax(u(48, T * N * C), { classes: C });
      const tl = Int32Array.from({ length: N }, (_, b) => 1 + (b % 9));
      const targets = Int32Array.from(
        { length: tl.reduce((s, v) => s + v, 0) },
        (_, i) => 1 + (i % (C - 1)),
      );
      return api.ctcLossWithGrad(
        lp,
        targets,
        Int32Array.from({ length: N }, (_, b) => T - (b % 5)),
        tl,
        { shape: [T, N, C] },
      );
    },
  ],
];

function flatten(o: Out): Array<number | Float32Array> {
  if (typeof o === "number" || o instanceof Float32Array) return [o];
  return [o.loss, ...(o.grad ? [o.grad] : []), ...(o.grads ?? [])];
}

function expectBitwise(a: Out, b: Out, what: string): void {
  const x = flatten(a),
    y = flatten(b);
  expect(x.length, what).toBe(y.length);
  x.forEach((v, i) => {
    const w = y[i];
    if (typeof v === "number") {
      if (!Object.is(v, w)) throw new Error(`${what}: output ${i} is ${v}, expected ${String(w)}`);
      return;
    }
    const wa = w as Float32Array;
    expect(v.length, what).toBe(wa.length);
    const bits = new Uint32Array(v.buffer, v.byteOffset, v.length),
      wbits = new Uint32Array(wa.buffer, wa.byteOffset, wa.length);
    for (let j = 0; j < v.length; j++) {
      if (bits[j] !== wbits[j])
        throw new Error(`${what}: output ${i} element ${j} is ${v[j]}, expected ${wa[j]}`);
    }
  });
}

for (const backend of BACKENDS) {
  describe(`${backend} build: the same bits for every thread count`, () => {
    const one: Out[] = [];
    beforeAll(async () => {
      await api.init({ simd: backend === "simd", threads: 1 });
      for (const [, run] of cases) one.push(run());
    });
    afterAll(async () => {
      await api.init({ threads: 1 });
    });
    for (const threads of [2, 3]) {
      it(`threads: ${threads} gives bitwise the results of threads: 1 for every function`, async () => {
        await api.init({ threads });
        expect(api.threads()).toBe(threads);
        cases.forEach(([name, run], i) =>
          expectBitwise(run(), one[i], `${name}, ${threads} threads`),
        );
      });
    }
    it("in-place (alloc) and copied arrays give the same bits, on 2 threads", async () => {
      await api.init({ threads: 2 });
      const x = u(50, 10 * 20001),
        y = labels(51, 20001, 10);
      const copied = api.crossEntropyLossWithGrad(x, y, { classes: 10 });
      const X = api.alloc(x.length),
        G = api.alloc(x.length);
      X.set(x);
      const inPlace = api.crossEntropyLossWithGrad(X, y, { classes: 10, gradInto: G });
      expectBitwise(inPlace, copied, "alloc input and gradInto");
      const a = u(52, E),
        b = u(53, E);
      const A = api.alloc(E);
      A.set(a);
      expectBitwise(api.huberLossWithGrad(A, b), api.huberLossWithGrad(a, b), "huber, alloc input");
      api.free(X);
      api.free(G);
      api.free(A);
    });
  });
}

describe("the thread pool", () => {
  it("threads() is 1 by default, follows init({ threads }), and 'auto' uses every core", async () => {
    await api.init({ threads: 1 });
    expect(api.threads()).toBe(1);
    await api.init({ threads: "auto" });
    expect(api.threads()).toBe((await import("node:os")).availableParallelism());
    api.initSync({ threads: 3 });
    expect(api.threads()).toBe(3);
    await api.init();
    expect(api.threads()).toBe(3); // no count: the current one
    await api.init({ simd: false });
    expect([api.backend(), api.threads()]).toEqual(["scalar", 3]); // a new build keeps the count
    await api.init({ threads: 2 });
    expect([api.backend(), api.threads()]).toEqual(["scalar", 2]); // and a new count keeps the build
    await api.init({ simd: true });
    await api.init({ threads: 1 });
    expect(api.threads()).toBe(1);
  });

  it("a bad thread count is refused with a clear error", async () => {
    await expect(api.init({ threads: 0 })).rejects.toThrow(
      /init: option 'threads' must be an integer in \[1, 1024\] or "auto"; received the number 0/,
    );
    await expect(api.init({ threads: 2.5 })).rejects.toThrow(RangeError);
    await expect(api.init({ threads: "all" as never })).rejects.toThrow(TypeError);
    await expect(api.init({ thread: 2 } as never)).rejects.toThrow(
      /unknown option 'thread' \(did you mean 'threads'\?\)/,
    );
  });

  it("a stopped pool thread turns the next call into a clear Error; init({ threads }) recovers", async () => {
    await api.init({ threads: 3 });
    const x = u(60, E),
      y = u(61, E);
    const before = api.mseLoss(x, y);
    stopThreadForTests(1);
    expect(() => api.mseLoss(x, y)).toThrow(
      /mseLoss: the thread pool cannot run \(.*stopped.*\); call init\(\{ threads \}\) again to restart it/,
    );
    expect(() => api.l1Loss([1], [2])).toThrow(/thread pool cannot run/);
    await api.init({ threads: 3 });
    expect(api.mseLoss(x, y)).toBe(before);
    await api.init({ threads: 1 });
  });

  it("cheap elementwise losses on plain arrays run on the calling thread; views and costlier losses use the pool", async () => {
    await api.init({ threads: 2 });
    const x = u(62, E),
      y = u(63, E);
    const ran = (f: () => unknown) => {
      const before = poolJobsForTests();
      f();
      return poolJobsForTests() - before;
    };
    // The window copy costs more than L1/MSE/Huber themselves: the pool would only add its hand-off.
    expect(ran(() => api.mseLossWithGrad(x, y))).toBe(0);
    expect(ran(() => api.l1Loss(x, y))).toBe(0);
    expect(ran(() => api.huberLoss(x, y, { reduction: "none" }))).toBe(0);
    expect(ran(() => api.bceWithLogitsLoss(x, y))).toBeGreaterThan(0);
    const xv = api.alloc(E),
      yv = api.alloc(E);
    xv.set(x);
    yv.set(y);
    expect(ran(() => api.mseLoss(xv, yv))).toBeGreaterThan(0);
    // Where the work runs does not change the answer.
    expect(api.mseLoss(xv, yv)).toBe(api.mseLoss(x, y));
    api.free(xv);
    api.free(yv);
    await api.init({ threads: 1 });
  });

  it("views from alloc() survive memory growth on the threaded build (shared memory)", async () => {
    await api.init({ threads: 2 });
    const v = api.alloc(1000).fill(2);
    const big = api.alloc(api.memoryBytes() / 4 + 1024);
    expect(v.length).toBe(1000);
    expect(api.mseLoss(v, new Float32Array(1000))).toBe(4);
    api.free(big);
    api.free(v);
    await api.init({ threads: 1 });
  });

  it("a Node script that started 4 threads exits by itself when it is done", () => {
    const entry = fileURLToPath(new URL("../build/index.mjs", import.meta.url));
    const script = `import * as wl from ${JSON.stringify(entry)}; await wl.init({ threads: 4 });
      console.log(wl.threads(), wl.mseLoss(new Float32Array(200000).fill(1), new Float32Array(200000)));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(out.trim()).toBe("4 1");
  });
});
