// The lesson page: naive (probability first, log afterwards) against fused losses, as logits
// grow; and an in-page benchmark against plain JavaScript. Served by `npm run example:lesson`.
// In your own page the import is "./node_modules/wasm-loss/build/browser.mjs" (or "wasm-loss"
// with a bundler or an import map).
import * as wl from "../../build/browser.mjs";
import { logLogChart, legend } from "./chart.mjs";
import {
  naiveBce32,
  sigmoid32,
  naiveSoftmaxLog32,
  softplus,
  logExpPlus,
  jsMseWithGrad,
  jsBceWithLogitsWithGrad,
  jsCrossEntropyWithGrad,
} from "./naive.mjs";

await wl.init();

const C = 10;
// Logit magnitudes m: log-spaced from 1 to 10^4, plus the points where float32 gives way.
const ms = Float64Array.from(
  new Set(
    [
      ...Array.from({ length: 241 }, (_, i) => 10 ** (i / 60)),
      17,
      17.4,
      88.7,
      88.8,
      100,
      103.3,
      103.4,
    ].sort((a, b) => a - b),
  ),
);
const TABLE_MS = [10, 17.4, 88.8, 100, 103.4, 1000, 10000];

const COLORS = {
  exact: "#c5cad3",
  naive: "#d32f2f",
  other: "#ef8f00",
  right: "#8e24aa",
  ours: "#1565c0",
};

/** Evaluates each series at every m; `table` rows use the same functions. */
function binarySeries() {
  const n = ms.length;
  const wrong = Float32Array.from(ms, (m) => -m),
    right = Float32Array.from(ms, (m) => m);
  const ones = new Float32Array(n).fill(1);
  const oursWrong = wl.bceWithLogitsLoss(wrong, ones, { reduction: "none" });
  const oursRight = wl.bceWithLogitsLoss(right, ones, { reduction: "none" });
  const series = [
    {
      key: "exactWrong",
      short: "exact (float64)",
      label: "exact, label 1 and logit −m (float64)",
      color: COLORS.exact,
      width: 9,
      f: (m) => softplus(m),
    },
    {
      key: "naive",
      short: "sigmoid, then BCE (float32)",
      label: "sigmoid, then BCE, label 1 and logit −m (float32)",
      color: COLORS.naive,
      f: (m) => naiveBce32(-m, 1),
    },
    {
      key: "clamped",
      short: "sigmoid(), then bceLoss() (log clamped at −100)",
      label: "sigmoid(), then bceLoss(): log clamped at −100 like PyTorch’s BCELoss",
      color: COLORS.other,
      dash: "6 4",
      f: (m) => wl.bceLoss(new Float32Array([sigmoid32(-m)]), new Float32Array([1])),
    },
    {
      key: "naiveRight",
      short: "sigmoid, then BCE (float32)",
      label: "sigmoid, then BCE, label 1 and logit +m (confident and right)",
      color: COLORS.right,
      f: (m) => naiveBce32(m, 1),
    },
    {
      key: "ours",
      short: "bceWithLogitsLoss (wasm-loss)",
      label: "bceWithLogitsLoss (wasm-loss), label 1 and logit −m",
      color: COLORS.ours,
      f: (m, i) => oursWrong[i],
    },
    {
      key: "oursRight",
      short: "bceWithLogitsLoss (wasm-loss)",
      label: "bceWithLogitsLoss (wasm-loss), label 1 and logit +m",
      color: COLORS.ours,
      table: true,
      f: (m, i) => oursRight[i],
    },
    {
      key: "exactRight",
      short: "exact (float64)",
      label: "exact, label 1 and logit +m (float64)",
      color: COLORS.exact,
      table: true,
      f: (m) => softplus(-m),
    },
  ];
  return series;
}

