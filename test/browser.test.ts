// wasm-loss in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; never a downloaded browser) loads test/browser/index.html from a local server,
// which imports the one-file bundle build/browser.mjs. A sample of every PyTorch fixture file runs
// in the page on both builds and once in a module Web Worker; the results come back to Node and
// are compared with PyTorch's values exactly as the Node suites do (test/helpers/close.ts).
/* eslint-disable @typescript-eslint/no-explicit-any -- page.evaluate callbacks read the page's untyped `harness` */
import { readdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../examples/serve.mjs";
import { encode, decode } from "./browser/cases.mjs";
import { launchChromium } from "./browser/chromium";
import { expectFixture } from "./helpers/close";
import { loadFixtures, type FixtureCase } from "./helpers/fixtures";

/** Every fixture family, sampled: PER_FN small cases spread over each function's cases, plus the
 *  family's largest case (the ~100k-element one: many SIMD blocks). */
const PER_FN = 4;
function sample(): FixtureCase[] {
  const families = readdirSync(new URL("./fixtures/", import.meta.url))
    .filter((f) => f.endsWith(".json.gz"))
    .map((f) => f.slice(0, -".json.gz".length))
    .sort();
  const size = (c: FixtureCase) =>
    ArrayBuffer.isView(c.args[0]) ? (c.args[0] as Float32Array).length : 0;
  return families.flatMap((family) => {
    const all = loadFixtures(family).cases;
    const byFn = new Map<string, FixtureCase[]>();
    for (const c of all) if (size(c) <= 5000) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);
    const picked = [...byFn.values()].flatMap((cases) => {
      const step = Math.max(1, Math.ceil(cases.length / PER_FN));
      return cases.filter((_, i) => i % step === 0);
    });
    picked.push(all.reduce((a, c) => (size(c) > size(a) ? c : a), all[0]));
    return picked.map((c) => ({ ...c, name: `${family}/${c.name}` }));
  });
}

interface PageResult {
  name: string;
  error?: string;
  loss?: number | Float32Array;
  lossOfWithGrad?: number | Float32Array;
  grads?: Float32Array[];
  unchanged?: boolean;
}

function compare(cases: FixtureCase[], encodedResults: unknown, where: string): void {
  const results = decode(encodedResults) as PageResult[];
  expect(results.length).toBe(cases.length);
  cases.forEach((c, i) => {
    const r = results[i];
    const label = `${where}: ${c.name}`;
    if (r.error) expect.fail(`${label}: threw ${r.error}`);
    expectFixture(
      c,
      { loss: r.loss!, lossOfWithGrad: r.lossOfWithGrad, grads: c.grads ? r.grads : undefined },
      label,
    );
    expect(r.unchanged, `${label}: no argument was modified`).toBe(true);
  });
}

