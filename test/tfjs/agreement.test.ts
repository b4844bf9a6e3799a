// For every loss that tfjs also has, the twin's value and gradient agree with tfjs autodiff of
// tfjs's own loss (float32 tolerance), under each matching reduction. tfjs's conventions: labels
// come first; its default reduction SUM_BY_NONZERO_WEIGHTS divides by the number of elements
// (without weights, the same as "mean", checked too); hingeLoss takes 0/1 labels (made ±1
// inside); logLoss adds epsilon inside its logs (0 here: PyTorch's formula); cosineDistance
// assumes unit vectors (normalised here inside the differentiated function, so the gradients
// include the normalisation that cosineEmbeddingLoss differentiates). The transforms' gradients
// are checked against tfjs's softmax, logSoftmax, sigmoid and logSigmoid the same way.
import { describe, expect, it } from "vitest";
import * as twin from "../../src/tfjs/index";
import { BACKENDS, ints, seeded, tf, uniform, useBackend } from "./setup";

const RTOL = 2e-5;

/** |actual − expected| <= atol + rtol·|expected|, atol 1e-6 of the array's largest magnitude. */
function expectClose(actual: tf.Tensor, expected: tf.Tensor, label: string): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  const a = actual.dataSync(),
    e = expected.dataSync();
  const atol = 1e-6 * (e as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  for (let i = 0; i < e.length; i++) {
    if (!(Math.abs(a[i] - e[i]) <= atol + RTOL * Math.abs(e[i]))) {
      expect.fail(
        `${label}[${i}]: wasm-loss/tfjs ${a[i]}, tfjs ${e[i]} (rtol ${RTOL}, atol ${atol.toExponential(2)})`,
      );
    }
  }
}

type R = tf.Reduction;
interface Pair {
  name: string;
  /** Differentiated tensors. */
  xs: () => tf.Tensor[];
  ours: (xs: tf.Tensor[], reduction: "mean" | "sum" | "none") => tf.Tensor;
  theirs: (xs: tf.Tensor[], reduction: R) => tf.Tensor;
  /** tfjs's "none" has a trailing axis of 1 where ours has none (cosineDistance keeps its axis). */
  keepsAxis?: boolean;
}

function pairs(): Pair[] {
  const r = seeded(21);
  const N = 6,
    C = 5;
  const t = (values: Float32Array, shape: number[], dtype: "float32" | "int32" = "float32") =>
    tf.tensor(values, shape, dtype);
  const pred = t(uniform(r, N * C, -2, 2), [N, C]);
  const target = t(uniform(r, N * C, -2, 2), [N, C]);
  const labels01 = t(Float32Array.from(ints(r, N * C, 2)), [N, C]);
  const probs = t(uniform(r, N * C, 0.02, 0.98), [N, C]);
  const classes = ints(r, N, C);
  const indices = t(Float32Array.from(classes), [N]).cast("int32");
  // tfjs-backend-wasm's oneHot with a float32 dtype writes wrong values: one-hot as int32, then cast.
  const onehot = tf.oneHot(indices, C).cast("float32");
  const a = t(uniform(r, N * C), [N, C]),
    b = t(uniform(r, N * C), [N, C]);
  const zeros = tf.zerosLike(pred),
    signs = tf.sub(tf.mul(labels01, 2), 1);
  const unit = (x: tf.Tensor) => tf.div(x, tf.norm(x, "euclidean", 1, true));
  return [
    {
      name: "meanSquaredError ↔ mseLoss",
      xs: () => [pred],
      ours: ([x], red) => twin.mseLoss(x, target, { reduction: red }),
      theirs: ([x], red) => tf.losses.meanSquaredError(target, x, undefined, red),
    },
    {
      name: "absoluteDifference ↔ l1Loss",
      xs: () => [pred],
      ours: ([x], red) => twin.l1Loss(x, target, { reduction: red }),
      theirs: ([x], red) => tf.losses.absoluteDifference(target, x, undefined, red),
    },
    {
      name: "huberLoss ↔ huberLoss (delta 0.7)",
      xs: () => [pred],
      ours: ([x], red) => twin.huberLoss(x, target, { reduction: red, delta: 0.7 }),
      theirs: ([x], red) => tf.losses.huberLoss(target, x, undefined, 0.7, red),
    },
    {
      name: "sigmoidCrossEntropy ↔ bceWithLogitsLoss",
      xs: () => [pred],
      ours: ([x], red) => twin.bceWithLogitsLoss(x, labels01, { reduction: red }),
      theirs: ([x], red) => tf.losses.sigmoidCrossEntropy(labels01, x, undefined, 0, red),
    },
    {
      // tfjs smooths binary labels towards 1/2: the twin gets the smoothed targets.
      name: "sigmoidCrossEntropy with labelSmoothing 0.2 ↔ bceWithLogitsLoss on labels·0.8 + 0.1",
      xs: () => [pred],
      ours: ([x], red) =>
        tf.tidy(() =>
          twin.bceWithLogitsLoss(x, tf.add(tf.mul(labels01, 0.8), 0.1), { reduction: red }),
        ),
      theirs: ([x], red) => tf.losses.sigmoidCrossEntropy(labels01, x, undefined, 0.2, red),
    },
    {
      name: "softmaxCrossEntropy ↔ crossEntropyLoss (int32 labels)",
      xs: () => [pred],
      ours: ([x], red) => twin.crossEntropyLoss(x, indices, { reduction: red }),
      theirs: ([x], red) => tf.losses.softmaxCrossEntropy(onehot, x, undefined, 0, red),
    },
    {
      name: "softmaxCrossEntropy with labelSmoothing 0.1 ↔ crossEntropyLoss (one-hot targets, labelSmoothing 0.1)",
      xs: () => [pred],
      ours: ([x], red) => twin.crossEntropyLoss(x, onehot, { reduction: red, labelSmoothing: 0.1 }),
      theirs: ([x], red) => tf.losses.softmaxCrossEntropy(onehot, x, undefined, 0.1, red),
    },
    {
      name: "logLoss (epsilon 0) ↔ bceLoss",
      xs: () => [probs],
      ours: ([p], red) => twin.bceLoss(p, labels01, { reduction: red }),
      theirs: ([p], red) => tf.losses.logLoss(labels01, p, undefined, 0, red),
    },
    {
      // max(0, 1 − y·x) with y = 2·label − 1 is marginRankingLoss(x, 0, y, margin 1).
      name: "hingeLoss ↔ marginRankingLoss(x, 0, 2·labels − 1, { margin: 1 })",
      xs: () => [pred],
      ours: ([x], red) => twin.marginRankingLoss(x, zeros, signs, { reduction: red, margin: 1 }),
      theirs: ([x], red) => tf.losses.hingeLoss(labels01, x, undefined, red),
    },
    {
      name: "cosineDistance of unit rows ↔ cosineEmbeddingLoss (target 1)",
      xs: () => [a, b],
      keepsAxis: true,
      ours: ([x, y], red) => twin.cosineEmbeddingLoss(x, y, tf.ones([N]), { reduction: red }),
      theirs: ([x, y], red) => tf.losses.cosineDistance(unit(x), unit(y), 1, undefined, red),
    },
  ];
}