function multiclassSeries() {
  const n = ms.length;
  const logits = new Float32Array(n * C);
  ms.forEach((m, i) => (logits[i * C] = m)); // row i: [m, 0, 0, …, 0]
  const wrong = new Int32Array(n).fill(1),
    right = new Int32Array(n).fill(0);
  const oursWrong = wl.crossEntropyLoss(logits, wrong, { classes: C, reduction: "none" });
  const oursRight = wl.crossEntropyLoss(logits, right, { classes: C, reduction: "none" });
  const row = (m) => [m, ...new Array(C - 1).fill(0)];
  return [
    {
      key: "exactWrong",
      short: "exact (float64)",
      label: "exact, target a class with logit 0 (float64)",
      color: COLORS.exact,
      width: 9,
      f: (m) => logExpPlus(m, C - 1),
    },
    {
      key: "naive",
      short: "softmax, then log (float32)",
      label: "softmax, then log (textbook, float32)",
      color: COLORS.naive,
      f: (m) => naiveSoftmaxLog32(row(m), 1),
    },
    {
      key: "shifted",
      short: "softmax with the max subtracted, then log",
      label: "softmax with the max subtracted, then log",
      color: COLORS.other,
      dash: "6 4",
      f: (m) => naiveSoftmaxLog32(row(m), 1, true),
    },
    {
      key: "naiveRight",
      short: "softmax, then log (float32)",
      label: "softmax, then log, target the class with logit m",
      color: COLORS.right,
      f: (m) => naiveSoftmaxLog32(row(m), 0),
    },
    {
      key: "ours",
      short: "crossEntropyLoss (wasm-loss)",
      label: "crossEntropyLoss (wasm-loss), target a class with logit 0",
      color: COLORS.ours,
      f: (m, i) => oursWrong[i],
    },
    {
      key: "oursRight",
      short: "crossEntropyLoss (wasm-loss)",
      label: "crossEntropyLoss (wasm-loss), target the class with logit m",
      color: COLORS.ours,
      table: true,
      f: (m, i) => oursRight[i],
    },
    {
      key: "exactRight",
      short: "exact (float64)",
      label: "exact, target the class with logit m (float64)",
      color: COLORS.exact,
      table: true,
      f: (m) => Math.log1p((C - 1) * Math.exp(-m)),
    },
  ];
}

const EPS32 = 2 ** -23; // float32's rounding step at 1: the precision a float32 loss can promise
const fmt = (v) =>
  Number.isNaN(v)
    ? "NaN"
    : v === Infinity
      ? "Infinity"
      : v === 0
        ? "0"
        : Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3
          ? v.toExponential(3)
          : v.toPrecision(6);

function table(series, groups) {
  const exactOf = (key) =>
    series.find((s) => s.key === (/Right$/.test(key) ? "exactRight" : "exactWrong"));
  const t = document.createElement("table");
  t.innerHTML = `<thead><tr><th>m =</th>${TABLE_MS.map((m) => `<th>${m}</th>`).join("")}</tr></thead>`;
  const body = document.createElement("tbody");
  for (const [heading, keys] of groups) {
    const h = document.createElement("tr");
    h.className = "group";
    h.innerHTML = `<th colspan="${TABLE_MS.length + 1}">${heading}</th>`;
    body.append(h);
    for (const key of keys) {
      const s = series.find((x) => x.key === key);
      const tr = document.createElement("tr");
      if (key.startsWith("exact")) tr.className = "exact";
      tr.innerHTML = `<td>${s.short}</td>`;
      for (const m of TABLE_MS) {
        const v = s.f(m, ms.indexOf(m));
        const e = exactOf(key).f(m);
        const td = document.createElement("td");
        td.textContent = fmt(v);
        if (!Number.isFinite(v)) td.className = "bad";
        else if (!key.startsWith("exact") && Math.abs(v - e) > Math.max(1e-3 * Math.abs(e), EPS32))
          td.className = "off";
        else if (key.startsWith("ours")) td.className = "ours";
        tr.append(td);
      }
      body.append(tr);
    }
  }
  t.append(body);
  return t;
}

function draw(sectionId, series, groups, title, xLabel) {
  const shown = series.filter((s) => !s.table);
  const chart = logLogChart({
    title,
    xLabel,
    yLabel: "loss",
    x: [1, 1e4],
    y: [1e-1, 1e5],
    series: shown.map((s) => ({ ...s, points: Array.from(ms, (m, i) => [m, s.f(m, i)]) })),
    marks: [{ x: 88.7, label: "e^m overflows float32 (m > 88.7)" }],
  });
  const section = document.getElementById(sectionId);
  const note = document.createElement("p");
  note.className = "note";
  note.innerHTML =
    "Values at chosen m. Red: not a number; orange: off the exact value by more than 0.1% " +
    "and by more than float32’s rounding step (ε = 1.2·10<sup>−7</sup>); blue: wasm-loss, within that.";
  section.append(chart, legend(shown), note, table(series, groups));
}

draw(
  "binary",
  binarySeries(),
  [
    [
      "Label 1, logit −m: confidently wrong, the loss grows like m",
      ["exactWrong", "naive", "clamped", "ours"],
    ],
    [
      "Label 1, logit +m: confidently right, the loss shrinks like e<sup>−m</sup>",
      ["exactRight", "naiveRight", "oursRight"],
    ],
  ],
  "Loss of a confident logit (−m for label 1): exact ≈ m",
  "logit magnitude m",
);
draw(
  "multiclass",
  multiclassSeries(),
  [
    [
      "Target a class with logit 0: wrong, the loss grows like m",
      ["exactWrong", "naive", "shifted", "ours"],
    ],
    [
      "Target the class with logit m: right, the loss shrinks like 9e<sup>−m</sup>",
      ["exactRight", "naiveRight", "oursRight"],
    ],
  ],
  "Logits [m, 0, …, 0], target class 1: exact ≈ m",
  "logit gap m",
);
document.getElementById("footer").textContent =
  `wasm-loss ${wl.backend()} build · ${navigator.userAgent.match(/(Chrome|Firefox|Safari)\/[\d.]+/)?.[0] ?? navigator.userAgent}`;

