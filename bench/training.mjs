#!/usr/bin/env node
// One training step of a model with a large output layer, in TensorFlow.js, with tfjs's own
// softmax cross-entropy and with wasm-loss/tfjs's crossEntropyLoss: forward (logits = x·W + b,
// a batch of BATCH × CLASSES), loss, backward, SGD update, on the tfjs-cpu and tfjs-wasm
// backends (single thread). Besides the step, the loss alone (its value and its gradient with
// respect to fixed logits) is timed, so the loss's share of a step is seen. A section of
// `npm run bench`, in a process of its own (as bench/tfjs_peer.mjs); also `npm run bench:tfjs`.
//
//   node bench/training.mjs [--quick] [--out=dir]
// Writes <out>/training.json and training.md (quick-training.* with --quick), the table on stdout.

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { init } from "wasm-loss";
import { crossEntropyLoss } from "wasm-loss/tfjs";
import { gc, repeatOnce, summary, warmUp } from "./measure.mjs";
import { loadTf } from "./tfjs.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);

// Run alone, it re-runs itself as bench/index.mjs runs everything (which starts it with these
// already set): glibc's large blocks kept instead of returned to the OS and faulted in again,
// --expose-gc for the collections between repeats (see bench/index.mjs on the malloc setting).
if (process.env.WASM_LOSS_BENCH_CHILD === undefined) {
  const env = {
    ...process.env,
    WASM_LOSS_BENCH_CHILD: "1",
    MALLOC_MMAP_THRESHOLD_: String(2 ** 30),
    MALLOC_TRIM_THRESHOLD_: String(2 ** 31),
  };
  const r = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), ...argv], {
    stdio: "inherit",
    env,
  });
  process.exit(r.status ?? 1);
}

const quick = argv.includes("--quick");
const outDir = path.resolve(
  argv.find((a) => a.startsWith("--out="))?.slice(6) ?? path.join(here, "results"),
);
const BATCH = 1024,
  FEATURES = 128,
  CLASSES = 1000;
// A step takes from about 20 ms (tfjs-wasm) to a second (tfjs-cpu): repeats of at least 300 ms.
const method = quick
  ? { warmupMs: 300, repeatMs: 300, repeats: 3 }
  : { warmupMs: 600, repeatMs: 300, repeats: 5 };
const log = (...a) => process.stderr.write(a.join(" ") + "\n");

const tf = await loadTf();
await init();

/** xorshift32 in [0, 1). */
function seeded(seed) {
  let s = seed >>> 0 || 1;
  return () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 32);
}

/** The data and the two models (same initial weights) on the current backend. */
function setup() {
  const random = seeded(5);
  const values = (n, scale) => Float32Array.from({ length: n }, () => scale * (2 * random() - 1));
  const x = tf.tensor2d(values(BATCH * FEATURES, 1), [BATCH, FEATURES]);
  const labels = tf.tensor1d(
    Int32Array.from({ length: BATCH }, () => Math.floor(random() * CLASSES)),
    "int32",
  );
  // tfjs's loss takes one-hot targets (made once, outside the timing; as int32 then cast: the wasm
  // backend's float32 oneHot is wrong).
  const onehot = tf.tidy(() => tf.oneHot(labels, CLASSES).cast("float32"));
  const w0 = values(FEATURES * CLASSES, 0.1);
  const model = () => ({
    W: tf.variable(tf.tensor2d(w0, [FEATURES, CLASSES])),
    b: tf.variable(tf.zeros([CLASSES])),
    opt: tf.train.sgd(0.1),
  });
  const logits = tf.tensor2d(values(BATCH * CLASSES, 3), [BATCH, CLASSES]);
  return { x, labels, onehot, logits, tfjs: model(), ours: model() };
}

const LOSSES = {
  tfjs: (d) => (z) => tf.losses.softmaxCrossEntropy(d.onehot, z),
  ours: (d) => (z) => crossEntropyLoss(z, d.labels),
};

/** The four timed calls of a backend: a step with each loss, and each loss alone (value + gradient). */
function contestants(d) {
  const out = [];
  for (const id of ["tfjs", "ours"]) {
    const loss = LOSSES[id](d),
      m = d[id];
    out.push({
      id,
      what: "step",
      call: () => m.opt.minimize(() => loss(tf.add(tf.matMul(d.x, m.W), m.b)), false, [m.W, m.b]),
    });
    out.push({
      id,
      what: "loss",
      call: () =>
        tf.tidy(() => {
          const { value, grad } = tf.valueAndGrad(loss)(d.logits);
          value.dataSync();
          grad.dataSync();
        }),
    });
  }
  return out;
}

