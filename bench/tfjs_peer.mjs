// TensorFlow.js peer of bench/index.mjs, in a Node process of its own: tfjs keeps a large
// JavaScript heap, and in the benchmark's process every garbage collection (which fresh result
// arrays trigger) would then cost the other JavaScript peers more; measured in one process, a
// fresh-array call of wasm-loss was up to 2x slower after tfjs had run (1M elements, L1).
//
// Protocol: one JSON request per line on stdin, one JSON answer per line on stdout (as
// torch_peer.py). The data are made here from the same seeded generators (bench/workloads.mjs).
//   {"op": "load", "id", "n", "cells": [{"impl": "tfcpu"|"tfwasm", "mode"}], "warmupMs", "repeatMs"}
//       -> {"cells": {"<impl>/<mode>": {"loss", "grads"} | {"status": "error", "note"}}}
//   {"op": "repeat", "impl", "mode", "repeatMs"} -> {"time", "calls"}

import { createInterface } from "node:readline";
import { gc, repeatOnce, warmUp } from "./measure.mjs";
import { summarise } from "./data.mjs";
import { loadTf, tfCalls } from "./tfjs.mjs";
import { MAIN, WIDE } from "./workloads.mjs";

const BACKEND = { tfcpu: "cpu", tfwasm: "wasm" };
const send = (o) => process.stdout.write(JSON.stringify(o) + "\n");

let tf;
try {
  tf = await loadTf();
  send({ ready: true, tfjs: tf.version.tfjs });
} catch (e) {
  send({ ready: false, error: String(e.message ?? e).split("\n")[0] });
  process.exit(0);
}

let calls = null; // "<impl>/<mode>" -> function
async function use(impl) {
  await tf.setBackend(BACKEND[impl]);
  await tf.ready();
}

async function handle(req) {
  if (req.op === "load") {
    const w = [...MAIN, ...WIDE].find((x) => x.id === req.id);
    const d = w.make(req.n);
    const spec = d.tf(tf);
    const method = { warmupMs: req.warmupMs, repeatMs: req.repeatMs };
    calls = {};
    const cells = {};
    for (const { impl, mode } of req.cells) {
      const key = `${impl}/${mode}`;
      await use(impl);
      const call = tfCalls(tf, spec)[mode];
      try {
        const t0 = performance.now();
        cells[key] = summarise(call());
        if (performance.now() - t0 < method.repeatMs) warmUp(call, method);
        calls[key] = call;
      } catch (e) {
        cells[key] = {
          status: "error",
          note: String(e.message ?? e)
            .split("\n")[0]
            .slice(0, 160),
        };
      }
      gc();
    }
    return { cells };
  }
  if (req.op === "repeat") {
    await use(req.impl);
    const r = repeatOnce(calls[`${req.impl}/${req.mode}`], { repeatMs: req.repeatMs });
    gc();
    return r;
  }
  throw new Error(`unknown op ${req.op}`);
}

// Requests are handled one at a time, in order.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return;
  const req = JSON.parse(line);
  queue = queue.then(async () => {
    try {
      send(await handle(req));
    } catch (e) {
      send({ error: String(e.message ?? e).split("\n")[0] });
    }
  });
});