const REDUCTIONS = [
  ["mean", "MEAN"],
  ["sum", "SUM"],
  ["none", "NONE"],
] as const;

for (const backend of BACKENDS) {
  describe(`wasm-loss/tfjs agrees with tfjs's own losses (tfjs ${backend} backend)`, () => {
    let all: Pair[] = [];
    const get = async (name: string) => {
      await useBackend(backend);
      if (!all.length) all = pairs();
      return all.find((p) => p.name === name)!;
    };
    const names = [
      "meanSquaredError ↔ mseLoss",
      "absoluteDifference ↔ l1Loss",
      "huberLoss ↔ huberLoss (delta 0.7)",
      "sigmoidCrossEntropy ↔ bceWithLogitsLoss",
      "sigmoidCrossEntropy with labelSmoothing 0.2 ↔ bceWithLogitsLoss on labels·0.8 + 0.1",
      "softmaxCrossEntropy ↔ crossEntropyLoss (int32 labels)",
      "softmaxCrossEntropy with labelSmoothing 0.1 ↔ crossEntropyLoss (one-hot targets, labelSmoothing 0.1)",
      "logLoss (epsilon 0) ↔ bceLoss",
      "hingeLoss ↔ marginRankingLoss(x, 0, 2·labels − 1, { margin: 1 })",
      "cosineDistance of unit rows ↔ cosineEmbeddingLoss (target 1)",
    ];
    for (const name of names) {
      for (const [ours, theirs] of REDUCTIONS) {
        it(`${name}: value and gradient, reduction ${ours} ↔ ${theirs}`, async () => {
          const p = await get(name);
          const xs = p.xs();
          const reduction = tf.Reduction[theirs];
          const o = tf.valueAndGrads((...x: tf.Tensor[]) => p.ours(x, ours))(xs);
          const t = tf.valueAndGrads((...x: tf.Tensor[]) => p.theirs(x, reduction))(xs);
          const value =
            p.keepsAxis && ours === "none" ? tf.reshape(t.value, o.value.shape) : t.value;
          expectClose(o.value, value, `${name} ${ours}: value`);
          o.grads.forEach((g, i) => expectClose(g, t.grads[i], `${name} ${ours}: gradient ${i}`));
          tf.dispose([o.value, t.value, value, ...o.grads, ...t.grads]);
        });
      }
    }

    it("tfjs's default reduction (SUM_BY_NONZERO_WEIGHTS) without weights is \"mean\", the twins' default", async () => {
      await useBackend(backend);
      const x = tf.tensor2d(uniform(seeded(6), 12, -2, 2), [3, 4]),
        y = tf.tensor2d(uniform(seeded(7), 12, -2, 2), [3, 4]);
      expectClose(twin.mseLoss(x, y), tf.losses.meanSquaredError(y, x), "mseLoss");
      expectClose(twin.l1Loss(x, y), tf.losses.absoluteDifference(y, x), "l1Loss");
    });

    it("softmax, logSoftmax, sigmoid, logSigmoid: values and gradients agree with tfjs's ops", async () => {
      await useBackend(backend);
      const x = tf.tensor3d(uniform(seeded(8), 24, -6, 6), [2, 3, 4]);
      const dy = tf.tensor3d(uniform(seeded(9), 24, -1, 1), [2, 3, 4]);
      const ops: Array<[string, (t: tf.Tensor) => tf.Tensor, (t: tf.Tensor) => tf.Tensor]> = [
        ["softmax", twin.softmax, (t) => tf.softmax(t)],
        ["logSoftmax", twin.logSoftmax, (t) => tf.logSoftmax(t)],
        ["sigmoid", twin.sigmoid, tf.sigmoid],
        ["logSigmoid", twin.logSigmoid, tf.logSigmoid],
      ];
      for (const [name, ours, theirs] of ops) {
        const o = tf.valueAndGrad(ours)(x, dy),
          t = tf.valueAndGrad(theirs)(x, dy);
        expectClose(o.value, t.value, `${name}: value`);
        expectClose(o.grad, t.grad, `${name}: gradient`);
      }
    });
  });
}
