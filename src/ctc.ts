// Connectionist Temporal Classification loss (torch.nn.functional.ctc_loss): validation, the
// target layout, and the reduction around the forward-backward kernel of assembly/ctc.ts.

import { callOptions, defineLoss, defineWithGrad, type Call, type Computed } from "./define";
import { COUNT, Launch, NONE } from "./dispatch";
import { rangeError, typeError } from "./errors";
import { INDEX_TYPES, indexAt, indexKind, isIndexArray, type IndexContext } from "./indices";
import { typedSource } from "./targets";
import type { FloatArrayLike, IndexArray, Reduction } from "./types";
import { boolean, finiteNumber, floatArray, outputs, reduction } from "./validate";

/** Integer arrays accepted for targets and lengths (as crossEntropyLoss's class indices). */
export type IntArrayLike = IndexArray;

export interface CtcOptions {
  /** `[T, N, C]`: frames, batch size, classes (blank included); logProbs is time-major. Required. */
  shape: readonly [number, number, number] | readonly number[];
  /** The blank class, in [0, C). Default 0. */
  blank?: number;
  /** `"mean"` (default): each loss divided by max(targetLength, 1), then the batch mean;
   *  `"sum"`; `"none"`: one loss per sample (length N). */
  reduction?: Reduction;
  /** Replace infinite losses (impossible alignments) and their gradients by 0. Default false. */
  zeroInfinity?: boolean;
  /** Write the per-sample losses here (reduction `"none"`, length N). */
  lossInto?: Float32Array;
}

export interface CtcGradOptions extends CtcOptions {
  /** Upstream gradient, one value per sample (reduction `"none"` only). */
  gradOutput?: FloatArrayLike;
  /** Write the gradient here (length T·N·C) instead of allocating. */
  gradInto?: Float32Array;
}

/** The values of an integer array as numbers (integers checked for number[]; bigints converted). */
function intArray(fn: string, arg: string, value: unknown): ArrayLike<number> {
  if (!isIndexArray(value)) throw typeError(fn, arg, INDEX_TYPES, value);
  const kind = indexKind(value);
  if (kind === "typed") return value as ArrayLike<number>;
  const c: IndexContext = { fn, arg, where: "element", integers: "contain only integers" };
  return Array.from({ length: value.length }, (_, i) => indexAt(c, value, kind, i));
}

function shapeOf(fn: string, value: unknown, length: number): [number, number, number] {
  if (value === undefined) {
    throw new RangeError(
      `${fn}: 'shape' [T, N, C] is required (logProbs is time-major [T, N, C]); received undefined`,
    );
  }
  if (!Array.isArray(value)) throw typeError(fn, "shape", "an array [T, N, C]", value);
  if (
    value.length !== 3 ||
    !value.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0)
  ) {
    throw rangeError(
      fn,
      "shape",
      "[T, N, C] of three non-negative integers",
      JSON.stringify(value),
    );
  }
  const [T, N, C] = value as number[];
  if (C < 1)
    throw rangeError(
      fn,
      "shape",
      "[T, N, C] with C >= 1 (the blank is a class)",
      JSON.stringify(value),
    );
  if (T * N * C !== length) {
    throw rangeError(
      fn,
      "shape",
      `[T, N, C] with T·N·C equal to logProbs.length = ${length}`,
      `[${T}, ${N}, ${C}] (product ${T * N * C})`,
    );
  }
  return [T, N, C];
}

function lengths(
  fn: string,
  arg: string,
  value: unknown,
  N: number,
  max: number,
  what: string,
): ArrayLike<number> {
  const a = intArray(fn, arg, value);
  if (a.length !== N) {
    throw rangeError(fn, arg, `of length N = ${N} (one per sample)`, `length ${a.length}`);
  }
  for (let b = 0; b < N; b++) {
    if (a[b] < 0 || a[b] > max) {
      throw new RangeError(
        `${fn}: '${arg}' must lie in [0, ${max}] (${what}); element ${b} is ${a[b]}`,
      );
    }
  }
  return a;
}

type Args = [
  logProbs: FloatArrayLike,
  targets: IntArrayLike,
  inputLengths: IntArrayLike,
  targetLengths: IntArrayLike,
];

