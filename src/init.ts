// init(), initSync() and the state they set up: which build runs (loader.ts), the calling
// thread's scratch, and the thread pool (threads.ts) with its per-thread scratch blocks.

import { describe } from "./errors";
import type { Ptr } from "./kernels";
import {
  bytesOf,
  current,
  instantiate,
  module,
  simdSupported,
  type Backend,
  type Module,
} from "./loader";
import { allocateScratch, releaseScratch } from "./memory";
import { options } from "./options";
import { cores, sharedByDefault, threadsUnavailable } from "./platform";
import { bindKernels, poolProblem, startPool, stopPool, threadCount } from "./threads";

export type { Backend } from "./loader";

export interface InitOptions {
  /** `false` forces the scalar build; `true` requires SIMD (throws where the engine lacks it).
   *  Default: the current build, at first SIMD wherever `WebAssembly.validate` accepts it. */
  simd?: boolean;
  /** Threads the kernels use: a positive integer, or `"auto"` (every logical core). Default: the
   *  current count (1 at first: no pool threads unless asked; 1 releases them). Results are
   *  bitwise the same for every count. Browsers need a cross-origin-isolated page; elsewhere the
   *  count falls back to 1 with a console note. */
  threads?: number | "auto";
}

interface Choice {
  backend: Backend;
  shared: boolean;
  threads: number;
}

let warned = false;

function choose(fn: string, value: InitOptions | undefined): Choice {
  const o = options(fn, value, ["simd", "threads"]);
  if (o.simd !== undefined && typeof o.simd !== "boolean") {
    throw new TypeError(`${fn}: option 'simd' must be a boolean; received ${describe(o.simd)}`);
  }
  if (o.simd === true && !simdSupported()) {
    throw new Error(
      `${fn}: { simd: true } was requested but this engine does not support WebAssembly SIMD`,
    );
  }
  let threads =
    o.threads === undefined ? threadCount() : o.threads === "auto" ? cores() : o.threads;
  if (typeof threads !== "number" || !Number.isInteger(threads) || threads < 1 || threads > 1024) {
    const msg = `${fn}: option 'threads' must be an integer in [1, 1024] or "auto"; received ${describe(o.threads)}`;
    throw typeof threads === "number" ? new RangeError(msg) : new TypeError(msg);
  }
  const why = threads > 1 ? threadsUnavailable() : null;
  if (why !== null) {
    if (!warned) console.warn(`wasm-loss: using 1 thread instead of ${threads}: ${why}`);
    warned = true;
    threads = 1;
  }
  const kept = current()?.backend;
  const backend: Backend =
    o.simd === undefined
      ? (kept ?? (simdSupported() ? "simd" : "scalar"))
      : o.simd
        ? "simd"
        : "scalar";
  return { backend, shared: sharedByDefault || threads > 1, threads };
}

const same = (c: Choice, m: Module | null) =>
  m !== null && m.backend === c.backend && m.shared === c.shared;

function adopt(c: Choice, compiled: WebAssembly.Module): void {
  releaseScratch(stopPool());
  bindKernels(instantiate(c.backend, c.shared, compiled).kernels);
}

/** Resizes the pool to `threads` (no pool threads for 1), unless it already has that size and works. */
function resize(c: Choice, sync: boolean): Promise<void> | void {
  if (threadCount() === c.threads && poolProblem() === null) return;
  releaseScratch(stopPool());
  if (c.threads === 1) return;
  const m = module("init");
  const scratch: Ptr[] = allocateScratch("init", c.threads - 1);
  return startPool({ module: m.compiled, memory: m.memory, scratch }, sync);
}

/**
 * Instantiates the WebAssembly module and starts or resizes the thread pool. Idempotent: calling
 * it again with the same choices resolves at once; another thread count only resizes the pool;
 * asking for the other build replaces the module (views from `alloc` on the old one become
 * unusable).
 *
 * @example
 * import { init, mseLoss } from "wasm-loss";
 * await init();                        // or: await init({ threads: "auto" })
 * mseLoss(new Float32Array([1, 2]), new Float32Array([1, 4])); // 2
 */
export async function init(options?: InitOptions): Promise<void> {
  const c = choose("init", options);
  if (!same(c, current())) {
    const bytes = await bytesOf(c.backend, c.shared);
    const compiled = await WebAssembly.compile(bytes);
    if (!same(c, current())) adopt(c, compiled); // else a concurrent init() won the race
  }
  await resize(c, false);
}

/**
 * Synchronous {@link init} for Node and workers (browsers may refuse synchronous compilation of
 * large modules on the main thread, and load their scalar and threaded builds asynchronously).
 * @example
 * const wl = require("wasm-loss");
 * wl.initSync({ threads: 4 });
 */
export function initSync(options?: InitOptions): void {
  const c = choose("initSync", options);
  if (!same(c, current())) {
    const bytes = bytesOf(c.backend, c.shared);
    if (bytes instanceof Promise) {
      throw new Error(
        `initSync: in a browser the ${c.shared ? "threaded" : "scalar"} build loads asynchronously; use \`await init()\` with the same options`,
      );
    }
    adopt(c, new WebAssembly.Module(bytes));
  }
  void resize(c, true);
}

/** `true` once {@link init} or {@link initSync} has completed. */
export function isReady(): boolean {
  return current() !== null;
}

/** Which build runs: `"simd"` wherever the engine validates WebAssembly SIMD, else `"scalar"`. */
export function backend(): Backend {
  return module("backend").backend;
}

/**
 * How many threads the kernels use now: 1 (the calling thread only) until `init({ threads })`
 * asks for more where threads are available.
 * @example
 * await init({ threads: "auto" });
 * threads(); // e.g. 8
 */
export function threads(): number {
  module("threads");
  return threadCount();
}
