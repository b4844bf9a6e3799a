// Invalid calls: a valid case with one mutation the API must refuse. The check (campaign.ts):
// a TypeError or RangeError whose message names the function and the argument, no value, no
// caller array changed, the module usable afterwards; and where PyTorch is asked (`torch`), it
// must refuse too, or the mutation must be one where we are stricter by design (STRICTER).

import { isInts, type Case, type Value } from "./case";
import type { Rng } from "./rng";

interface Mutation {
  /** The argument the error message must name. */
  arg: string;
  /** Ask PyTorch whether it refuses the same call (false: there is no PyTorch form of it). */
  torch: boolean;
  applies(c: Case): boolean;
  apply(r: Rng, c: Case): void;
}

const float = (c: Case, i: number): Float32Array | null =>
  c.args[i] instanceof Float32Array ? (c.args[i] as Float32Array) : null;
const has =
  (...fns: string[]) =>
  (c: Case) =>
    fns.includes(c.fn);
const reduced = (c: Case) => !["softmax", "logSoftmax", "sigmoid", "logSigmoid"].includes(c.fn);
const PAIRS = [
  "l1Loss",
  "mseLoss",
  "huberLoss",
  "smoothL1Loss",
  "bceWithLogitsLoss",
  "bceLoss",
  "klDivLoss",
  "poissonNllLoss",
  "softMarginLoss",
  "hingeEmbeddingLoss",
  "gaussianNllLoss",
  "marginRankingLoss",
  "cosineEmbeddingLoss",
  "tripletMarginLoss",
];
const ARG_NAMES: Record<string, string[]> = {
  gaussianNllLoss: ["input", "target", "variance"],
  marginRankingLoss: ["input1", "input2", "target"],
  cosineEmbeddingLoss: ["input1", "input2", "target"],
  tripletMarginLoss: ["anchor", "positive", "negative"],
};
const argName = (c: Case, i: number) => (ARG_NAMES[c.fn] ?? ["input", "target"])[i];
const classesOf = (c: Case) =>
  (c.options.classes as number) ??
  ((c.options.shape as number[]).length === 1
    ? (c.options.shape as number[])[0]
    : (c.options.shape as number[])[1]);

