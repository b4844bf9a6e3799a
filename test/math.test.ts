// Accuracy of the vector exp/log of assembly/math.ts (expNeg4, expAny4, log4, log1pUnit4) against
// float64, over dense samples of the ranges the kernels use: at most 2 ulp everywhere. The raw
// exports mathExp4/mathLog4 are called directly (no public API) on the test builds of
// the module (build/test/: the shipped module plus assembly/testing.ts's exports, which the
// shipped binaries leave out), of the backend forEachBackend chose. The scalar build runs the
// same exports on musl's expf/logf/log1pf, checked to the same bound.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { module } from "../src/loader";
import { forEachBackend } from "./helpers/run";

type Raw = (...args: number[]) => number;
type TestBuild = { memory: WebAssembly.Memory; kernels: Record<string, Raw> };

const testBuilds: Record<string, TestBuild> = {};
function testBuild(): TestBuild {
  const backend = module("math.test").backend;
  return (testBuilds[backend] ??= (() => {
    const bytes = readFileSync(new URL(`../build/test/wasm-loss.${backend}.wasm`, import.meta.url));
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    return {
      memory: exports.memory as WebAssembly.Memory,
      kernels: exports as unknown as Record<string, Raw>,
    };
  })());
}

/** Runs `name` (mathExp4 or mathLog4) over `xs`, returning the float32 results. */
function call(name: "mathExp4" | "mathLog4", xs: Float32Array, flag: boolean): Float32Array {
  const m = testBuild();
  const k = m.kernels;
  const n = xs.length;
  const padded = (n + 3) & ~3;
  const px = k.allocate(padded * 4) >>> 0;
  const po = k.allocate(padded * 4) >>> 0;
  expect(px).not.toBe(0);
  expect(po).not.toBe(0);
  try {
    const buf = m.memory.buffer;
    new Float32Array(buf, px, padded).fill(xs[0] ?? 0).set(xs);
    k[name](px, po, padded, flag ? 1 : 0);
    return new Float32Array(m.memory.buffer, po, n).slice();
  } finally {
    k.release(po);
    k.release(px);
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const fromBits = (b: number): number => {
  u32[0] = b;
  return f32[0];
};

/** Size of one float32 ulp at the (float64) value v. */
function ulpOf(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** Max error in ulp of `got` against the float64 `exact` of each input, and where. */
function maxUlp(
  xs: Float32Array,
  got: Float32Array,
  exact: (x: number) => number,
): { ulp: number; at: number; got: number; want: number } {
  let worst = { ulp: 0, at: NaN, got: NaN, want: NaN };
  for (let i = 0; i < xs.length; i++) {
    const want = exact(xs[i]);
    const g = got[i];
    let e: number;
    if (Number.isNaN(g) || Number.isNaN(want))
      e = Number.isNaN(g) === Number.isNaN(want) ? 0 : Infinity;
    else if (!Number.isFinite(want) || !Number.isFinite(g)) e = g === want ? 0 : Infinity;
    else e = Math.abs(g - want) / ulpOf(want);
    if (e > worst.ulp) worst = { ulp: e, at: xs[i], got: g, want };
  }
  if (process.env.MATH_TEST_VERBOSE) console.log(`max ${worst.ulp.toFixed(3)} ulp at ${worst.at}`);
  return worst;
}

function linspace(lo: number, hi: number, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + ((hi - lo) * i) / (n - 1);
  return a;
}

/** Every `stride`-th float32 bit pattern in [from, to] (positive floats). */
function bitRange(from: number, to: number, stride: number): Float32Array {
  const n = Math.floor((to - from) / stride) + 1;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = fromBits(from + i * stride);
  return a;
}

const concat = (...parts: Float32Array[]): Float32Array => {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

const ONE = 0x3f800000;
const MAX_FINITE = 0x7f7fffff;

forEachBackend((backend) => {
  describe("vector exp and log (assembly/math.ts)", () => {
    it("expNeg4 is within 2 ulp of exp over [-87, 0]", () => {
      // Every float32 in [-1, 0] at a fine stride, plus a dense grid of the whole range.
      const xs = concat(
        linspace(-87, 0, 300_007),
        bitRange(0x80000001, 0xbf800000, 1009),
        linspace(-1e-3, 0, 10_001),
      );
      const w = maxUlp(xs, call("mathExp4", xs, false), Math.exp);
      expect(w.ulp, `worst at x = ${w.at}: ${w.got} vs ${w.want}`).toBeLessThanOrEqual(2);
    });

    it("expAny4 is within 2 ulp of exp over [-86, 88.7]", () => {
      const xs = concat(
        linspace(-86, 88.7, 300_007),
        linspace(-1, 1, 100_003),
        linspace(88, 88.72, 10_001),
      );
      const w = maxUlp(xs, call("mathExp4", xs, true), Math.exp);
      expect(w.ulp, `worst at x = ${w.at}: ${w.got} vs ${w.want}`).toBeLessThanOrEqual(2);
    });

    if (backend === "simd")
      it("expNeg4 and expAny4: the documented ends (0 below the cutoffs, +inf above 88.72, NaN for NaN)", () => {
        const neg = call("mathExp4", new Float32Array([-88, -100, -Infinity, 0, NaN]), false);
        expect(Array.from(neg.subarray(0, 4))).toEqual([0, 0, 0, 1]);
        expect(neg[4]).toBeNaN();
        const any = call(
          "mathExp4",
          new Float32Array([-87.5, -1e30, 88.8, 1e30, Infinity, NaN]),
          true,
        );
        expect(Array.from(any.subarray(0, 5))).toEqual([0, 0, Infinity, Infinity, Infinity]);
        expect(any[5]).toBeNaN();
      });

    it("log4 is within 2 ulp of log over all positive floats (normal and subnormal) and densely over [1, 1e4]", () => {
      const xs = concat(
        bitRange(1, 0x007fffff, 16411), // subnormals
        bitRange(0x00800000, MAX_FINITE, 1031), // every normal binade, 8k points each
        linspace(1, 1e4, 300_007),
        bitRange(ONE - 20000, ONE + 20000, 1), // around 1, where log is smallest
      );
      const w = maxUlp(xs, call("mathLog4", xs, false), Math.log);
      expect(w.ulp, `worst at x = ${w.at}: ${w.got} vs ${w.want}`).toBeLessThanOrEqual(2);
    });

    it("log4: special values (0 -> -inf, +inf -> +inf, negative and NaN -> NaN)", () => {
      const r = call("mathLog4", new Float32Array([0, -0, Infinity, -1, NaN, 1]), false);
      expect(r[0]).toBe(-Infinity);
      expect(r[1]).toBe(-Infinity);
      expect(r[2]).toBe(Infinity);
      expect(r[3]).toBeNaN();
      expect(r[4]).toBeNaN();
      expect(r[5]).toBe(0);
    });

    it("log1pUnit4 is within 2 ulp of log1p over [0, 1], tiny values included", () => {
      const xs = concat(bitRange(0, ONE, 401), linspace(0, 1, 300_007), linspace(0, 1e-6, 10_001));
      const w = maxUlp(xs, call("mathLog4", xs, true), Math.log1p);
      expect(w.ulp, `worst at x = ${w.at}: ${w.got} vs ${w.want}`).toBeLessThanOrEqual(2);
    });
  });
});
