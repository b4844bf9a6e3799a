// Training with the twins: no tensor left behind over 10,000 optimizer steps (and a few steps of
// every twin), a tfjs-layers model compiled with forLayers(crossEntropyLoss) reaching the accuracy
// of the same model with tfjs's categoricalCrossentropy on the shipped digits, and a sequence model
// learning unsegmented label sequences through ctcLoss.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import * as twin from "../../src/tfjs/index";
import { loadDigits, seededRandom } from "../../examples/train/softmax.mjs";
import { cases, twinCall } from "./cases";
import { BACKENDS, ints, seeded, tf, uniform, useBackend } from "./setup";

for (const backend of BACKENDS) {
  describe(`training on the tfjs ${backend} backend`, () => {
    it("10,000 steps of optimizer.minimize(crossEntropyLoss) leave tf.memory() as they found it, and the loss falls", async () => {
      await useBackend(backend);
      const random = seeded(1);
      const x = tf.tensor2d(uniform(random, 8 * 4), [8, 4]);
      const labels = tf.tensor1d(ints(random, 8, 3), "int32");
      const w = tf.variable(tf.zeros([4, 3])),
        b = tf.variable(tf.zeros([3]));
      const optimizer = tf.train.adam(0.01);
      const step = () =>
        optimizer.minimize(
          () => twin.crossEntropyLoss(tf.add(tf.matMul(x, w), b), labels, { labelSmoothing: 0.05 }),
          true,
        )!;
      const first = step(); // the optimizer's own state is made here
      const initial = first.dataSync()[0];
      first.dispose();
      const before = tf.memory();
      for (let i = 0; i < 9_998; i++)
        optimizer.minimize(() =>
          twin.crossEntropyLoss(tf.add(tf.matMul(x, w), b), labels, { labelSmoothing: 0.05 }),
        );
      const last = step();
      const final = last.dataSync()[0];
      last.dispose();
      const after = tf.memory();
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numBytes).toBe(before.numBytes);
      expect(final).toBeLessThan(0.6 * initial);
      for (const t of [x, labels]) expect(t.isDisposed).toBe(false);
      tf.dispose([x, labels, w, b]);
      optimizer.dispose();
    }, 60_000);

    it("every twin, in every reduction, leaves no tensor behind under tf.variableGrads", async () => {
      await useBackend(backend);
      for (const c of cases()) {
        for (const reduction of c.reductions) {
          const { diffTensors, call, owned } = twinCall(c, reduction);
          const vars = diffTensors.map((t) => tf.variable(t));
          const before = tf.memory().numTensors;
          for (let i = 0; i < 3; i++) {
            const { value, grads } = tf.variableGrads(
              () => tf.sum(call(...vars)) as tf.Scalar,
              vars,
            );
            tf.dispose([value, ...Object.values(grads)]);
          }
          expect(tf.memory().numTensors, `${c.name} ${reduction}`).toBe(before);
          tf.dispose([...owned, ...vars]);
        }
      }
    });
  });
}

describe("tfjs-layers: forLayers(crossEntropyLoss) against tfjs's categoricalCrossentropy on the digits (cpu)", () => {
  it("the same model, data and optimizer reach the same test accuracy", async () => {
    await useBackend("cpu");
    const csv = gunzipSync(
      readFileSync(new URL("../../examples/data/digits.csv.gz", import.meta.url)),
    ).toString("utf8");
    const { train, test } = loadDigits(csv, seededRandom(7));
    const xs = tf.tensor2d(train.x, [train.n, 64]),
      xt = tf.tensor2d(test.x, [test.n, 64]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(train.y, "int32"), 10).cast("float32"));
    const accuracy = async (loss: "ours" | "theirs") => {
      const model = tf.sequential({
        layers: [
          tf.layers.dense({
            inputShape: [64],
            units: 32,
            activation: "relu",
            kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
          }),
          tf.layers.dense({
            units: 10,
            activation: loss === "ours" ? "linear" : "softmax",
            kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
          }),
        ],
      });
      model.compile({
        optimizer: tf.train.adam(0.01),
        loss: loss === "ours" ? twin.forLayers(twin.crossEntropyLoss) : "categoricalCrossentropy",
        metrics: ["accuracy"],
      });
      const history = await model.fit(xs, ys, {
        epochs: 8,
        batchSize: 32,
        shuffle: false,
        verbose: 0,
      });
      const predicted = tf.tidy(() => (model.predict(xt) as tf.Tensor).argMax(-1).dataSync());
      const right = test.y.reduce(
        (n: number, y: number, i: number) => n + (predicted[i] === y ? 1 : 0),
        0,
      );
      const losses = history.history.loss as number[];
      model.dispose();
      return { accuracy: right / test.n, first: losses[0], last: losses.at(-1)! };
    };
    const ours = await accuracy("ours"),
      theirs = await accuracy("theirs");
    expect(ours.last).toBeLessThan(ours.first / 4);
    expect(theirs.accuracy).toBeGreaterThan(0.9);
    expect(
      Math.abs(ours.accuracy - theirs.accuracy),
      `ours ${ours.accuracy}, tfjs ${theirs.accuracy}`,
    ).toBeLessThanOrEqual(0.015);
    // Both losses are the mean cross-entropy of the same predictions: their curves agree.
    expect(Math.abs(ours.last - theirs.last)).toBeLessThan(0.05);
    tf.dispose([xs, xt, ys]);
  }, 60_000);
});

