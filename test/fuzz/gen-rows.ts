// Generators of the losses over rows (multiLabelSoftMargin, multiMargin, multiLabelMargin,
// cosineEmbedding, tripletMargin) and of ctcLoss.

import { ints, type IntType, type Value } from "./case";
import type { Generator } from "./gen-elementwise";
import type { Rng } from "./rng";
import { floats, inRange, PROFILES, signs, value } from "./values";

function rowsOf(r: Rng, big: boolean, widths: number[]): { rows: number; width: number } {
  const width = big ? r.pick([7, 64, 300]) : r.pick(widths);
  const rows = big ? Math.ceil(40_000 / width) : r.pick([0, 1, 2, 3, 5, 8, r.int(1, 20)]);
  return { rows, width };
}

const WIDTHS = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 100, 1025, 1501];

const mlsm: Generator = (r, big) => {
  const { rows, width } = rowsOf(r, big, WIDTHS);
  const p = r.pick(PROFILES);
  const x = floats(r, rows * width, p);
  const t = r.chance(0.7)
    ? Float32Array.from(x, () => r.pick([0, 1]))
    : inRange(r, rows * width, 0, 1);
  const options: Record<string, Value> = { classes: width };
  if (r.chance(0.4)) {
    const w = inRange(r, width, 0, 2);
    for (let i = 0; i < width; i++) if (r.chance(0.15)) w[i] = 0;
    options.weight = w;
  }
  return { args: [x, t], options, lossLength: rows, tags: [p] };
};

const multiMargin: Generator = (r, big) => {
  const { rows, width } = rowsOf(r, big, WIDTHS);
  const p = r.pick(PROFILES);
  const x = floats(r, rows * width, p);
  const y = Array.from({ length: rows }, () =>
    r.chance(0.3) ? r.pick([0, width - 1]) : r.int(0, width - 1),
  );
  const options: Record<string, Value> = {
    classes: width,
    p: r.pick([undefined, 1, 2]),
    margin: r.pick([undefined, 0, 0.5, 2.5, -0.5, value(r, "ties")]),
  };
  if (r.chance(0.4)) {
    const w = inRange(r, width, -1, 2);
    for (let i = 0; i < width; i++) if (r.chance(0.15)) w[i] = 0;
    options.weight = w;
  }
  return {
    args: [x, ints(y, r.pick(["Int32Array", "number[]", "BigInt64Array", "Uint16Array"]))],
    options,
    lossLength: rows,
    tags: [p],
  };
};

const multiLabelMargin: Generator = (r, big) => {
  const { rows, width } = rowsOf(
    r,
    big,
    WIDTHS.filter((w) => w < 1000),
  );
  const p = r.pick(PROFILES);
  const x = floats(r, rows * width, p);
  const y: number[] = [];
  for (let row = 0; row < rows; row++) {
    const k = r.chance(0.2) ? 0 : r.int(0, width);
    const labels: number[] = [];
    for (let i = 0; i < k; i++)
      labels.push(r.chance(0.1) && labels.length ? labels[0] : r.int(0, width - 1));
    // After the list: -1, then anything in [-1, C) (never read).
    while (labels.length < width) labels.push(labels.length === k ? -1 : r.int(-1, width - 1));
    y.push(...labels);
  }
  return {
    args: [x, ints(y, r.pick(["Int32Array", "number[]", "Int16Array"]))],
    options: { classes: width },
    lossLength: rows,
    tags: [p],
  };
};

const cosine: Generator = (r, big) => {
  const { rows, width } = rowsOf(r, big, WIDTHS);
  const p = r.pick(PROFILES);
  const a = floats(r, rows * width, p);
  const b = r.chance(0.2)
    ? a.slice()
    : floats(r, rows * width, r.chance(0.7) ? p : r.pick(PROFILES));
  if (r.chance(0.2)) for (let i = 0; i < width && i < b.length; i++) b[i] = 0; // a zero row
  return {
    args: [a, b, signs(r, rows)],
    options: { dim: width, margin: r.pick([undefined, 0, 0.5, -0.5, 0.99]) },
    lossLength: rows,
    tags: [p],
  };
};

