// The types say what the run time checks: a file for the TypeScript compiler only (`npm run
// lint` type-checks test/; it is not a vitest suite and never runs). A wrong overload, a missing
// required option, an accepted bad call (@ts-expect-error then fails) or a lost `any` fails the check.
import { expectTypeOf } from "vitest";
import * as api from "../src/index";

export function resultsFollowReduction(): void {
  const x = new Float32Array(4),
    y = new Float32Array(4);
  expectTypeOf(api.mseLoss(x, y)).toEqualTypeOf<number>();
  expectTypeOf(api.mseLoss(x, y, { reduction: "sum" })).toEqualTypeOf<number>();
  expectTypeOf(api.mseLoss(x, y, { reduction: "none" })).toEqualTypeOf<Float32Array<ArrayBuffer>>();
  const mine = api.alloc(4);
  expectTypeOf(api.mseLoss(x, y, { reduction: "none", lossInto: mine })).toEqualTypeOf<
    Float32Array<ArrayBufferLike>
  >();
  const r = api.mseLossWithGrad(x, y);
  expectTypeOf(r.loss).toEqualTypeOf<number>();
  expectTypeOf(r.grad).toEqualTypeOf<Float32Array<ArrayBuffer>>();
  const n = api.crossEntropyLossWithGrad(x, [0, 1], { classes: 2, reduction: "none" });
  expectTypeOf(n.loss).toEqualTypeOf<Float32Array<ArrayBuffer>>();
  const g3 = api.tripletMarginLossWithGrad(x, y, x, { dim: 2 });
  expectTypeOf(g3.grads).toEqualTypeOf<Array<Float32Array<ArrayBuffer>>>();
  expectTypeOf(api.klDivLoss(x, y, { reduction: "batchmean" })).toEqualTypeOf<number>();
  expectTypeOf(api.sigmoid(x)).toEqualTypeOf<Float32Array<ArrayBuffer>>();
  expectTypeOf(api.sigmoid(x, { out: mine })).toEqualTypeOf<Float32Array<ArrayBufferLike>>();
  api.free(mine);
}

export function requiredAndExclusiveOptions(): void {
  const x = new Float32Array(2);
  // @ts-expect-error neither classes nor shape
  api.crossEntropyLoss(x, [0], {});
  // @ts-expect-error both classes and shape
  api.crossEntropyLoss(x, [0], { classes: 2, shape: [2] });
  api.crossEntropyLoss(x, [0], { shape: [2] });
  // @ts-expect-error dim is required
  api.cosineEmbeddingLoss(x, x, [1], {});
  // @ts-expect-error gradInto belongs to the …WithGrad twin
  api.mseLoss(x, x, { gradInto: x });
  // @ts-expect-error a loss with several gradients takes gradsInto
  api.marginRankingLossWithGrad(x, x, [1, 1], { gradInto: x });
}

export function lossMeterIsTypedPerLoss(): void {
  const m = new api.LossMeter();
  const x = new Float32Array(2);
  m.addBatch(api.crossEntropyLoss, x, [0], { classes: 2 });
  m.addBatch("mseLoss", x, x);
  m.addBatch("cosineEmbeddingLoss", x, x, [1], { dim: 2 });
  // @ts-expect-error the meter takes over the reduction
  m.addBatch("mseLoss", x, x, { reduction: "sum" });
  // @ts-expect-error classes is required by crossEntropyLoss's layout
  m.addBatch(api.crossEntropyLoss, x, [0]);
  // @ts-expect-error not a loss
  m.addBatch("softmax", x, { classes: 2 });
}

export function initOptions(): void {
  void api.init({ threads: "auto" });
  void api.init({ simd: false, threads: 4 });
  // @ts-expect-error unknown option
  void api.init({ thread: 4 });
  expectTypeOf(api.threads()).toEqualTypeOf<number>();
}
