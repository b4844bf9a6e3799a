// Timing: warm-up (long enough for the allocator's heap to reach its steady size: fresh result
// arrays fault pages in until it has), then `repeats` repeats of at least `repeatMs` each (as many calls as fit),
// the median of the per-call times. The benchmark interleaves the repeats of all implementations
// of a workload (warmUp + repeatOnce), so that the machine's load drifts over all of them alike;
// measure() does the same for one call alone. Slow calls make a repeat of one call; a call slower than a repeat is
// its own warm-up. A peer whose call would take more than maxCallS (predicted from the smaller
// size) is skipped, with a note, to keep the run under half an hour.

import { performance } from "node:perf_hooks";

export const FULL = { warmupMs: 400, repeatMs: 200, repeats: 5, maxCallS: 4 };
export const QUICK = { warmupMs: 250, repeatMs: 50, repeats: 5, maxCallS: 1 };

/** Calls `call` for at least method.warmupMs (and at least twice). */
export function warmUp(call, method) {
  const t0 = performance.now();
  let calls = 0;
  while (calls < 2 || performance.now() - t0 < method.warmupMs) {
    call();
    calls++;
  }
}

/** One repeat: as many calls as fit in method.repeatMs (at least one); seconds per call. */
export function repeatOnce(call, method) {
  let k = 0,
    e;
  const s = performance.now();
  do {
    call();
    k++;
    e = performance.now();
  } while (e - s < method.repeatMs);
  return { time: (e - s) / 1000 / k, calls: k };
}

/** The median of repeats, with every repeat's time and number of calls. */
export function summary(times, counts) {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1], times, calls: counts };
}

export function measure(call, method, warm = true) {
  if (warm) warmUp(call, method);
  const times = [],
    counts = [];
  for (let r = 0; r < method.repeats; r++) {
    const { time, calls } = repeatOnce(call, method);
    times.push(time);
    counts.push(calls);
  }
  return summary(times, counts);
}

/** Runs the garbage collector when node was started with --expose-gc (between peers). */
export function gc() {
  if (typeof globalThis.gc === "function") globalThis.gc();
}