const triplet: Generator = (r, big) => {
  const { rows, width } = rowsOf(r, big, WIDTHS);
  const p = r.pick(PROFILES);
  const n = rows * width;
  const a = floats(r, n, p);
  const pos = r.chance(0.15) ? a.slice() : floats(r, n, p);
  const neg = r.chance(0.15) ? pos.slice() : floats(r, n, r.chance(0.8) ? p : r.pick(PROFILES));
  const power = r.pick([undefined, 1, 2, 2, 0.5, 1.5, 3, 0.25, 1 + r.next() * 3, r.next()]);
  const options: Record<string, Value> = {
    dim: width,
    p: power,
    eps: r.pick([undefined, 0, 0, 1e-3, 1e-6]),
    swap: r.pick([undefined, true, false]),
    margin: r.pick([undefined, 0, 1, 0.5, -1, 1e-20]),
  };
  return { args: [a, pos, neg], options, lossLength: rows, tags: [p, `p=${power ?? 2}`] };
};

const ctc: Generator = (r, big) => {
  const T = big ? r.int(200, 400) : r.pick([0, 1, 2, 3, 5, 8, 13, r.int(1, 50)]);
  const N = big ? r.int(4, 8) : r.pick([1, 1, 2, 3, 5]);
  const C = big ? r.pick([20, 29]) : r.pick([1, 2, 3, 5, 10, 29]);
  const blank = r.chance(0.7) ? 0 : r.int(0, C - 1);
  const scale = r.pick([1, 3, 10]);
  const raw = Array.from({ length: T * N * C }, () => r.normal() * scale);
  const lp = new Float32Array(T * N * C);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < N; b++) {
      const o = (t * N + b) * C;
      const row = raw.slice(o, o + C);
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
      for (let c = 0; c < C; c++) lp[o + c] = r.chance(0.03) ? -Infinity : row[c] - lse;
    }
  }
  const labels = C > 1 ? Array.from({ length: C - 1 }, (_, i) => (i >= blank ? i + 1 : i)) : [];
  const il = Array.from({ length: N }, () => (r.chance(0.7) ? T : r.int(0, T)));
  const tl = il.map((len) =>
    C === 1 ? 0 : r.chance(0.1) ? r.int(0, len + 2) : r.int(0, Math.max(0, Math.floor(len / 2))),
  );
  const padded = r.chance(0.4);
  const S = Math.max(0, ...tl) + (padded ? r.int(0, 2) : 0);
  const seqs = tl.map((len) =>
    Array.from({ length: len }, () =>
      r.chance(0.3) && labels.length ? labels[0] : r.pick(labels),
    ),
  );
  const targets = padded
    ? seqs.flatMap((s) => [...s, ...Array.from({ length: S - s.length }, () => r.int(0, C - 1))])
    : seqs.flat();
  const types: IntType[] = [
    "Int32Array",
    "number[]",
    "BigInt64Array",
    ...(T < 256 ? ["Uint8Array" as const] : []),
  ];
  const type = r.pick(types);
  const options: Record<string, Value> = {
    shape: [T, N, C],
    blank: blank === 0 && r.chance(0.5) ? undefined : blank,
    zeroInfinity: r.pick([undefined, true, false]),
  };
  return {
    args: [lp, ints(targets, type), ints(il, type), ints(tl, type)],
    options,
    lossLength: N,
    tags: [padded ? "padded" : "concatenated"],
  };
};

export const ROWS: Record<string, Generator> = {
  multiLabelSoftMarginLoss: mlsm,
  multiMarginLoss: multiMargin,
  multiLabelMarginLoss: multiLabelMargin,
  cosineEmbeddingLoss: cosine,
  tripletMarginLoss: triplet,
  ctcLoss: ctc,
};
