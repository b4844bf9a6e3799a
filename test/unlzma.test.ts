// src/unlzma.ts decodes the LZMA stream of both binaries that the build inlines: round trips
// through xz (the build's encoder, same stream parameters) on the real binaries and on data
// that exercises every kind of packet (literals, matched literals, matches, short and long
// repeats, long distances with direct bits).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { unlzma } from "../src/unlzma";

const xz = (data: Uint8Array, preset: string) =>
  execFileSync("xz", ["--format=raw", `--lzma1=preset=${preset},lc=3,lp=0,pb=0`, "--stdout"], { input: data, maxBuffer: 1 << 28 });
const roundTrip = (data: Uint8Array, preset = "9e") => {
  const out = unlzma(xz(data, preset), data.length);
  expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
};

describe("unlzma (raw LZMA, for the inlined binaries)", () => {
  it("round-trips both WebAssembly binaries, alone and together, at several presets", () => {
    const simd = readFileSync(new URL("../build/wasm-loss.simd.wasm", import.meta.url));
    const scalar = readFileSync(new URL("../build/wasm-loss.scalar.wasm", import.meta.url));
    for (const preset of ["0", "6", "9e"]) {
      roundTrip(simd, preset);
      roundTrip(scalar, preset);
      roundTrip(Buffer.concat([scalar, simd]), preset);
    }
  });

  it("round-trips empty, long-run, far-repeating and random data", () => {
    roundTrip(new Uint8Array(0));
    roundTrip(new Uint8Array(200_000));
    let s = 1;
    const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let t = 0; t < 30; t++) {
      const n = Math.floor(rnd() * 150_000), alphabet = 1 + Math.floor(rnd() * 255);
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const back = rnd() < 0.1 ? Math.floor(rnd() * 100_000) : Math.floor(rnd() * 10);
        b[i] = i > back && rnd() < 0.3 ? b[i - 1 - back] : Math.floor(rnd() * alphabet);
      }
      roundTrip(b, t % 3 === 0 ? "1" : "9e");
    }
  });
});
