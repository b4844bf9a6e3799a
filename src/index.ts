// The public API of wasm-loss: re-exports only. Reference: docs/api (generated from the TSDoc
// below each export).
/** @module wasm-loss */
export { init, initSync, isReady, backend, threads, type Backend, type InitOptions } from "./init";
export { alloc, free, refresh, reserve, memoryBytes } from "./memory";
export { LossMeter, type LossName } from "./meter";
export type {
  Reduction,
  FloatArrayLike,
  IndexArray,
  ReductionOptions,
  LossOptions,
  GradOptions,
  GradsOptions,
  LossWithGrad,
  LossWithGrads,
  LossFn,
  LossWithGradFn,
  LossWithGradsFn,
} from "./types";
export * from "./regression";
export * from "./binary";
export * from "./multiclass";
export * from "./divergence";
export * from "./margin";
export * from "./ranking";
export * from "./embedding";
export * from "./ctc";
