// The size budget (scripts/size-budget.json) checked on the built files: the one-file browser
// bundle raw (minified) and gzipped. `npm run build -- --analyze` shows where its bytes go.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const root = new URL("../", import.meta.url);
const budget = JSON.parse(readFileSync(new URL("scripts/size-budget.json", root), "utf8")) as Record<
  string,
  { bytes: number; gzip?: number }
>;
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

describe("size budget of the built files", () => {
  for (const [file, limit] of Object.entries(budget).filter(([k]) => !k.startsWith("_"))) {
    it(`${file} is at most ${kib(limit.bytes)}${limit.gzip ? ` and ${kib(limit.gzip)} gzipped` : ""}`, () => {
      const bytes = readFileSync(new URL(`build/${file}`, root));
      expect(bytes.length, `${file}: ${kib(bytes.length)} (budget ${kib(limit.bytes)})`).toBeLessThanOrEqual(limit.bytes);
      if (limit.gzip !== undefined) {
        const gz = gzipSync(bytes, { level: 9 }).length;
        expect(gz, `${file} gzipped: ${kib(gz)} (budget ${kib(limit.gzip)})`).toBeLessThanOrEqual(limit.gzip);
      }
    });
  }

  it("the browser bundle is minified and inlines both binaries (no .wasm fetched at run time)", () => {
    const text = readFileSync(new URL("build/browser.mjs", root), "utf8");
    expect(text.split("\n").length, "minified: a handful of lines").toBeLessThan(10);
    expect(text).not.toMatch(/\.wasm["'`]/);
    expect(text).not.toMatch(/\bfetch\(/);
    for (const target of ["simd", "scalar"]) {
      const base64 = readFileSync(new URL(`build/wasm-loss.${target}.wasm`, root)).toString("base64");
      expect(text.includes(`"${base64}"`), `build/wasm-loss.${target}.wasm inlined as base64`).toBe(true);
    }
  });
});
