// Loads the PyTorch-generated fixtures (scripts/fixtures/*.py) and decodes them into the JS
// values the API takes. Encodings: see scripts/fixtures/common.py.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** A case's own tolerance, widening the strict rule, always with the generator's reason. */
export interface Tolerance {
  rtol?: number;
  atol?: number;
  why?: string;
}

/** PyTorch's float32 error (its float32 answer minus the float64 one) at the elements where it
 *  exceeds the strict tolerance, by element index (a reduced loss is element 0). `expected` says
 *  which of the two answers the case's values are: the other is the value minus or plus the error. */
export interface Float32Error {
  expected: "float32" | "float64";
  loss: Map<number, number>;
  grads: Map<number, number>[];
}

/** The float64 magnitude of the terms that meet at an element (summed absolute values), at the
 *  elements where the result is a difference of terms so much larger than itself that float32
 *  cannot be exact relative to it, by element index (a reduced loss is element 0). */
export interface Terms {
  loss: Map<number, number>;
  grads: Map<number, number>[];
}

export interface FixtureCase {
  name: string;
  fn: string;
  args: unknown[];
  options: Record<string, unknown>;
  loss: number | Float32Array;
  grads?: Float32Array[];
  /** What the expected values are, in the generator's words ("torch 1.13.0a0 float32 autograd"...). */
  reference: string;
  tol?: Tolerance;
  float32Error?: Float32Error;
  terms?: Terms;
  /** Why a float64 reference carries no float32 record: the case must meet the strict rule. */
  strict?: string;
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
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
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

type Pairs = [number, number][];

/** A generator's sparse record ({"expected": …, "loss": [[i, error], …], "grads": [[[i, error], …], …]}) as maps. */
function float32Error(c: Record<string, unknown>): Float32Error | undefined {
  const r = c.float32Error as
    { expected: "float32" | "float64"; loss: Pairs; grads?: Pairs[] } | undefined;
  if (!r) return undefined;
  if (r.expected !== "float32" && r.expected !== "float64")
    throw new Error(`fixture ${String(c.name)}: float32Error.expected ${r.expected}`);
  return {
    expected: r.expected,
    loss: new Map(r.loss),
    grads: (r.grads ?? []).map((g) => new Map(g)),
  };
}

/** The generator's sparse terms record ({"loss": [[i, s], …], "grads": [[[i, s], …], …]}) as maps. */
function terms(c: Record<string, unknown>): Terms | undefined {
  const r = c.terms as { loss: Pairs; grads?: Pairs[] } | undefined;
  if (!r) return undefined;
  return { loss: new Map(r.loss), grads: (r.grads ?? []).map((g) => new Map(g)) };
}

const cache = new Map<string, FixtureFile>();

export function loadFixtures(family: string): FixtureFile {
  let file = cache.get(family);
  if (!file) {
    const url = new URL(`../fixtures/${family}.json.gz`, import.meta.url);
    const raw = JSON.parse(gunzipSync(readFileSync(url)).toString("utf8")) as FixtureFile;
    file = {
      ...raw,
      cases: raw.cases.map((c) => ({
        ...(decode(c) as FixtureCase),
        float32Error: float32Error(c),
        terms: terms(c),
      })),
    };
    cache.set(family, file);
  }
  return file;
}
