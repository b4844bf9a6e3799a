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
  for (let i = 0; i < n; i++) {
    const d = x[i] - y[i];
    s += d * d;
  }
  return Math.fround(s / n);
}

export function mseGrad(x, y) {
  const n = x.length;
  const g = new Float32Array(n);
  const k = 2 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - y[i];
    s += d * d;
    g[i] = d * k;
  }
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
    const v = x[i],
      t = y[i];
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
    for (let j = 0; j < c; j++) {
      const v = x[o + j];
      if (v > m) m = v;
    }
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
    for (let j = 0; j < c; j++) {
      const v = x[o + j];
      if (v > m) m = v;
    }
    let z = 0;
    for (let j = 0; j < c; j++) {
      const e = Math.exp(x[o + j] - m);
      g[o + j] = e;
      z += e;
    }
    s += m + Math.log(z) - x[o + t[r]];
    const q = k / z;
    for (let j = 0; j < c; j++) g[o + j] *= q;
    g[o + t[r]] -= k;
  }
  return { loss: Math.fround(s / rows), grad: g };
}

// ---- the rest of the catalogue (second table), with the options its workloads use -------------
// Each: the loss alone (reduction "mean") and loss + gradient(s) in one pass. Row losses take
// the row length; they share the small helpers below.

/** softplus(z) = log(1 + e^z), stable for any z. */
const softplus = (z) => (z > 0 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)));
const LOG_FLOOR = -100; // PyTorch's clamp of each log in binary_cross_entropy

// Huber (delta) and SmoothL1 (beta): c = min(|d|, delta); loss c (|d| - c/2) [/ beta]; gradient
// clamp(d, ±delta) [/ beta]. min and clamp written with abs (exact here, and no data-dependent
// branch: Math.min/max and ternaries branch, and random data would mispredict).
const minAbs = (a, m) => 0.5 * (a + m - Math.abs(a - m)); // min(a, m)
const clampAbs = (d, m) => 0.5 * (Math.abs(d + m) - Math.abs(d - m)); // clamp(d, -m, m)
const relu = (z) => 0.5 * (z + Math.abs(z)); // max(z, 0)

export function huber(x, y, delta = 1) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i] - y[i]),
      c = minAbs(a, delta);
    s += c * (a - 0.5 * c);
  }
  return Math.fround(s / n);
}

export function huberGrad(x, y, delta = 1) {
  const n = x.length,
    g = new Float32Array(n),
    k = 1 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - y[i],
      a = Math.abs(d),
      c = minAbs(a, delta);
    s += c * (a - 0.5 * c);
    g[i] = clampAbs(d, delta) * k;
  }
  return { loss: Math.fround(s / n), grad: g };
}

export function smoothL1(x, y, beta = 1) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i] - y[i]),
      c = minAbs(a, beta);
    s += c * (a - 0.5 * c);
  }
  return Math.fround(s / beta / n);
}

export function smoothL1Grad(x, y, beta = 1) {
  const n = x.length,
    g = new Float32Array(n),
    k = 1 / (n * beta);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - y[i],
      a = Math.abs(d),
      c = minAbs(a, beta);
    s += c * (a - 0.5 * c);
    g[i] = clampAbs(d, beta) * k;
  }
  return { loss: Math.fround(s / beta / n), grad: g };
}

// BCE on probabilities: -(y max(log x, -100) + (1-y) max(log(1-x), -100)); gradient
// (x - y) / max((1 - x) x, 1e-12) / n (not zeroed under the clamp, as PyTorch).
export function bce(x, y) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = x[i],
      t = y[i];
    s -= t * Math.max(Math.log(p), LOG_FLOOR) + (1 - t) * Math.max(Math.log1p(-p), LOG_FLOOR);
  }
  return Math.fround(s / n);
}

