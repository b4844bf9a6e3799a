// CTC training in TensorFlow.js with wasm-loss's ctcLoss: strings of 1 to 4 handwritten digits
// (the shipped 8×8 images, side by side with random gaps, some touching) are read column by
// column by a small network that is never told where a digit starts: a per-frame MLP over a
// window of 13 columns (a time-delay network), log-softmax over 11 classes (blank + 10 digits),
// trained on ctcLoss in tfjs's batch-major layout [N, T, C]. The strings for testing are made of
// the test split's images, never seen in training; they are read by greedy decoding (the best
// class per frame, repeats merged, blanks dropped).
//
//   npm run example:tfjs-ctc      (node examples/tfjs/train-ctc.mjs [--steps 1200] [--backend wasm|cpu])
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import * as tf from "@tensorflow/tfjs";
import { init } from "wasm-loss";
import { ctcLoss, logSoftmax } from "wasm-loss/tfjs";
import { loadDigits, seededRandom } from "../train/softmax.mjs";
import {
  CLASSES,
  FEATURES,
  MAX_DIGITS,
  WIDTH,
  byLabel,
  editDistance,
  greedy,
  strips,
} from "./sequences.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const STEPS = Number(arg("steps", 1200)),
  BACKEND = arg("backend", "wasm"),
  BATCH = 32,
  TESTS = 500;
const EVERY = Math.max(1, Math.round(STEPS / 12)); // progress lines

if (BACKEND === "wasm") {
  // tfjs-backend-wasm's files from node_modules, one thread (its matMul is several times tfjs-cpu's).
  const { setWasmPaths } = await import("@tensorflow/tfjs-backend-wasm");
  const dist = path.dirname(
    createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json"),
  );
  setWasmPaths(path.join(dist, "dist") + path.sep);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
}
await tf.setBackend(BACKEND);
await init();

const random = seededRandom(7);
const csv = gunzipSync(readFileSync(new URL("../data/digits.csv.gz", import.meta.url))).toString(
  "utf8",
);
const { train, test } = loadDigits(csv, random);
const trainImages = byLabel(train),
  testImages = byLabel(test);

const model = tf.sequential({
  layers: [
    tf.layers.dense({
      inputShape: [WIDTH, FEATURES],
      units: 128,
      activation: "relu",
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
    tf.layers.dense({
      units: 128,
      activation: "relu",
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    }),
    tf.layers.dense({
      units: CLASSES,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
    }),
  ],
});
const optimizer = tf.train.adam(0.005);
const inputLengths = new Int32Array(BATCH).fill(WIDTH); // every frame of a strip counts
console.log(
  `CTC on strips of ${WIDTH} columns, 1–${MAX_DIGITS} digits each; batches of ${BATCH}, ${STEPS} steps; ` +
    `tfjs ${tf.version.tfjs} on ${tf.getBackend()}`,
);

const t0 = performance.now();
let sum = 0,
  count = 0;
for (let step = 1; step <= STEPS; step++) {
  const b = strips(trainImages, BATCH, random);
  const x = tf.tensor3d(b.frames, [BATCH, WIDTH, FEATURES]);
  const labels = tf.tensor2d(b.labels, [BATCH, MAX_DIGITS], "int32"); // padded rows; lengths say how much is real
  const labelLengths = tf.tensor1d(b.lengths, "int32");
  const loss = optimizer.minimize(
    () => ctcLoss(logSoftmax(model.apply(x)), labels, inputLengths, labelLengths),
    true,
  );
  sum += loss.dataSync()[0];
  count++;
  tf.dispose([loss, x, labels, labelLengths]);
  if (step % EVERY === 0) {
    console.log(
      `step ${String(step).padStart(4)}/${STEPS}  ctc loss ${(sum / count).toFixed(4)}  (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    sum = count = 0;
  }
}
const seconds = (performance.now() - t0) / 1000;

const held = strips(testImages, TESTS, seededRandom(99));
const best = tf.tidy(() =>
  model
    .predict(tf.tensor3d(held.frames, [TESTS, WIDTH, FEATURES]))
    .argMax(-1)
    .dataSync(),
);
const decoded = greedy(best, TESTS, WIDTH);
let right = 0,
  edits = 0,
  digits = 0;
decoded.forEach((d, i) => {
  if (d.join("") === held.strings[i].join("")) right++;
  edits += editDistance(d, held.strings[i]);
  digits += held.strings[i].length;
});
for (let i = 0; i < 5; i++)
  console.log(
    `  ${held.strings[i].join("").padEnd(MAX_DIGITS)} read as ${decoded[i].join("") || "(nothing)"}`,
  );
console.log(
  `final: ${((100 * right) / TESTS).toFixed(1)}% of ${TESTS} held-out strings read exactly, character error rate ` +
    `${((100 * edits) / digits).toFixed(1)}%, after ${STEPS} steps in ${seconds.toFixed(1)} s`,
);
model.dispose();
optimizer.dispose();