// ---- Benchmark: loss + gradient, plain JavaScript vs wasm-loss (scalar and SIMD builds). ----

const N = 1_000_000;
function data() {
  let s = 12345;
  const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const x = Float32Array.from({ length: N }, () => rnd() * 8 - 4);
  const y01 = Float32Array.from({ length: N }, () => (rnd() < 0.5 ? 0 : 1));
  const yr = Float32Array.from({ length: N }, () => rnd() * 8 - 4);
  const idx = Int32Array.from({ length: N / C }, () => Math.floor(rnd() * C));
  return { x, y01, yr, idx, grad: new Float32Array(N) };
}

function time(fn, budgetMs = 250) {
  const times = [];
  const start = performance.now();
  let last;
  while (times.length < 3 || (performance.now() - start < budgetMs && times.length < 50)) {
    const t0 = performance.now();
    last = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1], value: last };
}

const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

async function benchmark() {
  const button = document.getElementById("run"),
    status = document.getElementById("status");
  button.disabled = true;
  const d = data();
  const cases = [
    {
      name: "mseLoss",
      js: (x, g) => jsMseWithGrad(x, d.yr, g),
      wasm: (x, y, g) => wl.mseLossWithGrad(x, y, { gradInto: g }).loss,
      y: d.yr,
    },
    {
      name: "bceWithLogitsLoss",
      js: (x, g) => jsBceWithLogitsWithGrad(x, d.y01, g),
      wasm: (x, y, g) => wl.bceWithLogitsLossWithGrad(x, y, { gradInto: g }).loss,
      y: d.y01,
    },
    {
      name: "crossEntropyLoss, 10 classes",
      js: (x, g) => jsCrossEntropyWithGrad(x, d.idx, C, g),
      wasm: (x, y, g) => wl.crossEntropyLossWithGrad(x, d.idx, { classes: C, gradInto: g }).loss,
      y: d.y01,
    },
  ];
  const rows = [];
  for (const c of cases) {
    status.textContent = `measuring ${c.name}…`;
    await nextFrame();
    const js = time(() => c.js(d.x, d.grad));
    await wl.init({ simd: false });
    const scalar = time(() => c.wasm(d.x, c.y, d.grad));
    await wl.init({ simd: true });
    const simd = time(() => c.wasm(d.x, c.y, d.grad));
    // Zero-copy: inputs and gradient live in the module's memory (alloc), so nothing is copied.
    // (An alloc that grows memory detaches earlier views; refresh() re-obtains them.)
    const [x, y, g] = [wl.alloc(N), wl.alloc(N), wl.alloc(N)].map((v) => wl.refresh(v));
    x.set(d.x);
    y.set(c.y);
    const zero = time(() => c.wasm(x, y, g));
    wl.free(x);
    wl.free(y);
    wl.free(g);
    const agree = [scalar, simd, zero].every(
      (r) => Math.abs(r.value - js.value) <= 1e-5 * Math.abs(js.value),
    );
    rows.push({ name: c.name, js: js.ms, scalar: scalar.ms, simd: simd.ms, zero: zero.ms, agree });
  }
  const ms = (v) => `${v.toFixed(1)} ms`;
  document.getElementById("results").innerHTML =
    `<table><thead><tr><th>loss + gradient, 1,000,000 values</th>
    <th>plain JavaScript</th><th>wasm-loss scalar</th><th>wasm-loss SIMD</th><th>SIMD, zero-copy</th><th>speed-up (best)</th>
    <th>same loss</th></tr></thead><tbody>${rows
      .map(
        (
          r,
        ) => `<tr><td>${r.name}</td><td>${ms(r.js)}</td><td>${ms(r.scalar)}</td><td>${ms(r.simd)}</td><td>${ms(r.zero)}</td>
        <td class="speed">${(r.js / Math.min(r.simd, r.zero, r.scalar)).toFixed(1)}×</td><td>${r.agree ? "✓" : "✗"}</td></tr>`,
      )
      .join("")}</tbody></table>
    <p class="note">“SIMD” copies the Float32Arrays into WebAssembly memory and the gradient out on every call;
    “zero-copy” passes views from <code>alloc()</code>, so only the kernel runs. Timer resolution in browsers is coarse (0.1 ms).</p>`;
  status.textContent = `done (${wl.backend()} build active).`;
  button.disabled = false;
  document.getElementById("bench").dataset.done = "true";
}

document.getElementById("run").addEventListener("click", () =>
  benchmark().catch((e) => {
    document.getElementById("status").textContent = `failed: ${e.message}`;
    throw e;
  }),
);
document.body.dataset.ready = "true";