export function bceGrad(x, y) {
  const n = x.length,
    g = new Float32Array(n),
    k = 1 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = x[i],
      t = y[i];
    s -= t * Math.max(Math.log(p), LOG_FLOOR) + (1 - t) * Math.max(Math.log1p(-p), LOG_FLOOR);
    g[i] = ((p - t) / Math.max((1 - p) * p, 1e-12)) * k;
  }
  return { loss: Math.fround(s / n), grad: g };
}

// NLL over rows of c log-probabilities: -mean x[row, target].
export function nll(x, t, c) {
  const rows = t.length;
  let s = 0;
  for (let r = 0; r < rows; r++) s -= x[r * c + t[r]];
  return Math.fround(s / rows);
}

export function nllGrad(x, t, c) {
  const rows = t.length,
    g = new Float32Array(x.length),
    k = 1 / rows;
  let s = 0;
  for (let r = 0; r < rows; r++) {
    const j = r * c + t[r];
    s -= x[j];
    g[j] = -k;
  }
  return { loss: Math.fround(s / rows), grad: g };
}

// KL divergence (input log-probabilities, target probabilities), elementwise mean:
// xlogy(t, t) - t x (t = 0 adds 0); gradient -t / n.
export function klDiv(x, y) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = y[i];
    s += (t > 0 ? t * Math.log(t) : 0) - t * x[i];
  }
  return Math.fround(s / n);
}

export function klDivGrad(x, y) {
  const n = x.length,
    g = new Float32Array(n),
    k = -1 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = y[i];
    s += (t > 0 ? t * Math.log(t) : 0) - t * x[i];
    g[i] = t * k;
  }
  return { loss: Math.fround(s / n), grad: g };
}

// Poisson NLL with log input, full = false: exp(x) - y x; gradient (exp(x) - y) / n.
export function poissonNll(x, y) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    s += Math.exp(v) - y[i] * v;
  }
  return Math.fround(s / n);
}

export function poissonNllGrad(x, y) {
  const n = x.length,
    g = new Float32Array(n),
    k = 1 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i],
      e = Math.exp(v),
      t = y[i];
    s += e - t * v;
    g[i] = (e - t) * k;
  }
  return { loss: Math.fround(s / n), grad: g };
}

// Gaussian NLL, full = false: ½ (log v + d² / v), v = max(var, eps) (the clamp passes the
// gradient); grads [d/dx = d / v, d/dvar = ½ (1/v - d²/v²)], each / n.
export function gaussianNll(x, y, variance, eps = 1e-6) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.max(variance[i], eps),
      d = x[i] - y[i];
    s += Math.log(v) + (d * d) / v;
  }
  return Math.fround((0.5 * s) / n);
}

export function gaussianNllGrad(x, y, variance, eps = 1e-6) {
  const n = x.length,
    gx = new Float32Array(n),
    gv = new Float32Array(n),
    k = 1 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.max(variance[i], eps),
      d = x[i] - y[i],
      iv = 1 / v,
      q = d * iv;
    s += Math.log(v) + d * q;
    gx[i] = q * k;
    gv[i] = 0.5 * (iv - q * q) * k;
  }
  return { loss: Math.fround((0.5 * s) / n), grads: [gx, gv] };
}

// Soft margin: softplus(-y x); gradient -y sigmoid(-y x) / n (one exp per element).
export function softMargin(x, y) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += softplus(-y[i] * x[i]);
  return Math.fround(s / n);
}

export function softMarginGrad(x, y) {
  const n = x.length,
    g = new Float32Array(n),
    k = 1 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = y[i],
      z = -t * x[i],
      e = Math.exp(-Math.abs(z)),
      inv = 1 / (1 + e);
    s += (z > 0 ? z : 0) + Math.log1p(e);
    g[i] = -t * (z >= 0 ? inv : e * inv) * k;
  }
  return { loss: Math.fround(s / n), grad: g };
}

// Multi-label soft margin over rows of c: the row sum of y·softplus(-x) + (1-y)·softplus(x)
// = softplus(x) - y x, divided by c, then the mean over rows: one flat loop / (rows c).
export function multiLabelSoftMargin(x, y, c) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    s += softplus(v) - y[i] * v;
  }
  return Math.fround(s / c / (n / c));
}

