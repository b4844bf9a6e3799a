// Strict options: every function knows its option names, and any other key is a TypeError that
// names it and the nearest valid one, or the functions it belongs to. PyTorch raises on an
// unexpected keyword argument; a typo ("reducton") must never compute silently with a default.

import { describe, typeError } from "./errors";

const OUT = ["reduction", "lossInto"] as const;
const GRAD = ["gradOutput", "gradInto"] as const;
const GRADS = ["gradOutput", "gradsInto"] as const;
const LAYOUT = ["classes", "shape"] as const;

/** The options of every function taking an options object; `…WithGrad` twins add GRAD or GRADS. */
const TABLE = {
  l1Loss: [...OUT],
  mseLoss: [...OUT],
  huberLoss: [...OUT, "delta"],
  smoothL1Loss: [...OUT, "beta"],
  bceWithLogitsLoss: [...OUT, "weight", "posWeight", "classes"],
  bceLoss: [...OUT, "weight", "classes"],
  sigmoid: ["out"],
  logSigmoid: ["out"],
  crossEntropyLoss: [...OUT, ...LAYOUT, "weight", "ignoreIndex", "labelSmoothing"],
  nllLoss: [...OUT, ...LAYOUT, "weight", "ignoreIndex"],
  softmax: [...LAYOUT, "out"],
  logSoftmax: [...LAYOUT, "out"],
  klDivLoss: [...OUT, "logTarget", "classes"],
  poissonNllLoss: [...OUT, "logInput", "full", "eps"],
  gaussianNllLoss: [...OUT, "full", "eps", "classes"],
  softMarginLoss: [...OUT],
  multiLabelSoftMarginLoss: [...OUT, "classes", "weight"],
  hingeEmbeddingLoss: [...OUT, "margin"],
  multiMarginLoss: [...OUT, "classes", "p", "margin", "weight"],
  multiLabelMarginLoss: [...OUT, "classes"],
  marginRankingLoss: [...OUT, "margin"],
  cosineEmbeddingLoss: [...OUT, "dim", "margin"],
  tripletMarginLoss: [...OUT, "dim", "margin", "p", "eps", "swap"],
  ctcLoss: [...OUT, "shape", "blank", "zeroInfinity"],
  init: ["simd", "threads"],
} as const satisfies Record<string, readonly string[]>;

/** Losses whose `…WithGrad` twin returns several gradients (`gradsInto`). */
const SEVERAL = new Set([
  "gaussianNllLoss",
  "marginRankingLoss",
  "cosineEmbeddingLoss",
  "tripletMarginLoss",
]);

const names = new Map<string, readonly string[]>();

/** The valid option names of `fn` (a table entry, or its `…WithGrad` twin). */
export function optionNames(fn: string): readonly string[] {
  let list = names.get(fn);
  if (list === undefined) {
    const base = fn.endsWith("WithGrad") ? fn.slice(0, -"WithGrad".length) : fn;
    const own: readonly string[] | undefined = (TABLE as Record<string, readonly string[]>)[base];
    if (own === undefined) throw new Error(`internal: no option table for ${fn}`);
    list = base === fn ? own : [...own, ...(SEVERAL.has(base) ? GRADS : GRAD)];
    names.set(fn, list);
  }
  return list;
}

/**
 * The options object of `fn` (`{}` when absent), after checking that it is a plain object and that
 * every key is one of `fn`'s options (or of `allowed`, when given: a subset for callers such as
 * LossMeter.addBatch).
 */
export function options<T extends object>(
  fn: string,
  value: T | undefined,
  allowed = optionNames(fn),
): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw typeError(fn, "options", "an object", value);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw unknownOption(fn, key, allowed);
  }
  return value;
}

function unknownOption(fn: string, key: string, allowed: readonly string[]): TypeError {
  const owners = Object.keys(TABLE).flatMap((f) =>
    optionNames(f).includes(key)
      ? [f]
      : f !== "init" && optionNames(`${f}WithGrad`).includes(key)
        ? [`${f}WithGrad`]
        : [],
  );
  if (owners.length > 0) {
    const where = owners.length > 4 ? `${owners.slice(0, 4).join(", ")}, …` : owners.join(", ");
    const twin = `${fn}WithGrad`;
    const own = optionNames(fn);
    const hint = owners.includes(twin)
      ? `use ${twin}`
      : key === "gradsInto" && own.includes("gradInto")
        ? "it has one gradient: use 'gradInto'"
        : key === "gradInto" && own.includes("gradsInto")
          ? `it has ${fn === "tripletMarginLossWithGrad" ? 3 : 2} gradients: use 'gradsInto'`
          : `it is an option of ${where}`;
    return new TypeError(
      `${fn}: option '${key}' does not apply to ${fn} (${hint}); its options are ${list(allowed)}`,
    );
  }
  const near = nearest(key, allowed);
  const suggestion = near ? ` (did you mean '${near}'?)` : "";
  return new TypeError(
    `${fn}: unknown option ${describeKey(key)}${suggestion}; its options are ${list(allowed)}`,
  );
}

const list = (names: readonly string[]) => names.map((n) => `'${n}'`).join(", ");
const describeKey = (key: string) => (/^[\w$]+$/.test(key) ? `'${key}'` : describe(key));

/** The option name closest to `key` by edit distance (case-insensitive), if close enough. */
function nearest(key: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = distance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...new Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
