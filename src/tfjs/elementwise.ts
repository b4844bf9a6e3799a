// The twins of the losses whose input and target have one shape and whose unreduced loss has it
// too (regression, binary cross-entropy, KL, Poisson, soft margin, hinge embedding).

import type * as tf from "@tensorflow/tfjs-core";
import { grads, lossOp } from "./grad";
import { isReduced, twinOptions } from "./options";
import type { CoreFn } from "./types";
import { floatInput, floatValues, sameShape, shapeText, tensor, tensorsText } from "./tensors";

export interface Elementwise {
  fn: string;
  loss: CoreFn;
  withGrad: CoreFn;
  /** Option keys whose value may be a tensor (weights). */
  tensorKeys?: readonly string[];
  /** Options the core needs from the input's shape (klDivLoss's rows for "batchmean"). */
  derived?: (shape: readonly number[], o: Record<string, unknown>) => Record<string, unknown>;
}

export function elementwise(
  e: Elementwise,
  input: unknown,
  target: unknown,
  options: unknown,
): tf.Tensor {
  const { fn } = e;
  const x = tensor(fn, "input", input);
  const t = tensor(fn, "target", target);
  const o = twinOptions(fn, options, e.tensorKeys);
  if (!sameShape(x.shape, t.shape)) {
    throw new RangeError(
      `${fn}: 'input' and 'target' must have the same shape; received input shape ${shapeText(x.shape)} and target shape ${shapeText(t.shape)}`,
    );
  }
  const xs = floatInput(fn, "input", x);
  const ts = floatValues(fn, "target", t);
  const core = { ...o, ...e.derived?.(x.shape, o) };
  return lossOp({
    fn,
    inputs: [x],
    reduced: isReduced(o),
    lossShape: x.shape,
    context: () =>
      tensorsText([
        ["input", x],
        ["target", t],
      ]),
    loss: () => e.loss(xs, ts, core),
    withGrad: (gradOutput) =>
      grads(e.withGrad(xs, ts, gradOutput ? { ...core, gradOutput } : core)),
  });
}