export function multiLabelSoftMarginGrad(x, y, c) {
  const n = x.length,
    g = new Float32Array(n),
    k = 1 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i],
      t = y[i],
      e = Math.exp(-Math.abs(v)),
      inv = 1 / (1 + e);
    s += (v > 0 ? v : 0) + Math.log1p(e) - t * v;
    g[i] = ((v >= 0 ? inv : e * inv) - t) * k;
  }
  return { loss: Math.fround(s / c / (n / c)), grad: g };
}

// Hinge embedding, targets ±1 (the API's domain): y = 1: x, y = -1: max(0, margin - x), written
// branch-free as p x + q relu(margin - x), p = (1 + y)/2, q = (1 - y)/2; the clamp's gradient is
// -1 where margin - x >= 0 (clamp_min).
export function hingeEmbedding(x, y, margin = 1) {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i],
      t = y[i];
    s += 0.5 * ((1 + t) * v + (1 - t) * relu(margin - v));
  }
  return Math.fround(s / n);
}

export function hingeEmbeddingGrad(x, y, margin = 1) {
  const n = x.length,
    g = new Float32Array(n),
    k = 0.5 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i],
      t = y[i],
      h = margin - v;
    s += (1 + t) * v + (1 - t) * relu(h);
    g[i] = (1 + t - (1 - t) * +(h >= 0)) * k;
  }
  return { loss: Math.fround((0.5 * s) / n), grad: g };
}

// Multi-class margin (p = 1, no weight) over rows of c: Σ_{i≠y} max(0, margin - x[y] + x[i]) / c,
// mean over rows; gradient where the argument > 0.
export function multiMargin(x, t, c, margin = 1) {
  const rows = t.length;
  let s = 0;
  for (let r = 0, o = 0; r < rows; r++, o += c) {
    const y = t[r],
      b = margin - x[o + y];
    for (let j = 0; j < c; j++) if (j !== y) s += Math.max(b + x[o + j], 0);
  }
  return Math.fround(s / c / rows);
}

export function multiMarginGrad(x, t, c, margin = 1) {
  const rows = t.length,
    g = new Float32Array(x.length),
    k = 1 / (c * rows);
  let s = 0;
  for (let r = 0, o = 0; r < rows; r++, o += c) {
    const y = t[r],
      b = margin - x[o + y];
    let active = 0;
    for (let j = 0; j < c; j++) {
      const z = b + x[o + j];
      if (j !== y && z > 0) {
        s += z;
        g[o + j] = k;
        active++;
      }
    }
    g[o + y] = -active * k;
  }
  return { loss: Math.fround(s / c / rows), grad: g };
}

// Multi-label margin over rows of c: targets until the first -1 (a class listed twice counts
// twice); Σ_{j listed} Σ_{i not a target} max(0, 1 - x[j] + x[i]) / c, mean over rows.
function multiLabelMarginRows(x, t, c, g) {
  const rows = x.length / c,
    k = 1 / (c * rows),
    is = new Uint8Array(c);
  let s = 0;
  for (let r = 0, o = 0; r < rows; r++, o += c) {
    is.fill(0);
    for (let j = 0; j < c && t[o + j] >= 0; j++) is[t[o + j]] = 1;
    for (let j = 0; j < c && t[o + j] >= 0; j++) {
      const y = o + t[o + j],
        b = 1 - x[y];
      for (let i = 0; i < c; i++) {
        const z = b + x[o + i];
        if (is[i] === 0 && z > 0) {
          s += z;
          if (g !== null) {
            g[o + i] += k;
            g[y] -= k;
          }
        }
      }
    }
  }
  return Math.fround(s / c / rows);
}

export const multiLabelMargin = (x, t, c) => multiLabelMarginRows(x, t, c, null);
export function multiLabelMarginGrad(x, t, c) {
  const g = new Float32Array(x.length);
  return { loss: multiLabelMarginRows(x, t, c, g), grad: g };
}

