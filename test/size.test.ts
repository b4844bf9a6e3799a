// The size budget (scripts/size-budget.json) checked on the built files: the one-file browser
// bundle raw (minified) and gzipped. `npm run build -- --analyze` shows where its bytes go.
import { readFileSync } from "node:fs";
import { deflateRawSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const root = new URL("../", import.meta.url);
const budget = JSON.parse(
  readFileSync(new URL("scripts/size-budget.json", root), "utf8"),
) as Record<string, { bytes: number; gzip?: number }>;
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

describe("size budget of the built files", () => {
  for (const [file, limit] of Object.entries(budget).filter(([k]) => !k.startsWith("_"))) {
    it(`${file} is at most ${kib(limit.bytes)}${limit.gzip ? ` and ${kib(limit.gzip)} gzipped` : ""}`, () => {
      const bytes = readFileSync(new URL(`build/${file}`, root));
      expect(
        bytes.length,
        `${file}: ${kib(bytes.length)} (budget ${kib(limit.bytes)})`,
      ).toBeLessThanOrEqual(limit.bytes);
      if (limit.gzip !== undefined) {
        const gz = gzipSync(bytes, { level: 9 }).length;
        expect(gz, `${file} gzipped: ${kib(gz)} (budget ${kib(limit.gzip)})`).toBeLessThanOrEqual(
          limit.gzip,
        );
      }
    });
  }

  it("the browser bundle is minified and inlines the SIMD build (DEFLATE-compressed); the others are in the files beside it", () => {
    const read = (f: string) => readFileSync(new URL(`build/${f}`, root), "utf8");
    const wasm = (target: string) => readFileSync(new URL(`build/wasm-loss.${target}.wasm`, root));
    const base64 = (target: string) => `"${wasm(target).toString("base64")}"`;
    const deflated = (target: string) =>
      `"${deflateRawSync(wasm(target), { level: 9 }).toString("base64")}"`;
    const text = read("browser.mjs");
    expect(text.split("\n").length, "minified: a handful of lines").toBeLessThan(10);
    expect(text).not.toMatch(/\.wasm["'`]/);
    expect(text).not.toMatch(/\bfetch\(/);
    expect(text.includes(deflated("simd")), "the SIMD build inlined, deflated, as base64").toBe(
      true,
    );
    for (const target of ["scalar", "simd-threads", "scalar-threads"]) {
      expect(
        text.includes(base64(target)) || text.includes(deflated(target)),
        `the ${target} build is not in the bundle`,
      ).toBe(false);
    }
    expect(read("wasm-loss.scalar.mjs").includes(base64("scalar"))).toBe(true);
    expect(read("wasm-loss.threads.mjs").includes(base64("simd-threads"))).toBe(true);
    expect(read("wasm-loss.threads.mjs").includes(base64("scalar-threads"))).toBe(true);
  });
});
