// wasm-loss/tfjs: the losses of wasm-loss as TensorFlow.js ops (re-exports only). Every twin
// takes tf.Tensors, returns a tf.Tensor, and gets its gradient from the fused kernel through
// tf.customGrad. Call `init()` from "wasm-loss" first: the adapter shares its module.
/** @module wasm-loss/tfjs */
export {
  l1Loss,
  mseLoss,
  huberLoss,
  smoothL1Loss,
  type HuberOptions,
  type SmoothL1Options,
} from "./regression";
export {
  bceWithLogitsLoss,
  bceLoss,
  sigmoid,
  logSigmoid,
  type BceWithLogitsOptions,
  type BceOptions,
  type TransformOptions,
} from "./binary";
export {
  crossEntropyLoss,
  nllLoss,
  softmax,
  logSoftmax,
  type CrossEntropyOptions,
  type NllOptions,
  type SoftmaxOptions,
  type ClassTargetLike,
} from "./multiclass";
export {
  klDivLoss,
  poissonNllLoss,
  gaussianNllLoss,
  type KLDivOptions,
  type PoissonNllOptions,
  type GaussianNllOptions,
} from "./divergence";
export {
  softMarginLoss,
  hingeEmbeddingLoss,
  marginRankingLoss,
  multiLabelSoftMarginLoss,
  type HingeEmbeddingOptions,
  type MarginRankingOptions,
  type MultiLabelSoftMarginOptions,
} from "./margin";
export {
  multiMarginLoss,
  multiLabelMarginLoss,
  type MultiMarginOptions,
  type MultiLabelMarginOptions,
} from "./ranking";
export {
  cosineEmbeddingLoss,
  tripletMarginLoss,
  type CosineEmbeddingOptions,
  type TripletMarginOptions,
} from "./embedding";
export { ctcLoss, type CtcOptions, type TensorCtcLossFn } from "./ctc";
export { forLayers, type TwinLossFn } from "./layers";
export type { TwinOptions } from "./options";
export type { TargetLike, TensorLossFn, TensorLoss3Fn } from "./types";