// Margin ranking: max(0, -y (a - b) + margin); gradients ∓y / n where the argument >= 0 (branch-free).
export function marginRanking(a, b, y, margin = 0) {
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += relu(margin - y[i] * (a[i] - b[i]));
  return Math.fround(s / n);
}

export function marginRankingGrad(a, b, y, margin = 0) {
  const n = a.length,
    ga = new Float32Array(n),
    gb = new Float32Array(n),
    k = 1 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = y[i],
      z = margin - t * (a[i] - b[i]),
      w = t * k * +(z >= 0);
    s += relu(z);
    ga[i] = -w;
    gb[i] = w;
  }
  return { loss: Math.fround(s / n), grads: [ga, gb] };
}

// Cosine embedding over rows of dim: cos = a·b / sqrt((|a|² + 1e-12)(|b|² + 1e-12));
// y = 1: 1 - cos, y = -1: max(0, cos - margin). d cos/da = b/den - cos a/|a|², likewise b.
function cosineRows(a, b, y, dim, ga, gb, margin) {
  const rows = y.length,
    k = 1 / rows;
  let s = 0;
  for (let r = 0, o = 0; r < rows; r++, o += dim) {
    let ab = 0,
      aa = 0,
      bb = 0;
    for (let j = o; j < o + dim; j++) {
      const u = a[j],
        v = b[j];
      ab += u * v;
      aa += u * u;
      bb += v * v;
    }
    aa += 1e-12;
    bb += 1e-12;
    const den = Math.sqrt(aa * bb),
      cos = ab / den,
      t = y[r];
    const dl = t === 1 ? -1 : t === -1 && cos - margin >= 0 ? 1 : 0; // d loss / d cos
    s += t === 1 ? 1 - cos : t === -1 ? Math.max(cos - margin, 0) : 0;
    if (ga !== null && dl !== 0) {
      const w = (dl * k) / den,
        ca = (dl * k * cos) / aa,
        cb = (dl * k * cos) / bb;
      for (let j = o; j < o + dim; j++) {
        const u = a[j],
          v = b[j];
        ga[j] = w * v - ca * u;
        gb[j] = w * u - cb * v;
      }
    }
  }
  return Math.fround(s / rows);
}

export const cosineEmbedding = (a, b, y, dim, margin = 0) =>
  cosineRows(a, b, y, dim, null, null, margin);
export function cosineEmbeddingGrad(a, b, y, dim, margin = 0) {
  const ga = new Float32Array(a.length),
    gb = new Float32Array(b.length);
  return { loss: cosineRows(a, b, y, dim, ga, gb, margin), grads: [ga, gb] };
}

// Triplet margin (p = 2, swap = false) over rows of dim: max(0, ‖a - p + eps‖ - ‖a - n + eps‖ + margin);
// where the argument >= 0: dP = -(a - p + eps)/‖·‖, dN = (a - n + eps)/‖·‖, dA = -(dP + dN).
function tripletRows(a, p, q, dim, ga, gp, gq, margin, eps) {
  const rows = a.length / dim,
    k = 1 / rows;
  let s = 0;
  for (let o = 0; o < a.length; o += dim) {
    let dp = 0,
      dn = 0;
    for (let j = o; j < o + dim; j++) {
      const u = a[j] - p[j] + eps,
        v = a[j] - q[j] + eps;
      dp += u * u;
      dn += v * v;
    }
    dp = Math.sqrt(dp);
    dn = Math.sqrt(dn);
    const z = dp - dn + margin;
    s += Math.max(z, 0);
    if (ga !== null && z >= 0) {
      const wp = k / dp,
        wn = k / dn;
      for (let j = o; j < o + dim; j++) {
        const u = (a[j] - p[j] + eps) * wp,
          v = (a[j] - q[j] + eps) * wn;
        ga[j] = u - v;
        gp[j] = -u;
        gq[j] = v;
      }
    }
  }
  return Math.fround(s / rows);
}

