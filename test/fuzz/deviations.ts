// Where we differ from Debian's PyTorch 1.13 on purpose, so that the fuzzer does not report it.
// Most decided differences need no entry: the PyTorch side already answers with the decided
// behaviour (PyTorch 2.x's formulas, the exact float64 answer; see scripts/fuzz/calls.py), and
// the comparison accepts answers closer to the exact one than PyTorch's float32 (compare.ts).
// What remains is listed here, each with the reason (docs/testing.md lists each).

import { isInts, type Case } from "./case";
import type { Mismatch } from "./compare";

export interface Deviation {
  why: string;
  /** True where this mismatch is the documented difference. */
  covers(c: Case, m: Mismatch): boolean;
}

const index = (m: Mismatch): number => Number(/\[(\d+)\]$/.exec(m.what)?.[1] ?? -1);
const gradOf = (m: Mismatch): number => Number(/^grads\[(\d+)\]/.exec(m.what)?.[1] ?? -1);
const f32 = (c: Case, i: number): Float32Array =>
  c.args[i] instanceof Float32Array ? (c.args[i] as Float32Array) : new Float32Array(0);

/** [N, C, D] of a multi-class call. */
function layout(c: Case): [number, number, number] {
  const o = c.options;
  const shape = (o.shape as number[] | undefined) ?? [
    f32(c, 0).length / (o.classes as number),
    o.classes as number,
  ];
  const C = shape.length === 1 ? shape[0] : shape[1];
  return [shape.length === 1 ? 1 : shape[0], C, shape.slice(2).reduce((a, b) => a * b, 1)];
}

/** The positions of the unreduced loss that element i of gradient g feeds. */
function lossPositions(c: Case, g: number, i: number): number[] {
  const o = c.options;
  const width = (o.dim ??
    (["crossEntropyLoss", "nllLoss", "klDivLoss", "gaussianNllLoss"].includes(c.fn)
      ? undefined
      : o.classes)) as number | undefined;
  if (c.fn === "crossEntropyLoss" || c.fn === "nllLoss") {
    const [, C, D] = layout(c);
    return [Math.floor(i / (C * D)) * D + (i % D)];
  }
  if (c.fn === "ctcLoss") {
    const [, N, C] = o.shape as number[];
    return [Math.floor(i / C) % N];
  }
  if (c.fn === "gaussianNllLoss" && g === 1 && f32(c, 2).length !== f32(c, 0).length) {
    const C = o.classes as number;
    return Array.from({ length: C }, (_, k) => i * C + k);
  }
  return [width ? Math.floor(i / width) : i];
}

