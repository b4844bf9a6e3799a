// One call of every loss of wasm-loss/tfjs, with the same call of the core API: the twin's
// tensors (channels-last) and options, and the arrays and options (layout included) that the core
// function gets for them. Shared by the bitwise suite and the leak check.
import * as core from "../../src/index";
import * as twin from "../../src/tfjs/index";
import { ints, seeded, tf, uniform } from "./setup";

export interface Arg {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: "float32" | "int32";
}

export interface Case {
  name: string;
  /** The twin's positional arguments, as tensors; the core gets their values. */
  args: Arg[];
  /** Which arguments are differentiated, in the order of the core's gradients. */
  diff: number[];
  /** Options of both calls. */
  options: Record<string, unknown>;
  /** An option given to the twin as a tensor (a weight), to the core as its values. */
  tensorOption?: { key: string; arg: Arg };
  /** What the core needs besides: the layout the twin reads from the shapes. */
  layout: Record<string, unknown>;
  reductions: string[];
}

const f32 = (values: Float32Array, shape: number[]): Arg => ({ values, shape, dtype: "float32" });
const i32 = (values: Int32Array, shape: number[]): Arg => ({ values, shape, dtype: "int32" });
const signs = (random: () => number, n: number) =>
  Float32Array.from({ length: n }, () => (random() < 0.5 ? -1 : 1));
const R = ["mean", "sum", "none"];

export function cases(): Case[] {
  const r = seeded(11);
  const probs = (rows: number, C: number) => {
    const p = uniform(r, rows * C, 0.1, 1);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < C; j++) s += p[i * C + j];
      for (let j = 0; j < C; j++) p[i * C + j] /= s;
    }
    return p;
  };
  const logProbs = (rows: number, C: number) => probs(rows, C).map(Math.log);
  const labels = ints(r, 6, 5);
  labels[2] = 1; // at least one position ignored (ignoreIndex 1)
  const one = (c: Omit<Case, "layout" | "reductions" | "options"> & Partial<Case>): Case => ({
    options: {},
    layout: {},
    reductions: R,
    ...c,
  });
  return [
    one({
      name: "l1Loss",
      args: [f32(uniform(r, 12, -2, 2), [3, 4]), f32(uniform(r, 12, -2, 2), [3, 4])],
      diff: [0],
    }),
    one({
      name: "mseLoss",
      args: [f32(uniform(r, 12, -2, 2), [2, 2, 3]), f32(uniform(r, 12, -2, 2), [2, 2, 3])],
      diff: [0],
    }),
    one({
      name: "huberLoss",
      args: [f32(uniform(r, 10, -2, 2), [10]), f32(uniform(r, 10, -2, 2), [10])],
      diff: [0],
      options: { delta: 0.5 },
    }),
    one({
      name: "smoothL1Loss",
      args: [f32(uniform(r, 10, -2, 2), [5, 2]), f32(uniform(r, 10, -2, 2), [5, 2])],
      diff: [0],
      options: { beta: 0.5 },
    }),
    one({
      name: "bceWithLogitsLoss",
      args: [f32(uniform(r, 12, -4, 4), [4, 3]), f32(uniform(r, 12, 0, 1), [4, 3])],
      diff: [0],
      options: { posWeight: [1, 2, 3] },
      tensorOption: { key: "weight", arg: f32(uniform(r, 3, 0.5, 2), [3]) },
      layout: { classes: 3 },
    }),
    one({
      name: "bceLoss",
      args: [f32(uniform(r, 12, 0.01, 0.99), [12]), f32(uniform(r, 12, 0, 1), [12])],
      diff: [0],
      options: { weight: 0.5 },
      layout: { classes: 12 },
    }),
    one({
      name: "crossEntropyLoss",
      args: [f32(uniform(r, 30, -3, 3), [2, 3, 5]), i32(labels, [2, 3])],
      diff: [0],
      options: { ignoreIndex: 1, labelSmoothing: 0.1 },
      tensorOption: { key: "weight", arg: f32(uniform(r, 5, 0.5, 2), [5]) },
      layout: { classes: 5 },
    }),
    one({
      name: "crossEntropyLoss",
      args: [f32(uniform(r, 20, -3, 3), [4, 5]), f32(probs(4, 5), [4, 5])],
      diff: [0],
      options: { labelSmoothing: 0.2 },
      layout: { classes: 5 },
    }),
    one({
      name: "nllLoss",
      args: [f32(logProbs(6, 4), [6, 4]), i32(ints(r, 6, 4), [6])],
      diff: [0],
      options: { weight: [1, 2, 0.5, 1] },
      layout: { classes: 4 },
    }),
    one({
      name: "klDivLoss",
      args: [f32(logProbs(3, 4), [3, 4]), f32(probs(3, 4), [3, 4])],
      diff: [0],
    }),
    one({
      name: "klDivLoss",
      args: [f32(logProbs(3, 4), [3, 4]), f32(probs(3, 4), [3, 4])],
      diff: [0],
      layout: { classes: 4 },
      reductions: ["batchmean"],
    }),
    one({
      name: "poissonNllLoss",
      args: [f32(uniform(r, 10, -1, 2), [10]), f32(Float32Array.from(ints(r, 10, 6)), [10])],
      diff: [0],
      options: { full: true },
    }),
    one({
      name: "gaussianNllLoss",
      args: [
        f32(uniform(r, 12), [4, 3]),
        f32(uniform(r, 12), [4, 3]),
        f32(uniform(r, 4, 0.1, 2), [4, 1]),
      ],
      diff: [0, 2],
      options: { full: true },
      layout: { classes: 3 },
    }),
    one({
      name: "gaussianNllLoss",
      args: [f32(uniform(r, 6), [6]), f32(uniform(r, 6), [6]), f32(uniform(r, 6, 0.1, 2), [6])],
      diff: [0, 2],
      options: { eps: 0.2 },
    }),
    one({
      name: "softMarginLoss",
      args: [f32(uniform(r, 8, -3, 3), [2, 4]), f32(signs(r, 8), [2, 4])],
      diff: [0],
    }),
    one({
      name: "multiLabelSoftMarginLoss",
      args: [f32(uniform(r, 20, -3, 3), [4, 5]), f32(Float32Array.from(ints(r, 20, 2)), [4, 5])],
      diff: [0],
      tensorOption: { key: "weight", arg: f32(uniform(r, 5, 0.5, 2), [5]) },
      layout: { classes: 5 },
    }),
    one({
      name: "hingeEmbeddingLoss",
      args: [f32(uniform(r, 8, 0, 2), [8]), f32(signs(r, 8), [8])],
      diff: [0],
      options: { margin: 0.5 },
    }),
    one({
      name: "marginRankingLoss",
      args: [f32(uniform(r, 8), [8]), f32(uniform(r, 8), [8]), f32(signs(r, 8), [8])],
      diff: [0, 1],
      options: { margin: 0.1 },
    }),
    one({
      name: "multiMarginLoss",
      args: [f32(uniform(r, 20), [5, 4]), i32(ints(r, 5, 4), [5])],
      diff: [0],
      options: { p: 2, margin: 0.7 },
      tensorOption: { key: "weight", arg: f32(uniform(r, 4, 0.5, 2), [4]) },
      layout: { classes: 4 },
    }),
    one({
      name: "multiLabelMarginLoss",
      args: [
        f32(uniform(r, 12), [3, 4]),
        i32(Int32Array.from([3, 0, -1, 1, 2, -1, 0, 0, 1, 2, 3, 0]), [3, 4]),
      ],
      diff: [0],
      layout: { classes: 4 },
    }),
    one({
      name: "cosineEmbeddingLoss",
      args: [f32(uniform(r, 24), [4, 6]), f32(uniform(r, 24), [4, 6]), f32(signs(r, 4), [4])],
      diff: [0, 1],
      options: { margin: 0.1 },
      layout: { dim: 6 },
    }),
    one({
      name: "tripletMarginLoss",
      args: [f32(uniform(r, 24), [4, 6]), f32(uniform(r, 24), [4, 6]), f32(uniform(r, 24), [4, 6])],
      diff: [0, 1, 2],
      options: { margin: 0.5, swap: true },
      layout: { dim: 6 },
    }),
  ];
}