describe("wasm-loss in headless Chromium (build/browser.mjs)", () => {
  let browser: Browser;
  let page: Page;
  let server: { url: string; close: () => Promise<void> };
  const pageErrors: string[] = [];
  const cases = sample();
  const wire = cases.map((c) =>
    encode({ name: c.name, fn: c.fn, args: c.args, options: c.options, wantGrads: !!c.grads }),
  );

  beforeAll(async () => {
    browser = await launchChromium();
    server = await serve(0);
    page = await browser.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
    await page.goto(`${server.url}/test/browser/`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 10_000 });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("the sample covers every fixture family and every function in it", () => {
    const files = readdirSync(new URL("./fixtures/", import.meta.url)).filter((f) =>
      f.endsWith(".json.gz"),
    );
    const fns = new Set(
      files.flatMap((f) => loadFixtures(f.slice(0, -".json.gz".length)).cases.map((c) => c.fn)),
    );
    expect(new Set(cases.map((c) => c.name.split("/")[0])).size).toBe(files.length);
    expect(new Set(cases.map((c) => c.fn))).toEqual(fns);
  });

  it("before init() a loss throws the not-initialised error; after a plain init() backend() is 'simd'", async () => {
    const r = await page.evaluate(async () => {
      const { api, simdValidates } = (window as any).harness;
      let error = "";
      try {
        api.mseLoss([1], [2]);
      } catch (e) {
        error = `${(e as Error).name}: ${(e as Error).message}`;
      }
      const ready = api.isReady();
      await api.init();
      return { error, ready, simdValidates, backend: api.backend(), afterInit: api.isReady() };
    });
    expect(r.error).toMatch(/^Error: mseLoss: .*call `await init\(\)`/);
    expect(r).toMatchObject({
      ready: false,
      simdValidates: true,
      backend: "simd",
      afterInit: true,
    });
  });

  for (const [build, options] of [
    ["scalar", { simd: false }],
    ["simd", { simd: true }],
  ] as const) {
    it(`the ${build} build matches PyTorch on ${cases.length} fixture cases`, async () => {
      const r = await page.evaluate(([o, w]) => (window as any).harness.run(o, w), [
        options,
        wire,
      ] as const);
      expect(r.backend).toBe(build);
      compare(cases, r.results, `page, ${build} build`);
    });
  }

  it("inside a module Web Worker (initSync), the default build is 'simd' and matches PyTorch", async () => {
    const r = await page.evaluate((w) => (window as any).harness.inWorker(w), wire);
    expect(r.error).toBeUndefined();
    expect(r.ready).toBe(false);
    expect(r.backend).toBe("simd");
    compare(cases, r.results, "worker");
  });

  it("bad input throws the documented error class and message in the page, and the module keeps working", async () => {
    const r = await page.evaluate(() => {
      const { api } = (window as any).harness;
      const caught = (f: () => unknown) => {
        try {
          f();
          return "no error";
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      };
      return {
        type: caught(() => api.mseLoss("nope", [1])),
        range: caught(() => api.mseLoss([1, 2], [1])),
        after: api.mseLoss(new Float32Array([1, 2]), new Float32Array([1, 4])),
      };
    });
    expect(r.type).toMatch(/^TypeError: mseLoss: 'input' must be .*; received/);
    expect(r.range).toMatch(/^RangeError: mseLoss: .*2.*1/);
    expect(r.after).toBe(2);
  });

  it("zero-copy views from alloc() work in the page", async () => {
    const r = await page.evaluate(() => {
      const { api } = (window as any).harness;
      const x = api.alloc(5),
        y = api.alloc(5);
      x.set([1, 2, 3, 4, 5]);
      y.set([1, 1, 1, 1, 1]);
      const v = api.mseLoss(x, y, { reduction: "sum" });
      api.free(x);
      api.free(y);
      return v;
    });
    expect(r).toBe(30);
  });

  it("the page logged no errors", () => {
    expect(pageErrors).toEqual([]);
  });
});

// Threads need shared memory, which a page has only when cross-origin isolated. The same page,
// served with and without the isolation headers; the bundle loads its threaded build (a file
// beside it) and starts its workers from a Blob, with nothing else to serve.
describe("threads in headless Chromium", () => {
  let browser: Browser;
  const servers: Array<{ url: string; close: () => Promise<void> }> = [];
  const cases = sample().filter((_, i) => i % 2 === 0);
  const wire = cases.map((c) =>
    encode({ name: c.name, fn: c.fn, args: c.args, options: c.options, wantGrads: !!c.grads }),
  );

  beforeAll(async () => {
    browser = await launchChromium();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
  });

  async function openPage(
    isolated: boolean,
  ): Promise<{ page: Page; errors: string[]; warnings: string[] }> {
    const server = await serve(0, { isolated });
    servers.push(server);
    const page = await browser.newPage();
    const errors: string[] = [],
      warnings: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) =>
      (m.type() === "error" ? errors : m.type() === "warning" ? warnings : []).push(m.text()),
    );
    await page.goto(`${server.url}/test/browser/`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 10_000 });
    return { page, errors, warnings };
  }

  it(`a cross-origin-isolated page runs ${cases.length} fixture cases on 2 threads and matches PyTorch`, async () => {
    const { page, errors } = await openPage(true);
    const r = await page.evaluate(
      (w) => (window as any).harness.run({ simd: true, threads: 2 }, w),
      wire,
    );
    expect(r).toMatchObject({ isolated: true, threads: 2, backend: "simd" });
    compare(cases, r.results, "isolated page, 2 threads");
    expect(errors).toEqual([]);
  });

  it("the same page without the isolation headers falls back to 1 thread, says so once, and still matches PyTorch", async () => {
    const { page, errors, warnings } = await openPage(false);
    const r = await page.evaluate(
      (w) => (window as any).harness.run({ simd: true, threads: 2 }, w),
      wire,
    );
    expect(r).toMatchObject({ isolated: false, threads: 1, backend: "simd" });
    compare(cases, r.results, "page without isolation");
    await page.evaluate(() => (window as any).harness.api.init({ threads: 4 }));
    expect(warnings.filter((w) => /wasm-loss: using 1 thread instead of/.test(w))).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
