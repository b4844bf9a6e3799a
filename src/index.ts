// The public API of wasm-loss: re-exports only. See README.md for the reference.
export { init, initSync, isReady, backend, type Backend, type InitOptions } from "./loader";
export { alloc, free, refresh, reserve, memoryBytes } from "./memory";
export { LossMeter, type LossName } from "./meter";
export type { Reduction, FloatArrayLike } from "./validate";
export type { ReductionOptions, GradOptions, LossOptions, LossWithGrad, LossFn, LossWithGradFn } from "./pointwise";
export * from "./losses";
