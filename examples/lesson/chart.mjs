// A small log-log line chart drawn as SVG, with no chart library. Values that are not finite
// (Infinity, NaN) cannot sit on a log axis: they are drawn as markers in a band above the plot,
// one row each, so that the moment a naive formula breaks is visible.

const NS = "http://www.w3.org/2000/svg";

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const sup = (k) =>
  String(k)
    .replace(/-/g, "\u207b")
    .replace(/\d/g, (d) => "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"[+d]);
const decade = (k) => (k === 0 ? "1" : k === 1 ? "10" : `10${sup(k)}`);

/**
 * @param {{ title: string, xLabel: string, yLabel: string, x: [number, number], y: [number, number],
 *           series: { label: string, color: string, dash?: string, width?: number, points: [number, number][] }[],
 *           marks?: { x: number, label: string }[] }} spec
 * @returns {SVGSVGElement}
 */
export function logLogChart(spec) {
  const W = 620,
    H = 400;
  const m = { left: 64, right: 16, top: 96, bottom: 48 };
  const band = { inf: 58, nan: 76 }; // y of the "∞" and "NaN" rows, above the plot
  const pw = W - m.left - m.right,
    ph = H - m.top - m.bottom;
  const [x0, x1] = spec.x.map(Math.log10),
    [y0, y1] = spec.y.map(Math.log10);
  const sx = (x) => m.left + ((Math.log10(x) - x0) / (x1 - x0)) * pw;
  const sy = (y) => m.top + ph - ((Math.log10(y) - y0) / (y1 - y0)) * ph;

  const svg = el("svg", {
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    class: "chart",
    role: "img",
    "aria-label": spec.title,
  });
  svg.append(el("text", { x: m.left, y: 20, class: "title" }, spec.title));

  // Grid and axes (one line per decade).
  for (let k = Math.ceil(x0); k <= x1; k++) {
    const x = sx(10 ** k);
    svg.append(el("line", { x1: x, x2: x, y1: m.top, y2: m.top + ph, class: "grid" }));
    svg.append(
      el("text", { x, y: m.top + ph + 18, class: "tick", "text-anchor": "middle" }, decade(k)),
    );
  }
  for (let k = Math.ceil(y0); k <= y1; k++) {
    const y = sy(10 ** k);
    svg.append(el("line", { x1: m.left, x2: m.left + pw, y1: y, y2: y, class: "grid" }));
    svg.append(
      el("text", { x: m.left - 8, y: y + 4, class: "tick", "text-anchor": "end" }, decade(k)),
    );
  }
  svg.append(el("rect", { x: m.left, y: m.top, width: pw, height: ph, class: "frame" }));
  svg.append(
    el(
      "text",
      { x: m.left + pw / 2, y: H - 8, class: "axis", "text-anchor": "middle" },
      spec.xLabel,
    ),
  );
  const yl = el(
    "text",
    {
      x: 0,
      y: 0,
      class: "axis",
      "text-anchor": "middle",
      transform: `translate(16 ${m.top + ph / 2}) rotate(-90)`,
    },
    spec.yLabel,
  );
  svg.append(yl);

  // The non-finite band.
  svg.append(el("rect", { x: m.left, y: band.inf - 10, width: pw, height: 30, class: "band" }));
  svg.append(
    el(
      "text",
      { x: m.left - 8, y: band.inf + 4, class: "bandlabel", "text-anchor": "end" },
      "+\u221e",
    ),
  );
  svg.append(
    el("text", { x: m.left - 8, y: band.nan + 4, class: "bandlabel", "text-anchor": "end" }, "NaN"),
  );

  for (const mark of spec.marks ?? []) {
    const x = sx(mark.x);
    svg.append(el("line", { x1: x, x2: x, y1: band.inf - 12, y2: m.top + ph, class: "mark" }));
    svg.append(el("text", { x: x + 4, y: m.top + ph - 6, class: "marklabel" }, mark.label));
  }

  const clip = el("clipPath", { id: `plot-${Math.random().toString(36).slice(2)}` });
  clip.append(el("rect", { x: m.left, y: m.top, width: pw, height: ph }));
  svg.append(clip);

  spec.series.forEach((s, k) => {
    // Finite points become polylines (broken wherever a value is not finite).
    let d = "",
      pen = false;
    for (const [x, y] of s.points) {
      if (Number.isFinite(y) && y > 0) {
        d += `${pen ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
        pen = true;
      } else pen = false;
    }
    svg.append(
      el("path", {
        d,
        fill: "none",
        stroke: s.color,
        "stroke-width": s.width ?? 2.5,
        "stroke-dasharray": s.dash ?? "",
        "clip-path": `url(#${clip.id})`,
      }),
    );
    // Non-finite points: a marker in their row of the band.
    for (const [x, y] of s.points) {
      if (Number.isFinite(y)) continue;
      const cy = (Number.isNaN(y) ? band.nan : band.inf) + ((k % 3) - 1) * 3; // series side by side
      svg.append(el("circle", { cx: sx(x).toFixed(1), cy, r: 2.4, fill: s.color }));
    }
  });
  return svg;
}

/** The legend as HTML (wraps nicely under the chart). */
export function legend(series) {
  const ul = document.createElement("ul");
  ul.className = "legend";
  for (const s of series) {
    const li = document.createElement("li");
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.borderTop = `${s.width ?? 2.5}px ${s.dash ? "dashed" : "solid"} ${s.color}`;
    li.append(sw, document.createTextNode(s.label));
    ul.append(li);
  }
  return ul;
}
