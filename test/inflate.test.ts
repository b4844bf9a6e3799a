// src/inflate.ts decodes the deflated binaries the build inlines: round trips through Node's
// zlib on every block type (stored, fixed and dynamic Huffman) and on the real binaries.
import { readFileSync } from "node:fs";
import { deflateRawSync, constants } from "node:zlib";
import { describe, expect, it } from "vitest";
import { inflate } from "../src/inflate";

const roundTrip = (data: Uint8Array, options: object = {}) => {
  const out = inflate(deflateRawSync(data, options), data.length);
  expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
};

describe("inflate (raw DEFLATE, for the inlined binaries)", () => {
  it("round-trips both WebAssembly binaries at every level and strategy", () => {
    for (const build of ["simd", "scalar"]) {
      const wasm = readFileSync(new URL(`../build/wasm-loss.${build}.wasm`, import.meta.url));
      for (const level of [0, 1, 6, 9]) {
        for (const strategy of [constants.Z_DEFAULT_STRATEGY, constants.Z_FILTERED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE, constants.Z_FIXED]) {
          roundTrip(wasm, { level, strategy });
        }
      }
    }
  });

  it("round-trips empty, long-run, multi-block stored and random data", () => {
    roundTrip(new Uint8Array(0));
    roundTrip(new Uint8Array(200_000), { level: 9 });
    let s = 1;
    const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let t = 0; t < 40; t++) {
      const n = Math.floor(rnd() * 150_000), alphabet = 1 + Math.floor(rnd() * 255);
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = i > 10 && rnd() < 0.3 ? b[i - 1 - Math.floor(rnd() * 10)] : Math.floor(rnd() * alphabet);
      roundTrip(b, { level: t % 10 });
    }
  });
});