export const tripletMargin = (a, p, q, dim, margin = 1, eps = 1e-6) =>
  tripletRows(a, p, q, dim, null, null, null, margin, eps);
export function tripletMarginGrad(a, p, q, dim, margin = 1, eps = 1e-6) {
  const ga = new Float32Array(a.length),
    gp = new Float32Array(p.length),
    gq = new Float32Array(q.length);
  return { loss: tripletRows(a, p, q, dim, ga, gp, gq, margin, eps), grads: [ga, gp, gq] };
}

// CTC (blank 0, padded targets [N, S], reduction "mean": loss / max(targetLength, 1), batch mean),
// log-space alpha (and beta for the gradient), O(T·S) per sample, never log(0) in arithmetic.
// Gradient as PyTorch's: exp(lp) - Σ_{s: l'(s) = c} exp(α_t(s) + β_t(s) - lp[t, c] + nll).
const lse = (a, b) => {
  const m = a > b ? a : b;
  return m === -Infinity ? m : m + Math.log1p(Math.exp(-Math.abs(a - b)));
};

function ctcRows(lp, tg, il, tl, T, N, C, g) {
  const S = tg.length / N,
    L = 2 * S + 1;
  const al = new Float64Array(T * L),
    be = g !== null ? new Float64Array(T * L) : null,
    post = new Float64Array(C);
  const lab = new Int32Array(L);
  let total = 0;
  for (let b = 0; b < N; b++) {
    const Tb = il[b],
      Lb = 2 * tl[b] + 1;
    for (let s = 0; s < Lb; s++) lab[s] = s & 1 ? tg[b * S + (s >> 1)] : 0;
    const at = (t, c) => lp[(t * N + b) * C + c];
    // alpha
    for (let s = 0; s < Lb; s++) al[s] = s < 2 ? at(0, lab[s]) : -Infinity;
    for (let t = 1; t < Tb; t++) {
      const o = t * L,
        p = o - L;
      for (let s = 0; s < Lb; s++) {
        let v = al[p + s];
        if (s > 0) v = lse(v, al[p + s - 1]);
        if (s > 1 && s & 1 && lab[s] !== lab[s - 2]) v = lse(v, al[p + s - 2]);
        al[o + s] = v + at(t, lab[s]);
      }
    }
    const e = (Tb - 1) * L;
    const nll =
      Tb > 0
        ? -lse(al[e + Lb - 1], Lb > 1 ? al[e + Lb - 2] : -Infinity)
        : tl[b] === 0
          ? 0
          : Infinity;
    const w = 1 / (Math.max(tl[b], 1) * N);
    total += nll * w;
    if (g === null || Tb === 0) continue;
    // beta (including the emission at t, as PyTorch), then the gradient frame by frame
    for (let s = 0; s < Lb; s++) be[e + s] = s >= Lb - 2 ? at(Tb - 1, lab[s]) : -Infinity;
    for (let t = Tb - 2; t >= 0; t--) {
      const o = t * L,
        q = o + L;
      for (let s = 0; s < Lb; s++) {
        let v = be[q + s];
        if (s < Lb - 1) v = lse(v, be[q + s + 1]);
        if (s < Lb - 2 && s & 1 && lab[s] !== lab[s + 2]) v = lse(v, be[q + s + 2]);
        be[o + s] = v + at(t, lab[s]);
      }
    }
    for (let t = 0; t < Tb; t++) {
      const o = t * L,
        r = (t * N + b) * C;
      post.fill(0);
      for (let s = 0; s < Lb; s++)
        post[lab[s]] += Math.exp(al[o + s] + be[o + s] + nll - lp[r + lab[s]]);
      for (let c = 0; c < C; c++) g[r + c] = (Math.exp(lp[r + c]) - post[c]) * w;
    }
  }
  return Math.fround(total);
}