export type TwinFn = (...a: unknown[]) => tf.Tensor;
export const twinOf = (name: string): TwinFn => (twin as unknown as Record<string, TwinFn>)[name];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results of every kind, read by the caller
export const coreOf = (name: string): ((...a: unknown[]) => any) =>
  (core as unknown as Record<string, (...a: unknown[]) => unknown>)[name];

/** The case's tensors, and its twin call with the differentiated ones replaced by `xs`. */
export function twinCall(c: Case, reduction: string) {
  const ts = c.args.map((a) => tf.tensor(a.values, a.shape, a.dtype));
  const weight = c.tensorOption
    ? tf.tensor(c.tensorOption.arg.values, c.tensorOption.arg.shape, c.tensorOption.arg.dtype)
    : null;
  const options = {
    ...c.options,
    reduction,
    ...(c.tensorOption ? { [c.tensorOption.key]: weight } : {}),
  };
  const call = (...xs: tf.Tensor[]) =>
    twinOf(c.name)(...ts.map((t, i) => (c.diff.includes(i) ? xs[c.diff.indexOf(i)] : t)), options);
  return { ts, diffTensors: c.diff.map((i) => ts[i]), call, owned: weight ? [...ts, weight] : ts };
}

/** The core's arguments and options for the same call. */
export function coreCall(c: Case, reduction: string) {
  return {
    args: c.args.map((a) => a.values),
    options: {
      ...c.options,
      ...c.layout,
      reduction,
      ...(c.tensorOption ? { [c.tensorOption.key]: c.tensorOption.arg.values } : {}),
    },
  };
}
