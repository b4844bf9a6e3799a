// Minimizes a failing case while it still fails: fewer output buffers and placements, fewer
// options, fewer elements / rows / samples / positions (each function's arrays cut along the same
// axis), then simpler values. `fails` re-runs PyTorch and our build on a candidate.

import { isInts, ints, type Case, type Data, type Value } from "./case";

type Keep = (u: number) => boolean;

/** Keeps the units u (of `unit` consecutive elements) of `a` for which keep(u). */
function take<T extends Data>(a: T, unit: number, keep: Keep): T {
  const pick = <E>(v: ArrayLike<E>): E[] =>
    Array.from(v).filter((_, i) => keep(Math.floor(i / unit)));
  return (isInts(a) ? ints(pick(a.ints), a.as) : Float32Array.from(pick(a as Float32Array))) as T;
}

/** One way to cut a case: `count` units, and the case with only the kept ones. */
interface Axis {
  count: number;
  cut(c: Case, keep: Keep): Case;
}

const clone = (c: Case): Case => ({
  ...c,
  args: [...c.args],
  options: { ...c.options },
  pass: { ...c.pass },
  outputs: { ...c.outputs },
  tags: c.tags,
});
const len = (v: Value | Data): number =>
  v instanceof Float32Array ? v.length : isInts(v) ? v.ints.length : -1;

