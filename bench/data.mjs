// Deterministic test data: the same arrays go to every implementation (and, through files, to
// the PyTorch subprocess), so their loss values can be compared before any time is reported.

/** mulberry32: a small, fast, seedable generator of uint32 values. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const U = 1 / 4294967296;

export function uniform(n, lo, hi, seed) {
  const r = rng(seed);
  const a = new Float32Array(n);
  const w = (hi - lo) * U;
  for (let i = 0; i < n; i++) a[i] = lo + r() * w;
  return a;
}

/** Approximately normal (sum of four uniforms), mean `mu`, standard deviation `sd`. */
export function normal(n, mu, sd, seed) {
  const r = rng(seed);
  const a = new Float32Array(n);
  const k = sd * Math.sqrt(3) * U;
  for (let i = 0; i < n; i++) a[i] = mu + (r() + r() + r() + r() - 2 * 4294967296) * k;
  return a;
}

/** 0/1 labels as float32. */
export function bits(n, seed) {
  const r = rng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r() & 1;
  return a;
}

/** -1/+1 labels as float32. */
export function signs(n, seed) {
  const r = rng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r() & 1 ? 1 : -1;
  return a;
}

/** Class indices in [0, c). */
export function classes(n, c, seed) {
  const r = rng(seed);
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = r() % c;
  return a;
}

/** A checksum of a gradient that sees signs and positions: sum of g[i] * ((i % 5) - 2), in f64. */
export function gradChecksum(g) {
  let s = 0,
    a = 0;
  for (let i = 0; i < g.length; i++) {
    s += g[i] * ((i % 5) - 2);
    a += Math.abs(g[i]);
  }
  return { dot: s, abs: a };
}

/** What a call returned, reduced to what the checks compare: the loss and gradient checksums. */
export function summarise(r) {
  if (typeof r === "number") return { loss: r };
  const grads = r.grads ?? [r.grad];
  return { loss: r.loss, grads: grads.map(gradChecksum) };
}
