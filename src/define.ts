// How a public loss is made from its family's compute function: the same compute runs the loss
// alone, its fused `…WithGrad` twin, and LossMeter.addBatch (which needs the float64 sum and the
// mean's divisor, not the float32 result).

import { optionNames, options } from "./options";
import type { LossFn, LossWithGradFn, LossWithGradsFn, Reduction } from "./types";

/** What one call computed, before it is shaped into the public result. */
export interface Computed {
  reduction: Reduction;
  /** Float64 sum of the losses. */
  total: number;
  /** What "mean" divides by: elements, rows, or Σ weight of the counted targets. */
  count: number;
  /** The unreduced losses (reduction "none"). */
  loss?: Float32Array;
  /** One gradient per differentiable input (`…WithGrad` only). */
  grads: Float32Array[];
}

/** Who is computing: `fn` names the caller in messages, `name` is the loss (its option table). */
export interface Call {
  fn: string;
  name: string;
  withGrad: boolean;
}

/** The options object of a call, checked against the loss's own options (strict). */
export function callOptions<O extends object>(call: Call, value: unknown): Partial<O> {
  return options(
    call.fn,
    value as O | undefined,
    optionNames(call.withGrad ? `${call.name}WithGrad` : call.name),
  );
}

export type Compute<A extends unknown[]> = (call: Call, args: A, options: unknown) => Computed;

/** The loss value of a call: its unreduced losses, or the float64 total reduced to float32. */
export function lossValue(c: Computed): number | Float32Array {
  if (c.loss !== undefined) return c.loss;
  return Math.fround(c.reduction === "sum" ? c.total : c.total / c.count);
}

interface Entry {
  name: string;
  arity: number;
  compute: Compute<unknown[]>;
}

const registry = new Map<unknown, Entry>();

/** The compute function behind a public loss (or its name), for LossMeter. */
export function computeOf(loss: unknown): Entry | undefined {
  return registry.get(loss);
}

/** The public loss `name` taking `arity` arrays, then options. (The one cast: the overloads of
 *  LossFn describe how the result's type follows `reduction`, which lossValue implements.) */
export function defineLoss<A extends unknown[], O>(
  name: string,
  arity: number,
  compute: Compute<A>,
): LossFn<A, O> {
  const call: Call = { fn: name, name, withGrad: false };
  // (compute reads the first `arity` arguments; the options follow them.)
  const f = (...args: unknown[]) => lossValue(compute(call, args as A, args[arity]));
  const entry: Entry = { name, arity, compute: compute as Compute<unknown[]> };
  registry.set(f, entry);
  registry.set(name, entry);
  return f as LossFn<A, O>;
}

const gradCall = (name: string): Call => ({ fn: `${name}WithGrad`, name, withGrad: true });

/** The fused `…WithGrad` twin of loss `name`, with one gradient: `{ loss, grad }`. */
export function defineWithGrad<A extends unknown[], O>(
  name: string,
  arity: number,
  compute: Compute<A>,
): LossWithGradFn<A, O> {
  const call = gradCall(name);
  return ((...args: unknown[]) => {
    const c = compute(call, args as A, args[arity]);
    return { loss: lossValue(c), grad: c.grads[0] };
  }) as LossWithGradFn<A, O>;
}

/** The fused `…WithGrad` twin of loss `name`, with several gradients: `{ loss, grads }`. */
export function defineWithGrads<A extends unknown[], O>(
  name: string,
  arity: number,
  compute: Compute<A>,
): LossWithGradsFn<A, O> {
  const call = gradCall(name);
  return ((...args: unknown[]) => {
    const c = compute(call, args as A, args[arity]);
    return { loss: lossValue(c), grads: c.grads };
  }) as LossWithGradsFn<A, O>;
}
