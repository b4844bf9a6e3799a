// The bandwidth limit on T threads: T worker threads, each running bench/limit.ts's loop (read two
// arrays, write one) over its own 1/T of the elements, all at once. A fused loss+gradient pass
// over n elements on T threads cannot beat this (L1 and MSE are bound by it).

import { Worker } from "node:worker_threads";
import { performance } from "node:perf_hooks";

const THREAD = `
const { workerData: d } = require("node:worker_threads");
const ex = new WebAssembly.Instance(new WebAssembly.Module(d.bytes), {}).exports;
const ctl = new Int32Array(d.control);
const n = d.n, bytes = n * 4, a = 1024, b = a + bytes, o = b + bytes;
ex.reach(3 * bytes + 65536);
new Float32Array(ex.memory.buffer, a, n).fill(1);
new Float32Array(ex.memory.buffer, b, n).fill(2);
let seen = Atomics.load(ctl, 0);
Atomics.add(ctl, 2, 1); Atomics.notify(ctl, 2);
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  const k = ctl[1];
  for (let i = 0; i < k; i++) ex.add(a, b, o, n);
  Atomics.add(ctl, 2, 1); Atomics.notify(ctl, 2);
}`;

/** Starts `threads` threads over n elements in all; `measure(method)` gives the median time of one
 *  pass over all n elements (in seconds) as bench/measure.mjs's summary. */
export async function parallelLimit(bytes, n, threads) {
  const control = new SharedArrayBuffer(16);
  const ctl = new Int32Array(control);
  const per = Math.ceil(n / threads);
  const workers = Array.from(
    { length: threads },
    () => new Worker(THREAD, { eval: true, workerData: { bytes, n: per, control } }),
  );
  while (Atomics.load(ctl, 2) < threads) await new Promise((r) => setTimeout(r, 5));
  const run = (k) => {
    Atomics.store(ctl, 2, 0);
    ctl[1] = k;
    const t0 = performance.now();
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    while (Atomics.load(ctl, 2) < threads) Atomics.wait(ctl, 2, Atomics.load(ctl, 2), 50);
    return (performance.now() - t0) / 1000;
  };
  return {
    measure(method) {
      run(2);
      const one = run(1);
      const k = Math.max(1, Math.ceil(method.repeatMs / 1000 / Math.max(one, 1e-6)));
      const times = [];
      for (let r = 0; r < method.repeats; r++) times.push(run(k) / k);
      const sorted = [...times].sort((x, y) => x - y);
      return { median: sorted[sorted.length >> 1], times, threads };
    },
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
}
