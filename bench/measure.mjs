// Timing: warm-up (long enough for the allocator's heap to reach its steady size: fresh result
// arrays fault pages in until it has), then `repeats` repeats of at least `repeatMs` each (as many calls as fit),
// the median of the per-call times. Slow calls make a repeat of one call; a call slower than a repeat is
// its own warm-up. A peer whose call would take more than maxCallS (predicted from the smaller
// size) is skipped, with a note, to keep the run under half an hour.

import { performance } from "node:perf_hooks";

export const FULL = { warmupMs: 400, repeatMs: 200, repeats: 5, maxCallS: 4 };
export const QUICK = { warmupMs: 250, repeatMs: 50, repeats: 5, maxCallS: 1 };

export function measure(call, method, warm = true) {
  const now = () => performance.now();
  let calls = 0;
  const t0 = now();
  while (warm && (calls < 2 || now() - t0 < method.warmupMs)) { call(); calls++; }
  const times = [], counts = [];
  for (let r = 0; r < method.repeats; r++) {
    let k = 0, e;
    const s = now();
    do { call(); k++; e = now(); } while (e - s < method.repeatMs);
    times.push((e - s) / 1000 / k);
    counts.push(k);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1], times, calls: counts };
}

/** Runs the garbage collector when node was started with --expose-gc (between peers). */
export function gc() {
  if (typeof globalThis.gc === "function") globalThis.gc();
}
