// Runs fixture cases against the wasm-loss API inside a page or a worker. Cases arrive from the
// Node test encoded as JSON-safe values (typed arrays as base64, special numbers as strings);
// results go back the same way and are compared with PyTorch's values in Node (test/helpers/close.ts).

const TYPED = {
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
  BigInt64Array,
};

function toBase64(view) {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64, Type) {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return new Type(bytes.buffer);
}

export function encode(v) {
  if (typeof v === "number") return Number.isFinite(v) ? v : { $n: String(v) };
  if (ArrayBuffer.isView(v)) return { $t: v.constructor.name, b64: toBase64(v) };
  if (Array.isArray(v)) return v.map(encode);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v;
}

export function decode(v) {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    if (typeof v.$n === "string") return Number(v.$n);
    if (typeof v.$t === "string") return fromBase64(v.b64, TYPED[v.$t]);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

const copy = (v) => (ArrayBuffer.isView(v) ? v.slice() : Array.isArray(v) ? [...v] : v);
const same = (a, b) => {
  if (!(ArrayBuffer.isView(a) || Array.isArray(a))) return true;
  for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) return false;
  return true;
};

/** Like checkCase in test/helpers/run.ts: the loss alone, then the …WithGrad twin. */
export function runCase(api, c) {
  try {
    const { gradOutput, ...plain } = c.options;
    const inputs = [...c.args, ...Object.values(c.options)];
    const before = inputs.map(copy);
    const out = { name: c.name, loss: api[c.fn](...c.args, plain) };
    const withGrad = api[`${c.fn}WithGrad`];
    if (c.wantGrads && withGrad) {
      const r = withGrad(...c.args, gradOutput === undefined ? plain : c.options);
      out.lossOfWithGrad = r.loss;
      out.grads = r.grads ?? [r.grad];
    }
    out.unchanged = inputs.every((v, i) => same(v, before[i]));
    return out;
  } catch (e) {
    return { name: c.name, error: `${e?.name}: ${e?.message}` };
  }
}

/** Decodes `encoded` cases, runs them all, and returns the encoded results. */
export function runAll(api, encoded) {
  return decode(encoded).map((c) => encode(runCase(api, c)));
}
