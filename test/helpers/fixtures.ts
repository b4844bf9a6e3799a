// Loads the PyTorch-generated fixtures (scripts/fixtures/*.py) and decodes them into the JS
// values the API takes. Encodings: see scripts/fixtures/common.py.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

export interface FixtureCase {
  name: string;
  fn: string;
  args: unknown[];
  options: Record<string, unknown>;
  loss: number | Float32Array;
  grads?: Float32Array[];
  tol?: { rtol?: number; atol?: number };
  [extra: string]: unknown;
}

export interface FixtureFile {
  generator: string;
  torch: string;
  cases: FixtureCase[];
}

/** xorshift32 uniform floats, identical to xorshift_uniform in scripts/fixtures/common.py. */
export function xorshiftUniform(seed: number, n: number, lo: number, hi: number): Float32Array {
  let x = seed >>> 0;
  const out = new Float32Array(n);
  const span = hi - lo;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = lo + span * ((x >>> 8) / 16777216);
  }
  return out;
}

const INT_TYPES: Record<string, (a: BigInt64Array) => unknown> = {
  Int32Array: (a) => Int32Array.from(a, Number),
  Uint8Array: (a) => Uint8Array.from(a, Number),
  Uint16Array: (a) => Uint16Array.from(a, Number),
  Uint32Array: (a) => Uint32Array.from(a, Number),
  Int8Array: (a) => Int8Array.from(a, Number),
  Int16Array: (a) => Int16Array.from(a, Number),
  BigInt64Array: (a) => BigInt64Array.from(a),
  "number[]": (a) => Array.from(a, Number),
  Float32Array: (a) => Float32Array.from(a, Number),
};

function bytes(b64: string): ArrayBuffer {
  const buf = Buffer.from(b64, "base64");
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

export function decode(v: unknown): unknown {
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.f32 === "string") return new Float32Array(bytes(o.f32));
    if (typeof o.i64 === "string") {
      const conv = INT_TYPES[(o.as as string) ?? "Int32Array"];
      if (!conv) throw new Error(`fixture: unknown index array type ${String(o.as)}`);
      return conv(new BigInt64Array(bytes(o.i64)));
    }
    if (Array.isArray(o.rand)) {
      const [seed, n, lo, hi] = o.rand as number[];
      return xorshiftUniform(seed, n, lo, hi);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

const cache = new Map<string, FixtureFile>();

export function loadFixtures(family: string): FixtureFile {
  let file = cache.get(family);
  if (!file) {
    const url = new URL(`../fixtures/${family}.json.gz`, import.meta.url);
    const raw = JSON.parse(gunzipSync(readFileSync(url)).toString("utf8")) as FixtureFile;
    file = { ...raw, cases: raw.cases.map((c) => decode(c) as FixtureCase) };
    cache.set(family, file);
  }
  return file;
}