const results = {
  meta: {
    date: new Date().toISOString(),
    quick,
    method,
    tfjs: tf.version.tfjs,
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    loadavg: os.loadavg(),
    batch: BATCH,
    features: FEATURES,
    classes: CLASSES,
  },
  backends: {},
};

for (const backend of ["cpu", "wasm"]) {
  await tf.setBackend(backend);
  await tf.ready();
  const d = setup();
  // The two losses agree before anything is timed (the same logits: float32 tolerance).
  const [a, b] = ["tfjs", "ours"].map((id) => tf.tidy(() => LOSSES[id](d)(d.logits).dataSync()[0]));
  if (!(Math.abs(a - b) <= 1e-5 * Math.abs(a)))
    throw new Error(`training bench: the losses differ on ${backend}: tfjs ${a}, wasm-loss ${b}`);
  const list = contestants(d);
  for (const c of list) {
    log(`  tfjs-${backend} ${c.id.padEnd(4)} ${c.what}: warm-up`);
    warmUp(c.call, method);
    c.times = [];
    c.calls = [];
  }
  // Interleaved repeats: a change in this shared machine's load falls on every contestant alike.
  for (let r = 0; r < method.repeats; r++) {
    for (const c of list) {
      const one = repeatOnce(c.call, method);
      c.times.push(one.time);
      c.calls.push(one.calls);
      gc();
    }
  }
  const cell = (id, what) =>
    summary(
      ...(({ times, calls }) => [times, calls])(list.find((c) => c.id === id && c.what === what)),
    );
  results.backends[backend] = Object.fromEntries(
    ["tfjs", "ours"].map((id) => [id, { step: cell(id, "step"), loss: cell(id, "loss") }]),
  );
  results.backends[backend].lossValue = { tfjs: a, ours: b };
  tf.dispose([d.x, d.labels, d.onehot, d.logits, d.tfjs.W, d.tfjs.b, d.ours.W, d.ours.b]);
  d.tfjs.opt.dispose();
  d.ours.opt.dispose();
}

// ---- the table -------------------------------------------------------------------------------
const ms = (s) => (s * 1000 >= 100 ? (s * 1000).toFixed(0) : (s * 1000).toFixed(1));
const spread = (c) => {
  const lo = Math.min(...c.times),
    hi = Math.max(...c.times);
  return `±${((100 * (hi - lo)) / 2 / c.median).toFixed(0)}%`;
};
const rows = [];
for (const [backend, r] of Object.entries(results.backends)) {
  for (const [id, label] of [
    ["tfjs", "tf.losses.softmaxCrossEntropy (one-hot)"],
    ["ours", "wasm-loss/tfjs crossEntropyLoss (int32 labels)"],
  ]) {
    const c = r[id];
    rows.push([
      `tfjs-${backend}`,
      label,
      `${ms(c.step.median)} ms (${spread(c.step)})`,
      `${ms(c.loss.median)} ms (${spread(c.loss)})`,
      `${((100 * c.loss.median) / c.step.median).toFixed(0)}%`,
      id === "ours" ? `${(r.tfjs.step.median / c.step.median).toFixed(2)}×` : "",
    ]);
  }
}
const head = [
  "backend",
  "loss",
  "training step",
  "loss alone (value + gradient)",
  "loss's share of the step",
  "step speed-up",
];
const m = results.meta;
const title =
  `Training step of x·W + b → softmax cross-entropy → backward → SGD update, batch ${BATCH} × ${CLASSES} classes (${FEATURES} features), ` +
  `tfjs ${m.tfjs}, single thread; median of ${method.repeats} interleaved repeats (± half the spread), ${m.cpu}, load average ${m.loadavg[0].toFixed(1)}.`;
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const text = [
  title,
  "",
  [head, ...rows].map((r) => r.map((v, i) => v.padEnd(widths[i])).join("  ")).join("\n"),
  "",
].join("\n");
const md = [
  `### Training step with TensorFlow.js\n`,
  title,
  "",
  `| ${head.join(" | ")} |`,
  `|${head.map(() => "---").join("|")}|`,
  ...rows.map((r) => `| ${r.join(" | ")} |`),
  "",
].join("\n");
mkdirSync(outDir, { recursive: true });
const stem = quick ? "quick-training" : "training";
writeFileSync(path.join(outDir, `${stem}.json`), JSON.stringify(results, null, 1) + "\n");
writeFileSync(path.join(outDir, `${stem}.md`), md);
process.stdout.write(`\n${text}`);
log(`wrote ${path.relative(process.cwd(), outDir)}/${stem}.json and ${stem}.md`);