export const MUTATIONS: Record<string, Mutation> = {
  reduction: {
    arg: "reduction",
    torch: true,
    applies: reduced,
    apply: (r, c) => {
      c.options.reduction = r.pick(["avg", "MEAN", ...(c.fn === "klDivLoss" ? [] : ["batchmean"])]);
    },
  },
  length: {
    arg: "target",
    torch: true,
    applies: (c) => PAIRS.includes(c.fn) && (float(c, 1)?.length ?? 0) > 0 && !("dim" in c.options),
    apply: (_r, c) => {
      c.args[1] = (c.args[1] as Float32Array).slice(1);
      c.invalid!.arg = argName(c, 1);
    },
  },
  classIndex: {
    arg: "target",
    torch: true,
    applies: (c) =>
      has("crossEntropyLoss", "nllLoss")(c) && isInts(c.args[1]) && c.args[1].ints.length > 0,
    apply: (r, c) => {
      const t = c.args[1] as { ints: number[]; as: string };
      const C = classesOf(c);
      const bad = r.pick([C, C + 3, -2].filter((v) => v !== (c.options.ignoreIndex ?? -100)));
      const at = r.int(0, t.ints.length - 1);
      c.args[1] = { as: "Int32Array", ints: t.ints.map((v, i) => (i === at ? bad : v)) };
    },
  },
  labelSmoothing: {
    arg: "labelSmoothing",
    torch: true,
    applies: has("crossEntropyLoss"),
    apply: (r, c) => {
      c.options.labelSmoothing = r.pick([1.5, -0.1, 2]);
    },
  },
  delta: {
    arg: "delta",
    torch: true,
    applies: has("huberLoss"),
    apply: (r, c) => {
      c.options.delta = r.pick([0, -1, -Infinity]);
    },
  },
  beta: {
    arg: "beta",
    torch: true,
    applies: has("smoothL1Loss"),
    apply: (r, c) => {
      c.options.beta = r.pick([-1, -1e-30, -Infinity]);
    },
  },
  weightLength: {
    arg: "weight",
    torch: true,
    applies: (c) =>
      has("crossEntropyLoss", "nllLoss", "multiLabelSoftMarginLoss", "multiMarginLoss")(c) &&
      c.options.weight instanceof Float32Array,
    apply: (r, c) => {
      const w = c.options.weight as Float32Array;
      c.options.weight = r.chance(0.5) || w.length < 2 ? Float32Array.from([...w, 1]) : w.slice(1);
    },
  },
  variance: {
    arg: "variance",
    torch: true,
    applies: (c) => c.fn === "gaussianNllLoss" && (float(c, 2)?.length ?? 0) > 0,
    apply: (r, c) => {
      const v = (c.args[2] as Float32Array).slice();
      v[r.int(0, v.length - 1)] = r.pick([-1, -1e-30]);
      c.args[2] = v;
    },
  },
  probability: {
    arg: "input",
    torch: true,
    applies: (c) => c.fn === "bceLoss" && (float(c, 0)?.length ?? 0) > 0,
    apply: (r, c) => {
      const i = r.chance(0.5) ? 0 : 1;
      const v = (c.args[i] as Float32Array).slice();
      v[r.int(0, v.length - 1)] = r.pick([1.5, -0.1, NaN, 1.0000001]);
      c.args[i] = v;
      c.invalid!.arg = i === 0 ? "input" : "target";
    },
  },
  gradOutput: {
    arg: "gradOutput",
    torch: true,
    applies: (c) => c.grad && c.options.gradOutput instanceof Float32Array,
    apply: (r, c) => {
      const g = c.options.gradOutput as Float32Array;
      if (r.chance(0.5) || g.length < 2) c.options.gradOutput = Float32Array.from([...g, 1]);
      else c.options.reduction = "sum";
    },
  },
  classes: {
    arg: "classes",
    torch: true,
    applies: (c) => typeof c.options.classes === "number" && (float(c, 0)?.length ?? 0) > 1,
    apply: (r, c) => {
      c.options.classes = r.pick([(c.args[0] as Float32Array).length + 1, 2.5]);
    },
  },
  shape: {
    arg: "shape",
    torch: true,
    applies: (c) =>
      Array.isArray(c.options.shape) && c.fn !== "ctcLoss" && (float(c, 0)?.length ?? 0) > 0,
    apply: (_r, c) => {
      const s = c.options.shape as number[];
      c.options.shape = [...s.slice(0, -1), s[s.length - 1] + 1];
    },
  },
  multiMarginP: {
    arg: "p",
    torch: true,
    applies: has("multiMarginLoss"),
    apply: (r, c) => {
      c.options.p = r.pick([3, 0, 1.5]);
    },
  },
  tripletP: {
    arg: "p",
    torch: true,
    applies: has("tripletMarginLoss"),
    apply: (r, c) => {
      c.options.p = r.pick([0, -1, Infinity]);
    },
  },
  blank: {
    arg: "blank",
    torch: true,
    applies: has("ctcLoss"),
    apply: (r, c) => {
      c.options.blank = r.pick([(c.options.shape as number[])[2], -1]);
    },
  },
  inputLength: {
    arg: "inputLengths",
    torch: true,
    applies: (c) => c.fn === "ctcLoss" && (c.options.shape as number[])[1] > 0,
    apply: (_r, c) => {
      const il = c.args[2] as { ints: number[]; as: string };
      c.args[2] = {
        as: "Int32Array",
        ints: [(c.options.shape as number[])[0] + 1, ...il.ints.slice(1)],
      };
    },
  },
  ignoreIndexProbs: {
    arg: "ignoreIndex",
    torch: true,
    applies: (c) => c.fn === "crossEntropyLoss" && c.args[1] instanceof Float32Array,
    apply: (r, c) => {
      c.options.ignoreIndex = r.pick([0, 3]);
    },
  },
  multiLabelTarget: {
    arg: "target",
    torch: true,
    applies: (c) =>
      c.fn === "multiLabelMarginLoss" && (c.args[1] as { ints: number[] }).ints.length > 0,
    apply: (r, c) => {
      const t = c.args[1] as { ints: number[]; as: string };
      const i = r.int(0, t.ints.length - 1);
      c.args[1] = {
        as: "Int32Array",
        ints: t.ints.map((v, j) => (j === i ? r.pick([c.options.classes as number, -2]) : v)),
      };
    },
  },
  cosineTarget: {
    arg: "target",
    torch: true,
    applies: (c) => c.fn === "cosineEmbeddingLoss" && (float(c, 2)?.length ?? 0) > 0,
    apply: (r, c) => {
      const y = (c.args[2] as Float32Array).slice();
      y[0] = r.pick([0, 2, 0.5]);
      c.args[2] = y;
    },
  },
  nonFiniteOption: {
    arg: "margin",
    torch: true,
    applies: (c) =>
      "margin" in c.options ||
      has("hingeEmbeddingLoss", "marginRankingLoss", "tripletMarginLoss")(c),
    apply: (r, c) => {
      c.options.margin = r.pick([NaN, Infinity, -Infinity]);
    },
  },
  // JavaScript-only mistakes (PyTorch has no form of them; it would refuse a str as well).
  type: {
    arg: "input",
    torch: false,
    applies: (c) => c.args.length > 0,
    apply: (r, c) => {
      const i = r.int(0, c.args.length - 1);
      c.args[i] = r.pick(["oops", { length: 3 }, null, 7]) as unknown as Case["args"][number];
      c.invalid!.arg =
        c.fn === "ctcLoss"
          ? ["logProbs", "targets", "inputLengths", "targetLengths"][i]
          : c.fn === "sigmoid" || c.fn === "logSigmoid"
            ? "x"
            : argName(c, i);
    },
  },
  outputLength: {
    arg: "gradInto",
    torch: false,
    applies: (c) =>
      c.grad &&
      ![
        "gaussianNllLoss",
        "marginRankingLoss",
        "cosineEmbeddingLoss",
        "tripletMarginLoss",
      ].includes(c.fn),
    apply: (_r, c) => {
      c.options.gradInto = new Float32Array(((c.args[0] as Float32Array).length ?? 0) + 1);
    },
  },
  bothLayouts: {
    arg: "shape",
    torch: false,
    applies: (c) =>
      typeof c.options.classes === "number" &&
      has("crossEntropyLoss", "nllLoss", "softmax", "logSoftmax")(c),
    apply: (_r, c) => {
      c.options.shape = [c.options.classes as number];
    },
  },
  // A misspelt option name: PyTorch raises on an unexpected keyword argument, and so do we (a
  // TypeError naming it and the nearest valid option).
  unknownOption: {
    arg: "reductoin",
    torch: true,
    applies: () => true,
    apply: (_r, c) => {
      c.options.reductoin = "sum";
    },
  },
};

