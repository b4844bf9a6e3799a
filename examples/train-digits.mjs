// Softmax regression on the 8×8 handwritten digits (examples/data/, see its README), trained with
// minibatch SGD on crossEntropyLossWithGrad; a progress line per epoch, then the final loss and
// accuracy. The model and the data split live in train/softmax.mjs (shared with the browser page).
//
//   npm run example:train          (node examples/train-digits.mjs [--epochs 30])
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import * as wl from "wasm-loss";
import { SoftmaxRegression, loadDigits, seededRandom } from "./train/softmax.mjs";

const i = process.argv.indexOf("--epochs");
const EPOCHS = i > 0 ? Number(process.argv[i + 1]) : 30,
  BATCH = 32,
  LR = 0.5;

const random = seededRandom(7);
const csv = gunzipSync(readFileSync(new URL("data/digits.csv.gz", import.meta.url))).toString(
  "utf8",
);
const { total, train, test } = loadDigits(csv, random);

await wl.init();
console.log(
  `softmax regression on ${total} 8×8 digits (${train.n} train, ${test.n} test), ` +
    `batch ${BATCH}, learning rate ${LR}, wasm-loss ${wl.backend()} build`,
);
const model = new SoftmaxRegression();
const t0 = performance.now();
let trainLoss = NaN,
  result;
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  trainLoss = model.trainEpoch(wl, train, { batch: BATCH, lr: LR, random });
  result = model.evaluate(wl, test);
  console.log(
    `epoch ${String(epoch).padStart(2)}/${EPOCHS}  train loss ${trainLoss.toFixed(4)}  ` +
      `test loss ${result.loss.toFixed(4)}  test accuracy ${(100 * result.accuracy).toFixed(1)}%`,
  );
}
const seconds = (performance.now() - t0) / 1000;
console.log(
  `final: train loss ${trainLoss.toFixed(4)}, test loss ${result.loss.toFixed(4)}, ` +
    `test accuracy ${(100 * result.accuracy).toFixed(1)}% (chance: 10%) after ${EPOCHS} epochs in ${seconds.toFixed(2)} s`,
);
