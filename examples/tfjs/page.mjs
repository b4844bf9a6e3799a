// The classifier example in the browser: the same model, data and training as
// `npm run example:tfjs` (classifier.mjs), on the backend tfjs chooses (WebGL where the page has
// it; `?backend=cpu` picks tfjs's JavaScript backend), with the log and the recall table filled in
// as training goes. `?epochs=N` trains for N epochs instead of 20.
import * as tf from "@tensorflow/tfjs";
import { init } from "wasm-loss";
import * as wl from "wasm-loss/tfjs";
import { loadDigits, seededRandom } from "../train/softmax.mjs";
import {
  RARE,
  SMOOTHING,
  evaluate,
  imbalanced,
  inverseFrequency,
  trainClassifier,
} from "./classifier.mjs";

const query = new URLSearchParams(location.search);
const EPOCHS = Number(query.get("epochs") ?? 20);
const $ = (id) => document.getElementById(id);
const log = (line) => {
  $("log").textContent += `${line}\n`;
  $("log").scrollTop = 1e9;
};

async function gunzipText(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).text();
}

function table(rows) {
  const rare = (c) => (RARE.includes(c) ? ' class="rare"' : "");
  $("results").tHead.innerHTML =
    `<tr><th>model</th><th>accuracy</th>${Array.from({ length: 10 }, (_, c) => `<th${rare(c)}>${c}</th>`).join("")}</tr>`;
  $("results").tBodies[0].innerHTML = rows
    .map(
      ([label, r]) =>
        `<tr><td>${label}</td><td>${(100 * r.accuracy).toFixed(1)}%</td>${r.recall.map((v, c) => `<td${rare(c)}>${(100 * v).toFixed(0)}%</td>`).join("")}</tr>`,
    )
    .join("");
}

async function main() {
  const wanted = query.get("backend");
  if (wanted) await tf.setBackend(wanted);
  await Promise.all([tf.ready(), init()]);
  const backend = tf.getBackend();
  $("backend").textContent =
    `tfjs ${tf.version.tfjs} on the ${backend} backend` +
    (backend === "webgl"
      ? ": each loss call reads the logits back from the GPU (one dataSync of N × C floats) and uploads the gradient; for a 32 × 10 batch that is nothing, for a large output layer it is the cost to weigh."
      : ".");
  const random = seededRandom(7);
  const { train, test } = loadDigits(await gunzipText("../data/digits.csv.gz"), random);
  const set = imbalanced(train, random);
  const weight = inverseFrequency(set.y);
  log(
    `${set.n} training images; class weights ${Array.from(weight, (w) => w.toFixed(2)).join(" ")}; label smoothing ${SMOOTHING}`,
  );
  const rows = [];
  for (const [label, w] of [
    ["unweighted", null],
    ["class-weighted", weight],
  ]) {
    $("status").textContent = `training the ${label} model…`;
    const { model } = await trainClassifier(tf, wl, set, {
      weight: w,
      epochs: EPOCHS,
      onEpoch: async (epoch, loss) => {
        log(
          `${label.padEnd(14)} epoch ${String(epoch).padStart(2)}/${EPOCHS}  train loss ${loss.toFixed(4)}`,
        );
        await tf.nextFrame();
      },
    });
    rows.push([label, evaluate(tf, model, test)]);
    model.optimizer.dispose();
    model.dispose();
    table(rows);
  }
  const [plain, weighted] = rows.map(([, r]) => r);
  $("status").textContent =
    `test accuracy ${(100 * weighted.accuracy).toFixed(1)}% with class weights ` +
    `(${(100 * plain.accuracy).toFixed(1)}% without); recall of ${RARE.join(", ")}: ${(100 * weighted.rareRecall).toFixed(0)}% ` +
    `(${(100 * plain.rareRecall).toFixed(0)}% without)`;
  document.body.dataset.backend = backend;
  document.body.dataset.done = "true";
}

main().catch((e) => {
  $("status").textContent = `error: ${e.message}`;
  throw e;
});