export const DEVIATIONS: Deviation[] = [
  {
    why:
      "crossEntropyLoss: an ignored position's gradient is exactly 0, also where its logits hold NaN or +Infinity " +
      "(PyTorch's log_softmax backward turns those into NaN on the ignored row)",
    covers: (c, m) => {
      const t = c.args[1];
      return (
        c.fn === "crossEntropyLoss" &&
        gradOf(m) === 0 &&
        m.ours === 0 &&
        Number.isNaN(m.torch) &&
        isInts(t) &&
        t.ints[lossPositions(c, 0, index(m))[0]] ===
          ((c.options.ignoreIndex as number | undefined) ?? -100)
      );
    },
  },
  {
    why:
      "a non-finite gradOutput value (±Infinity, NaN): the gradient it feeds is the product of it with the loss's " +
      "derivative, so 0, ±Infinity or NaN; PyTorch's is one of these too, but which one depends on how its autograd " +
      "splits the formula (a zero branch times ∞ is NaN; a clamp selects 0) and differs between losses",
    covers: (c, m) => {
      const go = c.options.gradOutput;
      const special = (v: number) => v === 0 || !Number.isFinite(v);
      return (
        gradOf(m) >= 0 &&
        special(m.ours) &&
        special(m.torch) &&
        go instanceof Float32Array &&
        lossPositions(c, gradOf(m), index(m)).some((p) => !Number.isFinite(go[p]))
      );
    },
  },
  {
    why:
      "a loss whose terms come near the float32 maximum: a float32 term or partial sum may overflow to ±Infinity " +
      "(and a zero weight times it to NaN) where the exact answer is finite (the reference of bceWithLogitsLoss is " +
      "float64; PyTorch's float32 sums overflow alike)",
    covers: (c, m) => {
      const x = f32(c, 0),
        pw = c.options.posWeight;
      const big = (a: ArrayLike<number>) =>
        Array.from(a).reduce((s, v) => (Number.isFinite(v) ? Math.max(s, Math.abs(v)) : s), 0);
      const terms = Math.max(
        1,
        x.length,
        pw instanceof Float32Array ? big(pw) : typeof pw === "number" ? pw : 1,
      );
      return (
        m.what.startsWith("loss") &&
        !Number.isFinite(m.ours) &&
        Number.isFinite(m.exact) &&
        big(x) * terms > 1.7e38
      );
    },
  },
  {
    why:
      "bceWithLogitsLoss at a ±Infinity logit is the loss's limit (0 or +Infinity) where PyTorch's formula " +
      "(1 − y)·x − lw·log σ(x) meets 0·∞ = NaN; and NaN where posWeight·target underflows float32 to 0 (0·∞; the " +
      "limit is +Infinity)",
    covers: (c, m) =>
      c.fn === "bceWithLogitsLoss" &&
      m.what.startsWith("loss") &&
      f32(c, 0).some((v) => v === Infinity || v === -Infinity) &&
      ((Number.isNaN(m.torch) && (m.ours === 0 || m.ours === Infinity || m.what === "loss")) ||
        (Number.isNaN(m.ours) && m.torch === Infinity)),
  },
  {
    why:
      "tripletMarginLoss: a row whose difference x1 − x2 + eps or whose distance exceeds float32's range has no " +
      "float32 answer (PyTorch's is ±Infinity or NaN, the exact one finite); ours there is ±Infinity, NaN, or the " +
      "float32 limit of the other terms",
    covers: (c, m) => {
      if (c.fn !== "tripletMarginLoss") return false;
      const o = c.options;
      const D = o.dim as number,
        p = (o.p as number | undefined) ?? 2,
        eps = (o.eps as number | undefined) ?? 1e-6;
      const [a, pos, neg] = [0, 1, 2].map((k) => f32(c, k));
      const i = index(m);
      const rows =
        m.what === "loss"
          ? Array.from({ length: a.length / D }, (_, r) => r)
          : [m.what.startsWith("loss") ? i : Math.floor(i / D)];
      return rows.some((row) =>
        [
          [a, pos],
          [a, neg],
          [pos, neg],
        ].some(([x, y]) => {
          let s = 0;
          for (let j = row * D; j < (row + 1) * D; j++) {
            const u = Math.fround(Math.fround(x[j] - y[j]) + eps);
            if (!Number.isFinite(u) && Number.isFinite(x[j]) && Number.isFinite(y[j])) return true;
            s += Math.abs(u) ** p;
          }
          return s ** (1 / p) > 3.4028234663852886e38;
        }),
      );
    },
  },
  {
    why:
      "crossEntropyLoss with label smoothing: a class weight times ε/C that underflows float32 to 0, at a −Infinity " +
      "logit, gives 0·∞ = NaN where PyTorch's (log p·w)·ε/C is +Infinity",
    covers: (c, m) => {
      const w = c.options.weight,
        ls = (c.options.labelSmoothing as number | undefined) ?? 0;
      if (
        c.fn !== "crossEntropyLoss" ||
        !m.what.startsWith("loss") ||
        !Number.isNaN(m.ours) ||
        !(w instanceof Float32Array) ||
        ls === 0
      )
        return false;
      const C = w.length;
      return (
        Array.from(w).some((v) => v !== 0 && Math.fround(v * Math.fround(ls / C)) === 0) &&
        f32(c, 0).some((v) => v === -Infinity)
      );
    },
  },
  {
    why:
      "smoothL1LossWithGrad: PyTorch's CPU kernel forms the gradient (d/β)·g in its vectorised body but (d·g)/β in " +
      "its scalar tail (the last n mod 8 elements); we use the first everywhere, so a tail element may differ where " +
      "one order under- or overflows",
    covers: (c, m) => {
      if (c.fn !== "smoothL1Loss" || gradOf(m) !== 0) return false;
      const i = index(m),
        x = f32(c, 0),
        y = f32(c, 1),
        go = c.options.gradOutput;
      const beta = (c.options.beta as number | undefined) ?? 1,
        d = Math.fround(x[i] - y[i]);
      const g =
        go instanceof Float32Array
          ? go[i]
          : c.options.reduction === "sum"
            ? 1
            : Math.fround(1 / x.length);
      const vectorOrder =
        Math.abs(d) >= beta ? Math.sign(d) * g : Math.fround(Math.fround(d / beta) * g);
      return (
        Object.is(vectorOrder, m.ours) ||
        (Number.isNaN(vectorOrder) && Number.isNaN(m.ours)) ||
        vectorOrder === m.ours
      );
    },
  },
  {
    why:
      "a weighted mean whose divisor Σ weight[target] is subnormal: its reciprocal overflows float32 (PyTorch's too), " +
      "so the gradient is ±Infinity where the exact one is finite",
    covers: (c, m) => {
      const w = c.options.weight,
        t = c.args[1];
      if (
        !["crossEntropyLoss", "nllLoss"].includes(c.fn) ||
        gradOf(m) !== 0 ||
        Number.isFinite(m.ours) ||
        !(w instanceof Float32Array) ||
        !isInts(t)
      )
        return false;
      const ignore = (c.options.ignoreIndex as number | undefined) ?? -100;
      const divisor = t.ints.reduce((s, v) => (v === ignore ? s : s + w[v]), 0);
      return (
        (c.options.reduction ?? "mean") === "mean" &&
        divisor > 0 &&
        1 / divisor > 3.4028234663852886e38
      );
    },
  },
  {
    why:
      "gaussianNllLoss with one variance per row: its gradient is Σ_i (h_i/v − h_i·q_i/v) where PyTorch forms " +
      "(Σ_i h_i)/v − Σ_i h_i·q_i/v; near float32's limit a term may overflow (±Infinity, or ∞ − ∞ = NaN) in one order " +
      "and not in the other",
    covers: (c, m) =>
      c.fn === "gaussianNllLoss" &&
      gradOf(m) === 1 &&
      !Number.isFinite(m.ours) &&
      f32(c, 2).length !== f32(c, 0).length &&
      Math.max(Math.abs(m.torch), Math.abs(m.exact)) > 1e37,
  },
  {
    why:
      "a result below float32's normal range (subnormal, < 1.18e-38) may be 0: the SIMD build's vector exp flushes " +
      "subnormal results to 0 (assembly/math.ts), e.g. sigmoid(−100)",
    covers: (c, m) =>
      m.ours === 0 && Number.isFinite(m.exact) && Math.abs(m.exact) < 1.1754943508222875e-38,
  },
  {
    why:
      "a result within a factor 4 of float32's maximum: an intermediate of ours (a power, a product before a " +
      "scale) may overflow to the infinity of the result's sign where PyTorch's stays just finite",
    covers: (c, m) =>
      !Number.isFinite(m.ours) &&
      Math.sign(m.ours) === Math.sign(m.exact) &&
      Math.abs(m.exact) > 3.4028234663852886e38 / 4,
  },
  {
    why:
      "tripletMarginLoss with 0 < p < 1: a component more than 38 orders of magnitude below its row's distance has a " +
      "gradient factor (|u|/d)^(p−1) beyond float32's range; ours overflows there even where the upstream gradient " +
      "would bring the product back into range (PyTorch's grouping, |u|^(p−1)·g·d^(1−p), overflows in other cases)",
    covers: (c, m) => {
      const o = c.options;
      const p = (o.p as number | undefined) ?? 2,
        eps = (o.eps as number | undefined) ?? 1e-6,
        D = o.dim as number;
      if (c.fn !== "tripletMarginLoss" || !(p < 1) || gradOf(m) < 0 || Number.isFinite(m.ours))
        return false;
      const [a, pos, neg] = [0, 1, 2].map((k) => f32(c, k));
      const i = index(m),
        row = Math.floor(i / D);
      return [
        [a, pos],
        [a, neg],
        [pos, neg],
      ].some(([x, y]) => {
        let s = 0;
        for (let j = row * D; j < (row + 1) * D; j++) s += Math.abs(x[j] - y[j] + eps) ** p;
        return (Math.abs(x[i] - y[i] + eps) / s ** (1 / p)) ** (p - 1) > 3.4028234663852886e38;
      });
    },
  },
  {
    why:
      "tripletMarginLoss: a distance below float32's normal range (subnormal) keeps only a few significant bits, " +
      "and the gradient carries its relative error (PyTorch's float32 distance is as coarse; its gradient there is " +
      "often ±Infinity or NaN)",
    covers: (c, m) => {
      if (c.fn !== "tripletMarginLoss" || gradOf(m) < 0 || !Number.isFinite(m.ours)) return false;
      const o = c.options;
      const D = o.dim as number,
        p = (o.p as number | undefined) ?? 2,
        eps = (o.eps as number | undefined) ?? 1e-6;
      const [a, pos, neg] = [0, 1, 2].map((k) => f32(c, k));
      const row = Math.floor(index(m) / D);
      return [
        [a, pos],
        [a, neg],
        [pos, neg],
      ].some(([x, y]) => {
        let s = 0;
        for (let j = row * D; j < (row + 1) * D; j++) s += Math.abs(x[j] - y[j] + eps) ** p;
        const d = s ** (1 / p);
        return d > 0 && d < 1.1754943508222875e-38;
      });
    },
  },
  {
    why:
      "tripletMarginLoss: a decision between values equal to float32 rounding — the hinge margin + d(a, p) − d(a, n) " +
      "within a few ulps of 0, or with swap d(a, n) and d(p, n) within a few ulps of each other — may go the other " +
      "way than PyTorch's (the distances are summed in another order); the gradient then follows the other branch",
    covers: (c, m) => {
      if (c.fn !== "tripletMarginLoss") return false;
      const o = c.options;
      const D = o.dim as number,
        p = (o.p as number | undefined) ?? 2,
        eps = (o.eps as number | undefined) ?? 1e-6;
      const [a, pos, neg] = [0, 1, 2].map((k) => f32(c, k));
      const i = index(m);
      const rows =
        m.what === "loss"
          ? Array.from({ length: a.length / D }, (_, r) => r)
          : [m.what.startsWith("loss") ? i : Math.floor(i / D)];
      const close = (u: number, v: number, scale: number) => Math.abs(u - v) <= 16 * 1.2e-7 * scale;
      return rows.some((row) => {
        const dist = (x: Float32Array, y: Float32Array) => {
          let s = 0;
          for (let j = row * D; j < (row + 1) * D; j++) s += Math.abs(x[j] - y[j] + eps) ** p;
          return s ** (1 / p);
        };
        const dp = dist(a, pos),
          dn = dist(a, neg),
          ds = o.swap ? dist(pos, neg) : Infinity;
        const margin = (o.margin as number | undefined) ?? 1;
        const dm = Math.min(dn, ds);
        return close(dn, ds, dn) || close(margin + dp, dm, Math.abs(margin) + dp + dm);
      });
    },
  },
  {
    why:
      "cosineEmbeddingLoss with a component beyond 1.8e19: its square (or a product) overflows float32, so the row " +
      "has no float32 answer (PyTorch's is NaN); ours takes the infinite norm as making cos 0",
    covers: (c, m) => {
      if (c.fn !== "cosineEmbeddingLoss") return false;
      const D = c.options.dim as number,
        i = index(m);
      const rows =
        m.what === "loss"
          ? Array.from({ length: f32(c, 0).length / D }, (_, r) => r)
          : [m.what.startsWith("loss") ? i : Math.floor(i / D)];
      return rows.some((r) =>
        [0, 1].some((k) =>
          f32(c, k)
            .subarray(r * D, (r + 1) * D)
            .some((v) => Number.isFinite(v) && Math.abs(v) >= 1.8e19),
        ),
      );
    },
  },
  {
    why:
      'multiMarginLoss, multiLabelMarginLoss: an empty input\'s "mean" is NaN (PyTorch 1.13 returns an ' +
      "uninitialised value)",
    covers: (c, m) =>
      (c.fn === "multiMarginLoss" || c.fn === "multiLabelMarginLoss") &&
      m.what === "loss" &&
      f32(c, 0).length === 0 &&
      Number.isNaN(m.ours),
  },
];

/** The mismatches that no documented deviation covers. */
export function undocumented(c: Case, ms: Mismatch[]): Mismatch[] {
  return ms.filter((m) => !DEVIATIONS.some((d) => d.covers(c, m)));
}
