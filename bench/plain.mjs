// The plain-JavaScript peer: what a careful programmer writes without WebAssembly. Stable
// formulas, one monomorphic function per loss over Float32Arrays, float64 accumulation (a JS
// number), loss and gradient in one loop, a fresh Float32Array for the gradient (like the API).

export function l1(x, y) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(x[i] - y[i]);
  return Math.fround(s / n);
}

export function l1Grad(x, y) {
  const n = x.length;
  const g = new Float32Array(n);
  const k = 1 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - y[i];
    s += Math.abs(d);
    g[i] = Math.sign(d) * k; // no data-dependent branch (random signs would mispredict)
  }
  return { loss: Math.fround(s / n), grad: g };
}

export function mse(x, y) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) { const d = x[i] - y[i]; s += d * d; }
  return Math.fround(s / n);
}

export function mseGrad(x, y) {
  const n = x.length;
  const g = new Float32Array(n);
  const k = 2 / n;
  let s = 0;
  for (let i = 0; i < n; i++) { const d = x[i] - y[i]; s += d * d; g[i] = d * k; }
  return { loss: Math.fround(s / n), grad: g };
}

// max(x, 0) - x y + log1p(exp(-|x|)); gradient (sigmoid(x) - y) / n with one exp per element.
export function bceWithLogits(x, y) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    s += (v > 0 ? v : 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v)));
  }
  return Math.fround(s / n);
}

export function bceWithLogitsGrad(x, y) {
  const n = x.length;
  const g = new Float32Array(n);
  const k = 1 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i], t = y[i];
    const e = Math.exp(-Math.abs(v));
    const inv = 1 / (1 + e);
    s += (v > 0 ? v : 0) - v * t + Math.log1p(e);
    g[i] = ((v >= 0 ? inv : e * inv) - t) * k;
  }
  return { loss: Math.fround(s / n), grad: g };
}

// Rows of c logits: loss = logsumexp(row) - row[target]; gradient (softmax - onehot) / rows.
export function crossEntropy(x, t, c) {
  const rows = t.length;
  let s = 0;
  for (let r = 0, o = 0; r < rows; r++, o += c) {
    let m = -Infinity;
    for (let j = 0; j < c; j++) { const v = x[o + j]; if (v > m) m = v; }
    let z = 0;
    for (let j = 0; j < c; j++) z += Math.exp(x[o + j] - m);
    s += m + Math.log(z) - x[o + t[r]];
  }
  return Math.fround(s / rows);
}

export function crossEntropyGrad(x, t, c) {
  const rows = t.length;
  const g = new Float32Array(x.length);
  const k = 1 / rows;
  let s = 0;
  for (let r = 0, o = 0; r < rows; r++, o += c) {
    let m = -Infinity;
    for (let j = 0; j < c; j++) { const v = x[o + j]; if (v > m) m = v; }
    let z = 0;
    for (let j = 0; j < c; j++) { const e = Math.exp(x[o + j] - m); g[o + j] = e; z += e; }
    s += m + Math.log(z) - x[o + t[r]];
    const q = k / z;
    for (let j = 0; j < c; j++) g[o + j] *= q;
    g[o + t[r]] -= k;
  }
  return { loss: Math.fround(s / rows), grad: g };
}

/** Calls every function on small odd sizes first so that V8 optimises them before timing. */
export function warm() {
  for (const n of [1, 3, 17, 1023, 4099]) {
    const x = new Float32Array(n).map((_, i) => Math.sin(i) * 3);
    const y = new Float32Array(n).map((_, i) => (i & 1));
    for (let k = 0; k < 200; k++) {
      l1(x, y); l1Grad(x, y); mse(x, y); mseGrad(x, y); bceWithLogits(x, y); bceWithLogitsGrad(x, y);
    }
  }
  for (const [rows, c] of [[3, 7], [17, 10], [5, 1000], [101, 10]]) {
    const x = new Float32Array(rows * c).map((_, i) => Math.cos(i) * 4);
    const t = new Int32Array(rows).map((_, i) => (i * 7) % c);
    for (let k = 0; k < 100; k++) { crossEntropy(x, t, c); crossEntropyGrad(x, t, c); }
  }
}
