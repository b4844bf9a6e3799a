// The comparison every fixture case goes through (test/helpers/close.ts) can fail: an element is
// held to its own float32 precision, and where PyTorch's float32 answer is inexact, to twice its
// error, not more.
import { describe, expect, it } from "vitest";
import { expectClose, expectFixture, RTOL } from "./helpers/close";
import type { FixtureCase } from "./helpers/fixtures";
import { TERMS_ULPS, allowance, ulp } from "./helpers/tolerance";

const f32 = (...v: number[]) => new Float32Array(v);
const fails = (f: () => void) => expect(f).toThrow();

describe("the strict per-element rule", () => {
  it("holds a small element beside a large one to its own precision, not to the array's scale", () => {
    const e = f32(1e6, 1e-6);
    expectClose(f32(1e6, e[1] * (1 + RTOL / 2)), e, "within rtol");
    fails(() => expectClose(f32(1e6, e[1] * (1 + 50 * RTOL)), e, "50 × rtol off"));
  });

  it("allows 4 float32 ulps at 0 and in the subnormal range, not 10", () => {
    const tiny = 2 ** -149;
    expectClose(f32(4 * tiny), f32(0), "4 ulps of 0");
    fails(() => expectClose(f32(10 * tiny), f32(0), "10 ulps of 0"));
    fails(() => expectClose(0, 2 ** -130, "a flushed subnormal"));
  });

  it("matches NaN with NaN and an infinity with the same infinity only", () => {
    expectClose(f32(NaN, Infinity, -Infinity), f32(NaN, Infinity, -Infinity), "non-finite");
    fails(() => expectClose(f32(0), f32(NaN), "a number for NaN"));
    fails(() => expectClose(f32(NaN), f32(0), "NaN for a number"));
    fails(() => expectClose(f32(3e38), f32(Infinity), "finite for Infinity"));
    fails(() => expectClose(f32(-Infinity), f32(Infinity), "the other infinity"));
  });

  it("a case's own tolerance widens the rule and its reason is in the failure message", () => {
    const tol = { atol: 2 ** -126, why: "subnormal results may be flushed to 0" };
    expectClose(f32(0), f32(2 ** -130), "flushed", tol);
    expect(() => expectClose(f32(1e-30), f32(2 ** -130), "beyond atol", tol)).toThrow(
      /subnormal results may be flushed to 0/,
    );
  });
});

describe("PyTorch's float32 error as the allowance where it exceeds the strict rule", () => {
  // A cancelling element (σ(x) − y near 0) whose float32 answer is far off the float64 one.
  const e64 = 3e-9;
  const err = 4e-10; // PyTorch's float32 answer minus the float64 one
  expect(err).toBeGreaterThan(allowance(e64));

  for (const expected of ["float64", "float32"] as const) {
    // The expected value is the float64 answer, or PyTorch's float32 one (then e64 = e − err).
    const e = expected === "float64" ? Math.fround(e64) : Math.fround(e64 + err);
    const exact = expected === "float64" ? e : e - err;
    const rec = { expected, errors: new Map([[1, err]]) };
    const at = (k: number) => f32(5, exact + k * err);

    it(`passes within twice the error (expected: the ${expected} answer)`, () => {
      expectClose(at(1.5), f32(5, e), "1.5 × the error", {}, rec);
      expectClose(at(-1.5), f32(5, e), "−1.5 × the error", {}, rec);
    });

    it(`fails at 3 × the error, and without the record (expected: the ${expected} answer)`, () => {
      expect(() => expectClose(at(3), f32(5, e), "3 × the error", {}, rec)).toThrow(
        /twice that allowed/,
      );
      fails(() => expectClose(at(-3), f32(5, e), "−3 × the error", {}, rec));
      fails(() => expectClose(at(expected === "float64" ? 1.5 : -1.5), f32(5, e), "no record", {}));
    });
  }

  it("a reduced loss is element 0", () => {
    const rec = { expected: "float64" as const, errors: new Map([[0, 1e-3]]) };
    expectClose(1 + 1.9e-3, 1, "within twice", {}, rec);
    fails(() => expectClose(1 + 2.1e-3, 1, "beyond twice", {}, rec));
  });
});

