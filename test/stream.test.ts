// Ordinary arrays stream through the scratch window (src/dispatch.ts), a group of pieces at a
// time. These tests check that a streamed call gives what a call over resident (alloc) arrays
// gives, bitwise, for every mix of copied and resident arguments and outputs.
import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { forEachBackend } from "./helpers/run";

const sizes = [32768 * 3 + 5, 70_001];

function data(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    a[i] = (s / 2 ** 32) * 4 - 2;
  }
  return a;
}

function resident(a: Float32Array): Float32Array {
  const v = api.alloc(a.length);
  v.set(a);
  return v;
}

/** Bitwise equality of two float arrays (vitest's deep equality is far too slow at this size). */
function expectSame(a: Float32Array, b: Float32Array, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i]))
      throw new Error(`${what}: element ${i} is ${a[i]}, expected ${b[i]}`);
  }
}

type Fn = (
  x: Float32Array,
  y: Float32Array,
  o?: object,
) => { loss: number | Float32Array; grad: Float32Array };

forEachBackend(() => {
  describe("streamed calls equal one call over resident arrays", () => {
    for (const n of sizes) {
      for (const name of ["mseLossWithGrad", "l1LossWithGrad"] as const) {
        it(`${name}, n = ${n}: every mix of copied and resident arguments`, () => {
          const f = (api as unknown as Record<string, Fn>)[name];
          const x = data(n, 1),
            y = data(n, 2),
            go = data(n, 3);
          // Size the scratch block first (the largest call: two fresh results), so that no call
          // below grows memory and detaches the resident views.
          f(x, y, { reduction: "none", gradOutput: go });
          api.reserve(8 * n);
          const rx = resident(x),
            ry = resident(y),
            rgo = resident(go);
          const rg = api.alloc(n),
            rl = api.alloc(n);
          try {
            for (const reduction of ["mean", "sum", "none"] as const) {
              const withGo = reduction === "none";
              const ref = f(rx, ry, {
                reduction,
                gradInto: rg,
                ...(withGo ? { gradOutput: rgo, lossInto: rl } : {}),
              });
              const refLoss = typeof ref.loss === "number" ? ref.loss : Float32Array.from(ref.loss);
              const refGrad = Float32Array.from(ref.grad);
              const xs = [x, rx],
                ys = [y, ry];
              for (const xi of xs)
                for (const yi of ys) {
                  for (const into of ["fresh", "plain", "resident"] as const) {
                    const gradInto =
                      into === "fresh" ? undefined : into === "plain" ? new Float32Array(n) : rg;
                    const lossInto =
                      reduction !== "none" || into === "fresh"
                        ? undefined
                        : into === "plain"
                          ? new Float32Array(n)
                          : rl;
                    const opts = {
                      reduction,
                      gradInto,
                      lossInto,
                      ...(withGo ? { gradOutput: xi === x ? go : rgo } : {}),
                    };
                    const r = f(xi, yi, opts);
                    if (typeof refLoss === "number")
                      expect(r.loss as number).toBeCloseTo(refLoss, 5);
                    else expectSame(r.loss as Float32Array, refLoss, `${reduction} ${into}: loss`);
                    expectSame(r.grad, refGrad, `${reduction} ${into}: grad`);
                    if (gradInto) expect(r.grad === gradInto || into === "resident").toBe(true);
                    if (lossInto) expect(r.loss === lossInto || into === "resident").toBe(true);
                  }
                }
            }
            expect(Array.from(x.subarray(0, 5))).toEqual(Array.from(data(5, 1)));
          } finally {
            for (const v of [rx, ry, rgo, rg, rl]) api.free(api.refresh(v));
          }
        });
      }
    }

    it("a reduced streamed loss equals the resident one to the last float32 bit on typical data", () => {
      const n = 1_000_003;
      const x = data(n, 7),
        y = data(n, 8);
      api.l1LossWithGrad(x, y); // sizes scratch before the resident views exist
      api.reserve(3 * n);
      const rx = resident(x),
        ry = resident(y);
      try {
        expect(api.mseLoss(x, y)).toBe(api.mseLoss(rx, ry));
        expect(api.l1LossWithGrad(x, y).loss).toBe(api.l1LossWithGrad(rx, ry).loss);
      } finally {
        api.free(rx);
        api.free(ry);
      }
    });
  });
});
