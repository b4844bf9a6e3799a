// Twin of ctcLoss. tfjs sequence models (an RNN with returnSequences, Keras' ctc_batch_cost)
// produce batch-major [N, T, C]; the core, like PyTorch, reads time-major [T, N, C]. The twin
// takes the batch-major tensor and reorders its rows of C values once into time-major order for
// the core, and the gradient's rows once back: two copies of N·T·C floats, which are small beside
// the forward-backward recursion over T frames and 2·L + 1 states per sample.

import type * as tf from "@tensorflow/tfjs-core";
import * as core from "../index";
import type { CtcOptions as CoreCtcOptions, IntArrayLike } from "../index";
import { grads, lossOp } from "./grad";
import { isReduced, twinOptions, type TwinOptions } from "./options";
import {
  floatInput,
  indexValues,
  optionalTensor,
  shapeError,
  shapeText,
  tensor,
  tensorsText,
} from "./tensors";
import type { TargetLike } from "./types";

/**
 * Options of the tfjs {@link ctcLoss}: `blank`, `reduction`, `zeroInfinity` (the shape is the tensor's).
 * @example const o: CtcOptions = { blank: 0, zeroInfinity: true, reduction: "sum" };
 */
export type CtcOptions = TwinOptions<CoreCtcOptions>;

type Reduced = { reduction?: "mean" | "sum" };
type Unreduced = { reduction: "none" };
type Ints = TargetLike<IntArrayLike>;

/**
 * Signature of the tfjs {@link ctcLoss}: a `tf.Scalar` when reduced, shape [N] for `"none"`.
 * @example const perSequence: tf.Tensor = ctcLoss(logProbs, labels, inputLengths, labelLengths, { reduction: "none" });
 */
export interface TensorCtcLossFn {
  (
    logProbs: tf.Tensor,
    targets: Ints,
    inputLengths: Ints,
    targetLengths: Ints,
    options?: CtcOptions & Reduced,
  ): tf.Scalar;
  (
    logProbs: tf.Tensor,
    targets: Ints,
    inputLengths: Ints,
    targetLengths: Ints,
    options: CtcOptions & Unreduced,
  ): tf.Tensor;
  (
    logProbs: tf.Tensor,
    targets: Ints,
    inputLengths: Ints,
    targetLengths: Ints,
    options?: CtcOptions,
  ): tf.Tensor;
}

/** Rows of C values from [A, B, C] order to [B, A, C] order (A·B rows). */
function swapAxes(src: Float32Array, A: number, B: number, C: number): Float32Array {
  if (A === 1 || B === 1) return src;
  const out = new Float32Array(src.length);
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++)
      out.set(src.subarray((a * B + b) * C, (a * B + b + 1) * C), (b * A + a) * C);
  }
  return out;
}

/** Lengths (one per sample): a tensor of shape [N] or [N, 1] ([] or [1] unbatched), read as int32. */
function lengths(fn: string, arg: string, value: unknown, N: number, batched: boolean): unknown {
  const t = optionalTensor(fn, arg, value);
  if (!t) return value;
  const fits = batched
    ? (t.rank === 1 && t.shape[0] === N) || (t.rank === 2 && t.shape[0] === N && t.shape[1] === 1)
    : t.rank === 0 || (t.rank === 1 && t.shape[0] === 1);
  if (!fits)
    throw shapeError(
      fn,
      arg,
      batched
        ? `shape [${N}] or [${N}, 1] (one length per sample)`
        : "shape [] or [1] (one sample)",
      t,
    );
  return indexValues(fn, arg, t, "lengths");
}

/**
 * CTC loss of log-probabilities (a log-softmax over C, blank included) in tfjs's batch-major
 * layout [N, T, C] — or [T, C] for one unbatched sequence — for int32 `targets` as padded rows
 * [N, S] or concatenated [Σ targetLengths], and int32 lengths [N] (or Keras' [N, 1]). The
 * gradient is PyTorch's `exp(logProbs) − posterior`, exact through a log-softmax. `"none"` gives
 * shape [N].
 * @example
 * const logProbs = tf.logSoftmax(model.apply(images) as tf.Tensor); // [N, T, C]
 * const loss = ctcLoss(logProbs, labels, inputLengths, labelLengths, { zeroInfinity: true });
 */
export const ctcLoss: TensorCtcLossFn = (
  logProbs,
  targets,
  inputLengths,
  targetLengths,
  options?,
) => {
  const fn = "ctcLoss";
  const lp = tensor(fn, "logProbs", logProbs);
  const tg = optionalTensor(fn, "targets", targets);
  const o = twinOptions(fn, options);
  if (lp.rank !== 3 && lp.rank !== 2)
    throw shapeError(fn, "logProbs", "shape [N, T, C] (batch-major) or [T, C] (one sequence)", lp);
  const batched = lp.rank === 3;
  const [N, T, C] = batched ? lp.shape : [1, ...lp.shape];
  const il = lengths(fn, "inputLengths", inputLengths, N, batched);
  const tl = lengths(fn, "targetLengths", targetLengths, N, batched);
  const tgs = tg ? indexValues(fn, "targets", tg, "class indices") : targets;
  const timeMajor = swapAxes(floatInput(fn, "logProbs", lp), N, T, C);
  const c = { ...o, shape: [T, N, C] };
  const args = [timeMajor, tgs as IntArrayLike, il as IntArrayLike, tl as IntArrayLike] as const;
  return lossOp({
    fn,
    inputs: [lp],
    reduced: isReduced(o),
    lossShape: batched ? [N] : [],
    context: () =>
      `${tensorsText([
        ["logProbs", lp],
        ["targets", tg],
        ["inputLengths", inputLengths],
        ["targetLengths", targetLengths],
      ])}; the core's shape [T, N, C] = ${shapeText([T, N, C])}`,
    loss: () => core.ctcLoss(...args, c as CoreCtcOptions),
    withGrad: (gradOutput) =>
      grads(
        core.ctcLossWithGrad(
          ...args,
          gradOutput ? ({ ...c, gradOutput } as CoreCtcOptions) : (c as CoreCtcOptions),
        ),
      ),
    toInputLayout: (g) => swapAxes(g, T, N, C),
  }) as never;
};
