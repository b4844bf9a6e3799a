// One generated call: the function, its arrays and options, and how the arrays are passed. A
// case is plain data (it prints as a reproducer and goes to the PyTorch side as JSON).

/** Class indices (or lengths) and the JS array type they are passed as. */
export interface Ints {
  readonly ints: number[];
  readonly as: IntType;
}
export const INT_TYPES = [
  "Int32Array",
  "Uint8Array",
  "Uint16Array",
  "Uint32Array",
  "Int8Array",
  "Int16Array",
  "BigInt64Array",
  "number[]",
] as const;
export type IntType = (typeof INT_TYPES)[number];

export type Data = Float32Array | Ints;
export type Value = Data | number | string | boolean | number[] | undefined;

/** How a float array reaches the API: a Float32Array (default), converted types, or zero-copy. */
export type Pass = "f64" | "list" | "alloc" | "sub";
/** Output buffers: a caller's Float32Array or an alloc() view. */
export type OutputKind = "array" | "alloc";

export interface Case {
  /** The function (a loss without its WithGrad suffix, or softmax/logSoftmax/sigmoid/logSigmoid). */
  fn: string;
  /** Call the …WithGrad twin. */
  grad: boolean;
  args: Data[];
  options: Record<string, Value>;
  /** Float arrays passed other than as a Float32Array, by path ("args.0", "options.weight"). */
  pass: Record<string, Pass>;
  /** Output options to give (gradInto / lossInto / gradsInto / out). */
  outputs: Record<string, OutputKind>;
  /** Run on a fresh module, so that the call itself grows memory (its arrays are large). */
  grow: boolean;
  /** A mutation the call must refuse: its kind and the argument the message must name. */
  invalid?: { kind: string; arg: string };
  /** Labels for the summary (value profile, layout...). */
  tags: string[];
}

export const ints = (v: number[], as: IntType = "Int32Array"): Ints => ({ ints: v, as });
export const isInts = (d: unknown): d is Ints =>
  typeof d === "object" && d !== null && Array.isArray((d as Ints).ints);

export function newCase(
  fn: string,
  grad: boolean,
  args: Data[],
  options: Record<string, Value>,
  tags: string[],
): Case {
  return { fn, grad, args, options, pass: {}, outputs: {}, grow: false, tags };
}

/** Losses whose …WithGrad returns `grads` (several differentiable inputs). */
export const SEVERAL_GRADS = new Set([
  "gaussianNllLoss",
  "marginRankingLoss",
  "cosineEmbeddingLoss",
  "tripletMarginLoss",
]);
/** Functions without a …WithGrad twin. */
export const NO_GRAD = new Set(["softmax", "logSoftmax", "sigmoid", "logSigmoid"]);

const num = (v: number): number | string => (Number.isFinite(v) ? v : String(v));

function b64(a: Float32Array): string {
  const u8 = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.from(u8).toString("base64");
}

/** The case as the PyTorch side reads it (scripts/fuzz/reference.py). */
export function toReference(c: Case): string {
  const enc = (v: Value): unknown =>
    v instanceof Float32Array
      ? { f32: b64(v) }
      : isInts(v)
        ? { int: v.ints }
        : typeof v === "number"
          ? num(v)
          : v;
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.options)) if (v !== undefined) options[k] = enc(v);
  return JSON.stringify({ fn: c.fn, grad: c.grad, args: c.args.map(enc), options });
}

/** The case as readable JSON (reproducers): float arrays as number lists, non-finite as strings. */
export function toJson(c: Case): unknown {
  const enc = (v: Value): unknown =>
    v instanceof Float32Array ? { f32: Array.from(v, num) } : typeof v === "number" ? num(v) : v;
  return {
    ...c,
    args: c.args.map(enc),
    options: Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, enc(v)])),
  };
}
