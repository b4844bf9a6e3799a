// An SVG bar chart of the main table at one size: one group per workload and mode, one
// horizontal bar per implementation, log-scale throughput, value at the end of each bar.

const COLORS = {
  wasm: "#c92a2a",
  into: "#f76707",
  zerocopy: "#fab005",
  scalar: "#ffd8a8",
  js: "#5c7cfa",
  tfcpu: "#74b816",
  tfwasm: "#2b8a3e",
  torch: "#862e9c",
  torchdefault: "#d0a8e0",
  threads: "#a61e4d",
  threadszerocopy: "#e8590c",
  torchall: "#5f3dc4",
};
const NAMES = {
  wasm: "wasm-loss (Float32Arrays)",
  into: "wasm-loss (Float32Arrays, gradInto)",
  zerocopy: "wasm-loss zero-copy (alloc)",
  scalar: "wasm-loss scalar build",
  js: "plain JavaScript",
  tfcpu: "tfjs-core cpu",
  tfwasm: "tfjs-core wasm",
  torch: "PyTorch, 1 thread",
  torchdefault: "PyTorch, 1 thread, default malloc",
  threads: "wasm-loss on every core (Float32Arrays)",
  threadszerocopy: "wasm-loss zero-copy on every core",
  torchall: "PyTorch on every core",
};
const ORDER = [
  "wasm",
  "into",
  "zerocopy",
  "threads",
  "threadszerocopy",
  "scalar",
  "js",
  "tfcpu",
  "tfwasm",
  "torch",
  "torchdefault",
  "torchall",
];

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function chart(all, n) {
  const size = all.sizes[n];
  const groups = [];
  for (const e of Object.values(size.workloads)) {
    if (e.table !== "main" || e.missing) continue;
    for (const mode of ["forward", "grad"]) {
      const bars = [];
      for (const impl of ORDER) {
        const c = e.cells[mode][impl];
        if (!c || c.median === undefined || c.status === "error" || c.status === "skipped")
          continue;
        bars.push({ impl, rate: e.elements / c.median / 1e6, bad: c.status === "mismatch" });
      }
      if (bars.length)
        groups.push({
          label: `${e.label} — ${mode === "grad" ? "loss + gradient" : "loss"}`,
          bars,
        });
    }
  }
  const present = ORDER.filter((i) => groups.some((g) => g.bars.some((b) => b.impl === i)));
  const limitRate = n / size.limit.median / 1e6;
  const rates = groups.flatMap((g) => g.bars.map((b) => b.rate)).concat([limitRate]);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.max(1e-3, Math.min(...rates)))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...rates) * 1.05)));
  // The label column fits the longest group label (about 7 px per character at 12 px).
  const LEFT = Math.max(210, 16 + 7 * Math.max(...groups.map((g) => g.label.length)));
  const BAR = 13,
    GAP = 3,
    GROUP_GAP = 16,
    PLOT = 620,
    RIGHT = 90;
  const legendRows = Math.ceil(present.length / 3);
  const TOP = 58 + legendRows * 18 + 24;
  const W = LEFT + PLOT + RIGHT;
  const x = (v) => LEFT + (Math.log10(v / lo) / Math.log10(hi / lo)) * PLOT;
  let y = TOP;
  const parts = [];
  for (const g of groups) {
    const h = g.bars.length * (BAR + GAP);
    parts.push(
      `<text x="${LEFT - 8}" y="${y + h / 2 + 4}" text-anchor="end" class="g">${esc(g.label)}</text>`,
    );
    for (const b of g.bars) {
      const w = Math.max(1, x(b.rate) - LEFT);
      parts.push(
        `<rect x="${LEFT}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${COLORS[b.impl]}"${b.bad ? ' fill-opacity="0.35" stroke="#c00" stroke-dasharray="3,2"' : ""}><title>${esc(NAMES[b.impl])}: ${b.rate.toFixed(1)} M elements/s</title></rect>`,
      );
      parts.push(
        `<text x="${(LEFT + w + 4).toFixed(1)}" y="${y + BAR - 3}" class="v">${b.rate >= 100 ? b.rate.toFixed(0) : b.rate.toPrecision(3)}${b.bad ? " ✗ wrong value" : ""}</text>`,
      );
      y += BAR + GAP;
    }
    y += GROUP_GAP;
  }
  const H = y + 30;
  const axis = [];
  for (let v = lo; v <= hi * 1.0001; v *= 10) {
    axis.push(
      `<line x1="${x(v)}" y1="${TOP - 6}" x2="${x(v)}" y2="${y - GROUP_GAP + 4}" class="grid"/>`,
    );
    axis.push(
      `<text x="${x(v)}" y="${y - GROUP_GAP + 18}" text-anchor="middle" class="v">${v >= 1 ? v.toLocaleString("en-US") : v}</text>`,
    );
  }
  axis.push(
    `<line x1="${x(limitRate)}" y1="${TOP - 10}" x2="${x(limitRate)}" y2="${y - GROUP_GAP + 4}" class="limit"/>`,
  );
  axis.push(
    `<text x="${x(limitRate)}" y="${TOP - 13}" text-anchor="middle" class="v">bandwidth limit ${limitRate.toFixed(0)}</text>`,
  );
  const legend = present.map((impl, i) => {
    const lx = 20 + (i % 3) * 300,
      ly = 48 + Math.floor(i / 3) * 18;
    return `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${COLORS[impl]}"/><text x="${lx + 18}" y="${ly}" class="l">${esc(NAMES[impl])}</text>`;
  });
  const m = all.meta;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">
<style>.g{font-size:12px;fill:#222}.v{font-size:10px;fill:#444}.l{font-size:12px;fill:#222}.t{font-size:15px;font-weight:600;fill:#111}.s{font-size:11px;fill:#555}.grid{stroke:#ddd;stroke-width:1}.limit{stroke:#c00;stroke-width:1.2;stroke-dasharray:5,3}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="20" y="20" class="t">wasm-loss vs peers: ${Number(n).toLocaleString("en-US")} float32 elements, million elements/s (log scale, higher is better)</text>
<text x="20" y="34" class="s">${esc(`${m.cpu}, 1 thread, Node ${m.node}, ${m.date.slice(0, 10)}. Faded bar with a dashed red outline: computes a different value (not ranked).`)}</text>
${legend.join("\n")}
${axis.join("\n")}
${parts.join("\n")}
<text x="${LEFT + PLOT / 2}" y="${H - 6}" text-anchor="middle" class="s">million input elements per second</text>
</svg>
`;
}