function axes(c: Case): Axis[] {
  const n = len(c.args[0]);
  if (n < 0) return [];
  const o = c.options;
  // Row losses: `classes` / `dim` elements per row; per-row arrays cut one by one.
  const width = (
    [
      "multiLabelSoftMarginLoss",
      "multiMarginLoss",
      "multiLabelMarginLoss",
      "cosineEmbeddingLoss",
      "tripletMarginLoss",
    ].includes(c.fn)
      ? (o.classes ?? o.dim)
      : undefined
  ) as number | undefined;
  if (width !== undefined) {
    const rows = n / width;
    return [
      {
        count: rows,
        cut: (c0, keep) => {
          const d = clone(c0);
          d.args = d.args.map((a) => take(a, len(a) === rows ? 1 : width, keep));
          if (o.gradOutput instanceof Float32Array)
            d.options.gradOutput = take(o.gradOutput, 1, keep);
          return d;
        },
      },
    ];
  }
  if (c.fn === "ctcLoss") return [ctcSamples(c)];
  if (["crossEntropyLoss", "nllLoss", "softmax", "logSoftmax"].includes(c.fn))
    return multiclassAxes(c);
  // Elementwise: units of 1, or of `classes` / a broadcast weight's length K.
  const ks = [
    o.classes,
    ...[o.weight, o.posWeight].map((w) =>
      w instanceof Float32Array && w.length < n ? w.length : undefined,
    ),
  ].filter((k): k is number => typeof k === "number" && k > 0);
  const k = ks.reduce((a, b) => (a * b) / gcd(a, b), 1);
  return [
    {
      count: n / k,
      cut: (c0, keep) => {
        const d = clone(c0);
        d.args = d.args.map((a) => take(a, len(a) === n ? k : (k * len(a)) / n, keep));
        for (const key of ["weight", "posWeight", "gradOutput"]) {
          const v = o[key];
          if (v instanceof Float32Array && v.length === n) d.options[key] = take(v, k, keep);
        }
        return d;
      },
    },
  ];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function multiclassAxes(c: Case): Axis[] {
  const o = c.options;
  const shape = (o.shape as number[] | undefined) ?? [
    len(c.args[0]) / (o.classes as number),
    o.classes as number,
  ];
  if (shape.length === 1) return [];
  const [N, C] = shape;
  const D = shape.slice(2).reduce((a, b) => a * b, 1);
  const setShape = (d: Case, s: number[]) => {
    if (o.shape) d.options.shape = s;
  };
  const samples: Axis = {
    count: N,
    cut: (c0, keep) => {
      const d = clone(c0);
      d.args = d.args.map((a, i) => take(a, i === 1 && isInts(a) ? D : C * D, keep));
      if (o.gradOutput instanceof Float32Array) d.options.gradOutput = take(o.gradOutput, D, keep);
      setShape(d, [d.args.length ? len(d.args[0]) / (C * D) : 0, ...shape.slice(1)]);
      return d;
    },
  };
  if (shape.length !== 3) return [samples];
  const positions: Axis = {
    count: D,
    cut: (c0, keep) => {
      const d = clone(c0);
      d.args = d.args.map((a) => take(a, 1, (i) => keep(i % D)));
      if (o.gradOutput instanceof Float32Array)
        d.options.gradOutput = take(o.gradOutput, 1, (i) => keep(i % D));
      let kept = 0;
      for (let j = 0; j < D; j++) if (keep(j)) kept++;
      d.options.shape = [N, C, kept];
      return d;
    },
  };
  return [samples, positions];
}

function ctcSamples(c: Case): Axis {
  const [T, N, C] = c.options.shape as number[];
  const tl = (c.args[3] as { ints: number[] }).ints;
  const tg = c.args[1] as { ints: number[]; as: string };
  const total = tl.reduce((a, b) => a + b, 0);
  const padded = tg.ints.length !== total;
  const S = N > 0 ? tg.ints.length / N : 0;
  return {
    count: N,
    cut: (c0, keep) => {
      const d = clone(c0);
      d.args[0] = take(c.args[0], C, (u) => keep(u % N));
      d.args[2] = take(c.args[2], 1, keep);
      d.args[3] = take(c.args[3], 1, keep);
      let start = 0;
      const seq: number[] = [];
      for (let b = 0; b < N; b++) {
        const piece = padded
          ? tg.ints.slice(b * S, (b + 1) * S)
          : tg.ints.slice(start, start + tl[b]);
        start += tl[b];
        if (keep(b)) seq.push(...piece);
      }
      d.args[1] = ints(seq, tg.as as never);
      if (c.options.gradOutput instanceof Float32Array)
        d.options.gradOutput = take(c.options.gradOutput, 1, keep);
      d.options.shape = [T, (d.args[2] as { ints: number[] }).ints.length, C];
      return d;
    },
  };
}

const REQUIRED = new Set(["classes", "dim", "shape", "reduction", "gradOutput"]);

/** Candidate simplifications of `c`, largest first. */
function* candidates(c: Case): Generator<Case> {
  if (c.grow) yield { ...clone(c), grow: false };
  if (Object.keys(c.outputs).length) yield { ...clone(c), outputs: {} };
  if (Object.keys(c.pass).length) yield { ...clone(c), pass: {} };
  for (const k of Object.keys(c.options)) {
    if (REQUIRED.has(k) || c.options[k] === undefined) continue;
    const d = clone(c);
    delete d.options[k];
    yield d;
  }
  for (const axis of axes(c)) {
    const n = axis.count;
    for (let parts = 2; parts <= Math.min(n, 8); parts *= 2) {
      for (let p = 0; p < parts; p++) {
        const lo = Math.floor((p * n) / parts),
          hi = Math.floor(((p + 1) * n) / parts);
        yield axis.cut(c, (u) => u < lo || u >= hi);
      }
    }
    if (n <= 64) for (let u = 0; u < n; u++) yield axis.cut(c, (v) => v !== u);
  }
  // Simpler values, in arrays that are short by now.
  const arrays: Array<[(d: Case) => Float32Array]> = [];
  c.args.forEach((a, i) => {
    if (a instanceof Float32Array && a.length <= 64)
      arrays.push([(d) => d.args[i] as Float32Array]);
  });
  for (const [get] of arrays) {
    const a = get(c);
    for (let i = 0; i < a.length; i++) {
      for (const v of [0, 1, -1, Math.fround(Number(a[i].toPrecision(2)))]) {
        if (Object.is(v, a[i]) || !Number.isFinite(a[i])) continue;
        const d = clone(c);
        const idx = c.args.indexOf(a);
        const b = a.slice();
        b[i] = v;
        d.args[idx] = b;
        yield d;
      }
    }
  }
}

/** Greedy minimization: apply any candidate that still fails, until none does or `budget` runs out. */
export async function shrink(
  c: Case,
  fails: (c: Case) => Promise<boolean>,
  budget = 250,
): Promise<Case> {
  let best = c;
  let tries = 0;
  let progress = true;
  while (progress && tries < budget) {
    progress = false;
    for (const d of candidates(best)) {
      if (++tries > budget) break;
      if (await fails(d)) {
        best = d;
        progress = true;
        break;
      }
    }
  }
  return best;
}