describe("ctcLoss trains a sequence model on unsegmented labels (cpu)", () => {
  // Sequences of 1 to 3 symbols from {1, 2, 3} (0 is the blank) rendered as T = 12 noisy frames:
  // each symbol is 2 frames of its one-hot feature, symbols separated by 1 to 2 empty frames at
  // random positions, so the model must learn the alignment. Batch-major frames [N, T, F].
  const T = 12,
    F = 4,
    C = 4;
  function batch(random: () => number, n: number) {
    const frames = new Float32Array(n * T * F),
      labels = new Int32Array(n * 3),
      lengths = new Int32Array(n);
    const sequences: number[][] = [];
    for (let s = 0; s < n; s++) {
      const L = 1 + Math.floor(random() * 3);
      const seq = Array.from({ length: L }, () => 1 + Math.floor(random() * 3));
      let t = Math.floor(random() * 2);
      for (const [i, symbol] of seq.entries()) {
        for (let k = 0; k < 2; k++, t++) frames[(s * T + t) * F + symbol] = 1;
        t += 1 + Math.floor(random() * 2);
        labels[s * 3 + i] = symbol;
      }
      for (let i = 0; i < T; i++) frames[(s * T + i) * F] += 0.3; // a constant feature: the bias of an empty frame
      for (let i = s * T * F; i < (s + 1) * T * F; i++) frames[i] += 0.2 * (random() - 0.5);
      lengths[s] = L;
      sequences.push(seq);
    }
    return {
      x: tf.tensor3d(frames, [n, T, F]),
      labels: tf.tensor2d(labels, [n, 3], "int32"),
      lengths: tf.tensor1d(lengths, "int32"),
      sequences,
    };
  }
  /** Greedy decoding: the best class per frame, repeats merged, blanks dropped. */
  function decode(logProbs: tf.Tensor): number[][] {
    const best = tf.tidy(() => logProbs.argMax(-1)).arraySync() as number[][];
    return best.map((row) => row.filter((c, t) => c !== 0 && c !== row[t - 1]));
  }

  it("the loss falls and greedy decoding of held-out sequences is right for at least 95% of them", async () => {
    await useBackend("cpu");
    const random = seeded(3);
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [T, F],
          units: 16,
          activation: "relu",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
        }),
        tf.layers.dense({
          units: C,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
        }),
      ],
    });
    const optimizer = tf.train.adam(0.03);
    const inputLengths = new Int32Array(32).fill(T);
    const losses: number[] = [];
    for (let step = 0; step < 150; step++) {
      const b = batch(random, 32);
      const loss = optimizer.minimize(
        () =>
          twin.ctcLoss(
            twin.logSoftmax(model.apply(b.x) as tf.Tensor),
            b.labels,
            inputLengths,
            b.lengths,
          ),
        true,
      )!;
      losses.push(loss.dataSync()[0]);
      tf.dispose([loss, b.x, b.labels, b.lengths]);
    }
    const held = batch(seeded(99), 200);
    const decoded = decode(tf.tidy(() => twin.logSoftmax(model.apply(held.x) as tf.Tensor)));
    const right =
      decoded.filter((d, i) => d.join() === held.sequences[i].join()).length /
      held.sequences.length;
    expect(losses.at(-1)!).toBeLessThan(losses[0] / 10);
    expect(right).toBeGreaterThanOrEqual(0.95);
    tf.dispose([held.x, held.labels, held.lengths]);
    model.dispose();
    optimizer.dispose();
  }, 60_000);
});
