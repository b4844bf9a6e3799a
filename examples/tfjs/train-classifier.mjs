// A tfjs-layers classifier of the 8×8 digits trained with wasm-loss's crossEntropyLoss (label
// smoothing 0.1) through forLayers, on a training set where the digits 3, 5 and 8 keep only 8% of
// their images: once without class weights and once with weights inverse to each digit's
// frequency. Prints a line per epoch, then the test accuracy and the recall of the rare digits.
//
//   npm run example:tfjs            (node examples/tfjs/train-classifier.mjs [--epochs 20] [--backend cpu|wasm])
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import * as tf from "@tensorflow/tfjs";
import { init } from "wasm-loss";
import * as wl from "wasm-loss/tfjs";
import { loadDigits, seededRandom } from "../train/softmax.mjs";
import {
  RARE,
  RARE_SHARE,
  SMOOTHING,
  evaluate,
  imbalanced,
  inverseFrequency,
  trainClassifier,
} from "./classifier.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const EPOCHS = Number(arg("epochs", 20)),
  BACKEND = arg("backend", "cpu");

if (BACKEND === "wasm") {
  const { setWasmPaths } = await import("@tensorflow/tfjs-backend-wasm");
  const dist = path.dirname(
    createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json"),
  );
  setWasmPaths(path.join(dist, "dist") + path.sep);
}
await tf.setBackend(BACKEND);
await init();

const random = seededRandom(7);
const csv = gunzipSync(readFileSync(new URL("../data/digits.csv.gz", import.meta.url))).toString(
  "utf8",
);
const { train, test } = loadDigits(csv, random);
const set = imbalanced(train, random);
const weight = inverseFrequency(set.y);
console.log(
  `digits ${RARE.join(", ")} keep ${RARE_SHARE * 100}% of their training images: ${set.n} images; ` +
    `tfjs ${tf.version.tfjs} on ${tf.getBackend()}, label smoothing ${SMOOTHING}`,
);
console.log(
  `class weights (inverse frequency): ${Array.from(weight, (w) => w.toFixed(2)).join(" ")}`,
);

const t0 = performance.now();
const results = [];
for (const [label, w] of [
  ["unweighted", null],
  ["weighted", weight],
]) {
  const { model, losses } = await trainClassifier(tf, wl, set, {
    weight: w,
    epochs: EPOCHS,
    onEpoch: (epoch, loss) => {
      if (epoch % 5 === 0 || epoch === EPOCHS)
        console.log(
          `${label.padEnd(10)} epoch ${String(epoch).padStart(2)}/${EPOCHS}  train loss ${loss.toFixed(4)}`,
        );
    },
  });
  const r = evaluate(tf, model, test);
  results.push([label, r, losses]);
  model.optimizer.dispose();
  model.dispose();
}
for (const [label, r] of results) {
  console.log(
    `${label.padEnd(10)} test accuracy ${(100 * r.accuracy).toFixed(1)}%, recall of ${RARE.join("/")} ` +
      `${RARE.map((c) => `${(100 * r.recall[c]).toFixed(0)}%`).join("/")} (mean ${(100 * r.rareRecall).toFixed(1)}%)`,
  );
}
console.log(
  `trained twice in ${((performance.now() - t0) / 1000).toFixed(1)} s; tensors still allocated: ${tf.memory().numTensors}`,
);