/**
 * Mutations where the API refuses what PyTorch accepts, by decision (README): unequal lengths
 * that PyTorch would broadcast; margins that are not finite; p = 0, negative or infinite for
 * tripletMarginLoss; cosine targets other than ±1; negative label smoothing; a multiMarginLoss weight
 * of the wrong length. Keys are mutation kinds, or "kind:function" for one function only.
 */
export const STRICTER: Record<string, string> = {
  length: "unequal lengths are a RangeError even where PyTorch would broadcast one of them",
  nonFiniteOption: "margins must be finite numbers",
  tripletP: "tripletMarginLoss takes finite p > 0 only",
  cosineTarget: "cosineEmbeddingLoss targets must be 1 or -1",
  labelSmoothing:
    "labelSmoothing must lie in [0, 1] (PyTorch 1.13 accepts negative values, against its own message)",
  "weightLength:multiMarginLoss":
    "multiMarginLoss's weight must have one value per class (PyTorch 1.13's CPU kernel does not check)",
  "classes:bceWithLogitsLoss":
    "classes must be a positive integer that divides the input's length, even where no per-class weight reads it (PyTorch takes the layout from the tensor's shape)",
  "classes:bceLoss":
    "classes must be a positive integer that divides the input's length, even where no per-class weight reads it (PyTorch takes the layout from the tensor's shape)",
  "weightLength:multiLabelSoftMarginLoss":
    "multiLabelSoftMarginLoss's weight must have one value per class (PyTorch broadcasts one of another length where it can)",
};

/** A copy of `c` with one applicable mutation (or `c` itself when none applies). */
export function mutate(r: Rng, c: Case): Case {
  const kinds = Object.keys(MUTATIONS).filter((k) => MUTATIONS[k].applies(c));
  if (kinds.length === 0) return c;
  const kind = r.pick(kinds);
  const m = MUTATIONS[kind];
  const out: Case = {
    ...c,
    args: [...c.args],
    options: { ...c.options } as Record<string, Value>,
    pass: { ...c.pass },
    outputs: {},
    grow: false,
  };
  out.invalid = { kind, arg: m.arg };
  m.apply(r, out);
  for (const path of Object.keys(out.pass)) {
    const [where, key] = path.split(".");
    const v = where === "args" ? out.args[Number(key)] : out.options[key];
    if (!(v instanceof Float32Array)) delete out.pass[path];
  }
  return out;
}

export const asksTorch = (c: Case): boolean =>
  c.invalid === undefined || MUTATIONS[c.invalid.kind].torch;