function ctcImpl(
  call: Call,
  [logProbs, targets, inputLengths, targetLengths]: Args,
  opts: unknown,
): Computed {
  const { fn, withGrad } = call;
  const o = callOptions<CtcGradOptions>(call, opts);
  const lp = floatArray(fn, "logProbs", logProbs);
  const [T, N, C] = shapeOf(fn, o.shape, lp.length);
  const blank = finiteNumber(
    fn,
    "blank",
    o.blank ?? undefined,
    0,
    (b) => Number.isInteger(b) && b >= 0 && b < C,
    `an integer in [0, ${C}) (C = ${C} classes)`,
  );
  const red = reduction(fn, o.reduction);
  const zeroInf = boolean(fn, "zeroInfinity", o.zeroInfinity, false);
  const tg = intArray(fn, "targets", targets);
  const il = lengths(fn, "inputLengths", inputLengths, N, T, `at most T = ${T} frames`);
  // Target lengths are bounded by the targets array here; the layout check below is exact.
  const tl = lengths(
    fn,
    "targetLengths",
    targetLengths,
    N,
    tg.length,
    `the targets array holds ${tg.length} labels`,
  );

  // Layout (PyTorch decides by the targets' dimension; a flat array decides by its length):
  // concatenated when targets.length == Σ targetLengths, else N padded rows of S >= max length.
  // Both can fit only when every target length equals S; the two layouts are then the same.
  let total = 0,
    longest = 0,
    longestAt = 0;
  for (let b = 0; b < N; b++) {
    total += tl[b];
    if (tl[b] > longest) {
      longest = tl[b];
      longestAt = b;
    }
  }
  // Per sample: [inputLength, targetLength, offset of its first label in targets].
  const meta = new Int32Array(3 * N);
  let pos = 0;
  if (tg.length === total) {
    for (let b = 0; b < N; b++) {
      meta[3 * b + 2] = pos;
      pos += tl[b];
    }
  } else if (N > 0 && tg.length % N === 0 && tg.length / N >= longest) {
    const S = tg.length / N;
    for (let b = 0; b < N; b++) meta[3 * b + 2] = b * S;
  } else {
    throw new RangeError(
      `${fn}: 'targets' must hold the concatenated targets (length Σ targetLengths = ${total}) or N = ${N} padded rows ` +
        `of S >= max targetLength = ${longest} (targetLengths[${longestAt}]) labels each (length N·S >= ${N * longest}); received length ${tg.length}`,
    );
  }
  for (let b = 0; b < N; b++) {
    meta[3 * b] = il[b];
    meta[3 * b + 1] = tl[b];
    const start = meta[3 * b + 2];
    for (let j = start; j < start + tl[b]; j++) {
      const v = tg[j];
      if (!(v >= 0 && v < C)) {
        throw new RangeError(
          `${fn}: 'targets' must contain class indices in [0, ${C}); element ${j} (sample ${b}) is ${v}`,
        );
      }
    }
  }

  const { lossInto, go, into } = outputs(fn, o, red, N, withGrad, ["logProbs"], [lp.length]);

  // Upstream gradient per sample, as PyTorch's autograd forms it in float32: "mean" is
  // mean's 1/N, then the division by max(targetLength, 1); "sum" 1; "none" gradOutput or 1.
  const gr = new Float32Array(N);
  for (let b = 0; b < N; b++) {
    gr[b] = red === "mean" ? Math.fround(Math.fround(1 / N) / Math.max(tl[b], 1)) : go ? go[b] : 1;
  }
  // Kernel scratch per thread: state rows of S4 (the longest 2L + 1, rounded up to 4) plus 8 pad slots.
  const S4 = (2 * longest + 1 + 3) & ~3;
  const R = S4 + 8;

  // Pieces are samples; a sample's frames are rows of C at a stride of N·C (time-major), so a
  // window holds a group of samples' rows and the kernel takes each array's frame separately.
  const L = new Launch(fn);
  const frames = { rows: T, rowStride: N * C };
  const LP = L.input("logProbs", lp, C, frames);
  const TG = L.whole("targets", typedSource(Int32Array.from(tg)));
  const META = L.indices("meta", typedSource(meta), 3);
  const GR = L.input("gradOutput", gr, 1);
  const NLL = L.output("lossInto", 1, lossInto);
  const G = withGrad ? L.output("gradInto", C, into[0], frames) : NONE;
  const ALPHA = L.temp(4 * T * R);
  const BETA = L.temp(4 * 2 * R);
  const EXT = L.temp(4 * S4);
  const SKIP = L.temp(4 * (S4 + 4));
  L.run(
    "ctc",
    [
      LP,
      LP.frame,
      T,
      COUNT,
      C,
      blank,
      TG,
      META,
      NLL,
      G,
      G === NONE ? 0 : G.frame,
      GR,
      zeroInf ? 1 : 0,
      ALPHA,
      BETA,
      EXT,
      SKIP,
    ],
    { units: N, perPiece: 1 },
  );
  // zeroInfinity: infinite losses become 0 (the kernel already zeroed their gradients).
  const nll = L.result(NLL);
  if (zeroInf) for (let b = 0; b < N; b++) if (nll[b] === Infinity) nll[b] = 0;
  let sum = 0;
  if (red !== "none")
    for (let b = 0; b < N; b++)
      sum += red === "mean" ? Math.fround(nll[b] / Math.max(tl[b], 1)) : nll[b];
  return {
    reduction: red,
    total: sum,
    count: N,
    loss: red === "none" ? nll : undefined,
    grads: G === NONE ? [] : [L.result(G)],
  };
}

/**
 * CTC loss over time-major log-probabilities `logProbs` of shape `[T, N, C]` (e.g. a
 * logSoftmax over C). `targets` are either concatenated (length Σ targetLengths) or N padded
 * rows of S labels (length N·S, S >= the longest target; padding is never read). An impossible
 * alignment has loss +Infinity (0 with `zeroInfinity`).
 * @example
 * // T = 2 frames, N = 1 sample, C = 2 classes (0 = blank); target "1".
 * const lp = new Float32Array([Math.log(0.4), Math.log(0.6), Math.log(0.5), Math.log(0.5)]);
 * ctcLoss(lp, [1], [2], [1], { shape: [2, 1, 2], reduction: "sum" }); // -log(0.4·0.5 + 0.6·0.5 + 0.6·0.5) = 0.2231
 */
export const ctcLoss = defineLoss<Args, CtcOptions>("ctcLoss", 4, ctcImpl);

/**
 * {@link ctcLoss} and its gradient w.r.t. logProbs, PyTorch's `exp(logProbs) − posterior`
 * (the gradient for log-softmax outputs), 0 on frames >= inputLength; NaN on the frames of a
 * sample with an impossible alignment unless `zeroInfinity` (then 0).
 * @example
 * const { loss, grad } = ctcLossWithGrad(lp, targets, inputLengths, targetLengths, { shape: [T, N, C] });
 */
export const ctcLossWithGrad = defineWithGrad<Args, CtcGradOptions>("ctcLoss", 4, ctcImpl);
