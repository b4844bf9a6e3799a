// A small tfjs-layers digit classifier trained with wasm-loss's crossEntropyLoss through
// forLayers, with label smoothing and class weights. The training set is made imbalanced on
// purpose (a few digits keep only RARE_SHARE of their images), and the class weights, inverse
// to each digit's frequency, give the rare digits back their share of the loss. Shared by the Node
// example (train-classifier.mjs) and the page (index.html); TensorFlow.js and the adapter are
// passed in, so that the same code runs under both.

export const RARE = [3, 5, 8],
  RARE_SHARE = 0.08,
  SMOOTHING = 0.1;

/** The training split with only RARE_SHARE of the images of the RARE digits (chosen by `random`). */
export function imbalanced(train, random) {
  const keep = [];
  for (let i = 0; i < train.n; i++)
    if (!RARE.includes(train.y[i]) || random() < RARE_SHARE) keep.push(i);
  const x = new Float32Array(keep.length * 64),
    y = new Int32Array(keep.length);
  keep.forEach((r, i) => {
    x.set(train.x.subarray(r * 64, (r + 1) * 64), i * 64);
    y[i] = train.y[r];
  });
  return { x, y, n: keep.length };
}

/** One weight per class, inverse to its frequency in `y`, scaled to a mean of 1. */
export function inverseFrequency(y, classes = 10) {
  const counts = new Float64Array(classes);
  for (const c of y) counts[c]++;
  const w = Float32Array.from(counts, (n) => (n > 0 ? y.length / (classes * n) : 0));
  const mean = w.reduce((a, b) => a + b, 0) / classes;
  return w.map((v) => v / mean);
}

/**
 * Trains a 64–32–10 network (its last layer outputs logits: crossEntropyLoss applies the softmax)
 * with Adam, `epochs` passes of mini-batches of 32, and returns it with its per-epoch losses.
 * `weight` (or null) is crossEntropyLoss's class weight. `onEpoch(epoch, loss)` reports progress.
 */
export async function trainClassifier(
  tf,
  wl,
  set,
  { weight, epochs = 20, seed = 1, onEpoch = () => {} },
) {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [64],
        units: 32,
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.dense({
        units: 10,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
  const options = { labelSmoothing: SMOOTHING, ...(weight ? { weight } : {}) };
  model.compile({
    optimizer: tf.train.adam(0.01),
    loss: wl.forLayers(wl.crossEntropyLoss, options),
  });
  const xs = tf.tensor2d(set.x, [set.n, 64]);
  // tfjs-layers gives the loss yTrue of the output's shape: one-hot rows (made as int32, then cast:
  // the wasm backend's float32 oneHot is wrong).
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(set.y, "int32"), 10).cast("float32"));
  const losses = [];
  await model.fit(xs, ys, {
    epochs,
    batchSize: 32,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        losses.push(logs.loss);
        await onEpoch(epoch + 1, logs.loss);
      },
    },
  });
  tf.dispose([xs, ys]);
  return { model, losses };
}

/** Test accuracy and the recall of each digit (the share of its images predicted as it). */
export function evaluate(tf, model, test) {
  const predicted = tf.tidy(() =>
    model
      .predict(tf.tensor2d(test.x, [test.n, 64]))
      .argMax(-1)
      .dataSync(),
  );
  const right = new Float64Array(10),
    total = new Float64Array(10);
  for (let i = 0; i < test.n; i++) {
    total[test.y[i]]++;
    if (predicted[i] === test.y[i]) right[test.y[i]]++;
  }
  const recall = Array.from(right, (r, c) => r / total[c]);
  return {
    accuracy: right.reduce((a, b) => a + b, 0) / test.n,
    recall,
    rareRecall: RARE.reduce((s, c) => s + recall[c], 0) / RARE.length,
  };
}
