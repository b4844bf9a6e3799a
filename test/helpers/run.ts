// Runs every case of a fixture file through the API on both builds: the loss alone, then the
// fused …WithGrad twin, checking values, gradients, and that no caller array was changed.
import { afterAll, beforeAll, describe, it } from "vitest";
import { setPieceSizeForTests } from "../../src/dispatch";
import * as api from "../../src/index";
import { expectFixture } from "./close";
import { loadFixtures, type FixtureCase } from "./fixtures";

export const BACKENDS = ["simd", "scalar"] as const;
export type BackendName = (typeof BACKENDS)[number];

/** A way to run the suites: a build, a thread count, and (for threads) pieces small enough that
 *  even small calls are cut into many and run on every thread. */
interface Variant {
  backend: BackendName;
  threads: number;
  pieces?: number;
}
const BUILDS: Variant[] = BACKENDS.map((backend) => ({ backend, threads: 1 }));
/** Both builds on the pool too (odd and even splits): the fixture suites run on these as well. */
const THREADED: Variant[] = [
  { backend: "simd", threads: 2, pieces: 64 },
  { backend: "scalar", threads: 3, pieces: 64 },
];

const label = (v: Variant) =>
  `${v.backend} build${v.threads > 1 ? `, ${v.threads} threads, pieces of ${v.pieces} elements` : ""}`;

/** Declares the suites of `body` once per variant (by default each build on one thread). */
export function forEachBackend(
  body: (backend: BackendName) => void,
  variants: Variant[] = BUILDS,
): void {
  for (const v of variants) {
    describe(label(v), () => {
      beforeAll(async () => {
        await api.init({ simd: v.backend === "simd", threads: v.threads });
        setPieceSizeForTests(v.pieces);
      });
      afterAll(async () => {
        setPieceSizeForTests(undefined);
        await api.init({ threads: 1 });
      });
      body(v.backend);
    });
  }
}

function snapshot(values: unknown[]): unknown[] {
  return values.map((v) =>
    ArrayBuffer.isView(v) ? (v as Float32Array).slice() : Array.isArray(v) ? [...v] : v,
  );
}

function expectUnchanged(before: unknown[], after: unknown[], label: string): void {
  after.forEach((v, i) => {
    const b = before[i];
    if (ArrayBuffer.isView(v) || Array.isArray(v)) {
      const x = v as ArrayLike<number | bigint>,
        y = b as ArrayLike<number | bigint>;
      for (let j = 0; j < x.length; j++) {
        if (!Object.is(x[j], y[j]))
          throw new Error(`${label}: argument ${i} was modified at index ${j}`);
      }
    }
  });
}

type AnyFn = (...args: unknown[]) => unknown;

export function checkCase(c: FixtureCase): void {
  const fn = (api as unknown as Record<string, AnyFn>)[c.fn];
  const fnGrad = (api as unknown as Record<string, AnyFn>)[`${c.fn}WithGrad`];
  if (!fn) throw new Error(`fixture names unknown function ${c.fn}`);
  const { gradOutput, ...plain } = c.options;
  const inputs = [...c.args, ...Object.values(c.options)];
  const before = snapshot(inputs);

  const loss = fn(...c.args, plain) as number | Float32Array;
  if (c.grads && fnGrad) {
    const r = fnGrad(...c.args, gradOutput === undefined ? plain : c.options) as {
      loss: number | Float32Array;
      grad?: Float32Array;
      grads?: Float32Array[];
    };
    expectFixture(c, { loss, lossOfWithGrad: r.loss, grads: r.grads ?? [r.grad!] }, c.name);
  } else {
    expectFixture(c, { loss }, c.name);
  }
  expectUnchanged(before, inputs, c.name);
}

/** One `it` per fixture case (grouped by function), on both builds. */
export function fixtureSuite(
  family: string,
  filter: (c: FixtureCase) => boolean = () => true,
): void {
  const file = loadFixtures(family);
  forEachBackend(() => {
    describe(`${family} vs PyTorch ${file.torch} (${file.generator})`, () => {
      for (const c of file.cases.filter(filter)) it(c.name, () => checkCase(c));
    });
  }, [...BUILDS, ...THREADED]);
}