export const ctc = (lp, tg, il, tl, T, N, C) => ctcRows(lp, tg, il, tl, T, N, C, null);
export function ctcGrad(lp, tg, il, tl, T, N, C) {
  const g = new Float32Array(lp.length);
  return { loss: ctcRows(lp, tg, il, tl, T, N, C, g), grad: g };
}

/** Calls every function on small odd sizes first so that V8 optimises them before timing. */
export function warm() {
  for (const n of [1, 3, 17, 1023, 4099]) {
    const x = new Float32Array(n).map((_, i) => Math.sin(i) * 3);
    const y = new Float32Array(n).map((_, i) => i & 1);
    const p = new Float32Array(n).map((_, i) => 0.5 + 0.45 * Math.sin(i));
    const sg = new Float32Array(n).map((_, i) => (i % 3 ? 1 : -1));
    const v = new Float32Array(n).map((_, i) => 0.5 + 0.4 * Math.cos(i));
    for (let k = 0; k < 200; k++) {
      l1(x, y);
      l1Grad(x, y);
      mse(x, y);
      mseGrad(x, y);
      bceWithLogits(x, y);
      bceWithLogitsGrad(x, y);
      huber(x, y);
      huberGrad(x, y);
      smoothL1(x, y);
      smoothL1Grad(x, y);
      bce(p, y);
      bceGrad(p, y);
      klDiv(x, p);
      klDivGrad(x, p);
      poissonNll(x, y);
      poissonNllGrad(x, y);
      gaussianNll(x, y, v);
      gaussianNllGrad(x, y, v);
      softMargin(x, sg);
      softMarginGrad(x, sg);
      hingeEmbedding(p, sg);
      hingeEmbeddingGrad(p, sg);
      marginRanking(x, y, sg);
      marginRankingGrad(x, y, sg);
    }
  }
  for (const [rows, c] of [
    [3, 7],
    [17, 10],
    [5, 1000],
    [101, 10],
    [9, 64],
  ]) {
    const x = new Float32Array(rows * c).map((_, i) => Math.cos(i) * 4);
    const x2 = new Float32Array(rows * c).map((_, i) => Math.sin(i * 1.3));
    const x3 = new Float32Array(rows * c).map((_, i) => Math.cos(i * 0.7));
    const y = new Float32Array(rows * c).map((_, i) => (i % 3) & 1);
    const t = new Int32Array(rows).map((_, i) => (i * 7) % c);
    const sg = new Float32Array(rows).map((_, i) => (i & 1 ? 1 : -1));
    const ml = new Int32Array(rows * c).map((_, i) => (i % c < 2 ? (i * 5) % c : -1));
    for (let k = 0; k < 100; k++) {
      crossEntropy(x, t, c);
      crossEntropyGrad(x, t, c);
      nll(x, t, c);
      nllGrad(x, t, c);
      multiLabelSoftMargin(x, y, c);
      multiLabelSoftMarginGrad(x, y, c);
      multiMargin(x, t, c);
      multiMarginGrad(x, t, c);
      multiLabelMargin(x, ml, c);
      multiLabelMarginGrad(x, ml, c);
      cosineEmbedding(x, x2, sg, c);
      cosineEmbeddingGrad(x, x2, sg, c);
      tripletMargin(x, x2, x3, c);
      tripletMarginGrad(x, x2, x3, c);
    }
  }
  for (const [T, N, C, S] of [
    [7, 1, 5, 2],
    [13, 3, 6, 4],
  ]) {
    const lp = new Float32Array(T * N * C).map((_, i) => -1 - Math.abs(Math.sin(i)));
    const tg = new Int32Array(N * S).map((_, i) => 1 + (i % (C - 1)));
    const il = new Int32Array(N).fill(T),
      tl = new Int32Array(N).fill(S);
    for (let k = 0; k < 30; k++) {
      ctc(lp, tg, il, tl, T, N, C);
      ctcGrad(lp, tg, il, tl, T, N, C);
    }
  }
}