describe("the terms record: a cancelling element's allowance grows with its terms' magnitude", () => {
  // g = p·S − a with terms of magnitude 1e-3 meeting at an element of 1e-9.
  const e = Math.fround(1e-9);
  const s = 1e-3;
  const bound = TERMS_ULPS * 2 ** -24 * s;
  const terms = new Map([[1, s]]);
  const at = (k: number) => f32(5, e + k * bound);

  it("widens the recorded element by its bound", () => {
    expect(bound).toBeGreaterThan(100 * allowance(e));
    expectClose(at(0.9), f32(5, e), "0.9 × the bound", {}, undefined, terms);
    expectClose(at(-0.9), f32(5, e), "−0.9 × the bound", {}, undefined, terms);
  });

  it("fails beyond the bound, without the record, and at another element", () => {
    expect(() => expectClose(at(1.2), f32(5, e), "1.2 × the bound", {}, undefined, terms)).toThrow(
      /terms of magnitude/,
    );
    fails(() => expectClose(at(-1.2), f32(5, e), "−1.2 × the bound", {}, undefined, terms));
    fails(() => expectClose(at(0.9), f32(5, e), "no record", {}));
    fails(() =>
      expectClose(
        f32(5, e, e + 0.9 * bound),
        f32(5, e, e),
        "another element",
        {},
        undefined,
        terms,
      ),
    );
    // Terms at element 1 whose bound would cover element 0's error do not widen element 0.
    expect(TERMS_ULPS * 2 ** -24 * 1e4).toBeGreaterThan(3 * allowance(5));
    fails(() =>
      expectClose(
        f32(5 + 3 * allowance(5), e),
        f32(5, e),
        "the large element",
        {},
        undefined,
        new Map([[1, 1e4]]),
      ),
    );
  });

  it("expectFixture applies a case's terms record to its own result only", () => {
    const c: FixtureCase = {
      name: "terms",
      fn: "crossEntropyLoss",
      args: [],
      options: {},
      reference: "torch 9.9 float32 autograd",
      loss: 1,
      grads: [f32(e, e), f32(e, e)],
      terms: { loss: new Map(), grads: [new Map([[1, s]]), new Map()] },
    };
    const ok = f32(e, e + 0.9 * bound);
    expectFixture(c, { loss: 1, lossOfWithGrad: 1, grads: [ok, f32(e, e)] }, "recorded");
    fails(() =>
      expectFixture(
        c,
        { loss: 1, lossOfWithGrad: 1, grads: [f32(e, e), ok] },
        "the other gradient",
      ),
    );
    fails(() =>
      expectFixture(
        c,
        { loss: 1, lossOfWithGrad: 1, grads: [f32(e + 0.9 * bound, e), f32(e, e)] },
        "the other element",
      ),
    );
  });
});

describe("expectFixture", () => {
  const c: FixtureCase = {
    name: "a case",
    fn: "mseLoss",
    args: [],
    options: {},
    reference: "torch 9.9 float32 autograd",
    loss: 2,
    grads: [f32(1e-3, 0)],
    float32Error: { expected: "float32", loss: new Map(), grads: [new Map([[0, 1e-6]])] },
  };

  it("checks the loss, the twin's loss and every gradient, naming the reference", () => {
    expectFixture(c, { loss: 2, lossOfWithGrad: 2, grads: [f32(1e-3 - 1.9e-6, 0)] }, "ok");
    expect(() =>
      expectFixture(c, { loss: 2.1, lossOfWithGrad: 2, grads: [f32(1e-3, 0)] }, "x"),
    ).toThrow(/torch 9\.9 float32 autograd/);
    fails(() =>
      expectFixture(c, { loss: 2, lossOfWithGrad: 2.1, grads: [f32(1e-3, 0)] }, "twin's loss"),
    );
    fails(() =>
      expectFixture(
        c,
        { loss: 2, lossOfWithGrad: 2, grads: [f32(1e-3 - 3.1e-6, 0)] },
        "beyond twice",
      ),
    );
    fails(() =>
      expectFixture(
        c,
        { loss: 2, lossOfWithGrad: 2, grads: [f32(1e-3, 5 * ulp(0))] },
        "5 ulps of 0",
      ),
    );
  });
});
