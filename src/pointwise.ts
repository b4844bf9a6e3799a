// The shared wrapper of every loss that is a sum of per-element terms l(input[i], target[i])
// (assembly/pointwise.ts's driver): validate, launch the kernel over the elements, shape the
// result. Per-loss files only name the kernel and their parameters.

import { callOptions, type Call, type Computed } from "./define";
import { COUNT, Launch, NONE, pieceSize } from "./dispatch";
import type { GradOptions } from "./types";
import { floatArray, outputs, reduction, sameLength, type FloatArray } from "./validate";

/** Kernels with the pointwise ABI (x, y, n, lossOut, grad, gradOut, scale[, a, b]). */
export type PointwiseKernel = "l1" | "mse" | "piecewise" | "divergence" | "marginPointwise";

/** The validated common arguments of an (input, target) loss. */
export interface PairArgs<O> {
  o: Partial<O & GradOptions>;
  x: FloatArray;
  y: FloatArray;
  n: number;
}

/** Options object (strict), both arrays, equal lengths. */
export function pairArgs<O>(
  call: Call,
  input: unknown,
  target: unknown,
  opts: unknown,
): PairArgs<O> {
  const o = callOptions<O & GradOptions>(call, opts);
  const x = floatArray(call.fn, "input", input);
  const y = floatArray(call.fn, "target", target);
  sameLength(call.fn, "input", x.length, "target", y.length);
  return { o, x, y, n: x.length };
}

/**
 * One elementwise loss call: `a`, `b` are the kernel's parameters (unused by l1 and mse); the
 * mean divides by `divisor` (default: the element count; KL's "batchmean" passes the rows).
 */
export function pointwise<O>(
  call: Call,
  kernel: PointwiseKernel,
  p: PairArgs<O>,
  a = 0,
  b = 0,
  red: "mean" | "sum" | "none" = reduction(call.fn, p.o.reduction),
  divisor = p.n,
): Computed {
  const { fn, withGrad } = call;
  const { o, x, y, n } = p;
  const { lossInto, go, into } = outputs(fn, o, red, n, withGrad, ["input"], [n]);
  const L = new Launch(fn, true, kernel === "l1" || kernel === "mse" || kernel === "piecewise");
  const X = L.input("input", x, 1);
  const Y = L.input("target", y, 1);
  const LO = red === "none" ? L.output("lossInto", 1, lossInto) : NONE;
  const G = withGrad ? L.output("gradInto", 1, into[0]) : NONE;
  const GO = go ? L.input("gradOutput", go, 1) : NONE;
  const scale = red === "mean" ? 1 / divisor : 1;
  const work = { units: n, perPiece: pieceSize() };
  const total =
    kernel === "l1" || kernel === "mse"
      ? L.run(kernel, [X, Y, COUNT, LO, G, GO, scale], work)
      : L.run(kernel, [X, Y, COUNT, LO, G, GO, scale, a, b], work);
  return {
    reduction: red,
    total,
    count: divisor,
    loss: LO === NONE ? undefined : L.result(LO),
    grads: G === NONE ? [] : [L.result(G)],
  };
}
