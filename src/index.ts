// The public API of wasm-loss: re-exports only. The reference, docs/api/, is generated from the
// TSDoc of these exports (`npm run docs`).
export { init, initSync, isReady, backend, type Backend, type InitOptions } from "./loader";
export { alloc, free, refresh, reserve, memoryBytes } from "./memory";
export { LossMeter, type LossName } from "./meter";
export type { Reduction, FloatArrayLike } from "./validate";
export type { ReductionOptions, GradOptions, LossOptions, LossWithGrad, LossFn, LossWithGradFn } from "./pointwise";
export type {
  GradsOptions, LossWithGrads, Loss3Fn, Loss3WithGradsFn,
  RowOptions, RowGradOptions, RowGradsOptions, RowLossFn, RowLossWithGradFn, RowLoss3Fn, RowLoss3WithGradsFn,
} from "./fused";
export type { IndexArray } from "./indices";
export * from "./losses";
