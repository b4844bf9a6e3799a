// The training example in the browser: same model and data as `npm run example:train`, with a
// loss curve drawn as SVG after every epoch and the test digits with their predictions.
import * as wl from "../../build/browser.mjs";
import { SoftmaxRegression, loadDigits, seededRandom, F } from "./softmax.mjs";

const EPOCHS = 30,
  BATCH = 32,
  LR = 0.5;
const $ = (id) => document.getElementById(id);

async function gunzipText(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).text();
}

function lossChart(history) {
  const W = 600,
    H = 300,
    m = { l: 48, r: 110, t: 14, b: 36 };
  const pw = W - m.l - m.r,
    ph = H - m.t - m.b;
  const yMax = Math.max(1.5, ...history.map((h) => h.train));
  const sx = (e) => m.l + ((e - 1) / (EPOCHS - 1)) * pw,
    sy = (v) => m.t + ph - (v / yMax) * ph;
  let s = `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="loss per epoch">`;
  for (let v = 0; v <= yMax + 1e-9; v += 0.25) {
    s += `<line x1="${m.l}" x2="${m.l + pw}" y1="${sy(v)}" y2="${sy(v)}" stroke="#e3e6ec"/>`;
    s += `<text x="${m.l - 6}" y="${sy(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`;
  }
  for (let e = 1; e <= EPOCHS; e += e === 1 ? 4 : 5)
    s += `<text x="${sx(e)}" y="${H - 16}" text-anchor="middle">${e}</text>`;
  s += `<text x="${m.l + pw / 2}" y="${H - 2}" text-anchor="middle">epoch</text>`;
  s += `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#b9bfca"/>`;
  const line = (key, color) => {
    const pts = history.map((h) => `${sx(h.epoch).toFixed(1)},${sy(h[key]).toFixed(1)}`).join(" ");
    const last = history[history.length - 1];
    return (
      `<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2.5"/>` +
      `<text x="${sx(last.epoch) + 8}" y="${sy(last[key]) + 4}" style="fill:${color}" class="title">${key} ${last[key].toFixed(3)}</text>`
    );
  };
  if (history.length) s += line("train", "#1565c0") + line("test", "#ef8f00");
  return `${s}</svg>`;
}

function drawDigits(test, predicted) {
  const grid = $("digits");
  grid.textContent = "";
  for (let i = 0; i < 60; i++) {
    const fig = document.createElement("figure");
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 8;
    const ctx = canvas.getContext("2d");
    const img = ctx.createImageData(8, 8);
    for (let p = 0; p < F; p++) {
      const v = 255 - Math.round(test.x[i * F + p] * 255);
      img.data.set([v, v, v, 255], p * 4);
    }
    ctx.putImageData(img, 0, 0);
    const ok = predicted[i] === test.y[i];
    if (!ok) fig.className = "wrong";
    const cap = document.createElement("figcaption");
    cap.textContent = ok ? String(predicted[i]) : `${predicted[i]} (${test.y[i]})`;
    fig.append(canvas, cap);
    grid.append(fig);
  }
}

await wl.init();
const random = seededRandom(7);
const { total, train, test } = loadDigits(await gunzipText("../data/digits.csv.gz"), random);
$("footer").textContent =
  `${total} digits (${train.n} train, ${test.n} test) · batch ${BATCH}, learning rate ${LR} · wasm-loss ${wl.backend()} build`;
const model = new SoftmaxRegression();
const history = [];
const t0 = performance.now();
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  const trainLoss = model.trainEpoch(wl, train, { batch: BATCH, lr: LR, random });
  const r = model.evaluate(wl, test);
  history.push({ epoch, train: trainLoss, test: r.loss, accuracy: r.accuracy });
  $("chart").innerHTML = lossChart(history);
  $("status").textContent =
    `epoch ${epoch}/${EPOCHS}: test accuracy ${(100 * r.accuracy).toFixed(1)}%`;
  $("log").textContent +=
    `epoch ${String(epoch).padStart(2)}  train loss ${trainLoss.toFixed(4)}  test loss ${r.loss.toFixed(4)}  accuracy ${(100 * r.accuracy).toFixed(1)}%\n`;
  $("log").scrollTop = $("log").scrollHeight;
  drawDigits(test, r.predicted);
  await new Promise((done) => setTimeout(done, 0)); // let the page paint
}
const last = history[history.length - 1];
$("status").textContent =
  `done: test accuracy ${(100 * last.accuracy).toFixed(1)}% (chance 10%), ` +
  `test loss ${last.test.toFixed(3)}, ${((performance.now() - t0) / 1000).toFixed(1)} s`;
document.body.dataset.done = "true";
