// What the pool needs from its host, for Node (worker_threads). The browser build replaces this
// module by platform.browser.ts (scripts/build.mjs); both export the same names.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import scalarBytes from "../build/wasm-loss.scalar.wasm";
import simdThreads from "../build/wasm-loss.simd-threads.wasm";
import scalarThreads from "../build/wasm-loss.scalar-threads.wasm";

/** The builds other than the own-memory SIMD one (loader.ts has that), inline. Node always uses
 *  the shared-memory ones (shared memory never detaches views). */
export function otherBinary(backend: "simd" | "scalar", shared: boolean): Uint8Array<ArrayBuffer> {
  if (!shared) return scalarBytes;
  return backend === "simd" ? simdThreads : scalarThreads;
}

/** Whether the shared-memory builds are used even for one thread. */
export const sharedByDefault = true;

/** A started pool thread. */
export interface ThreadHandle {
  /** False once the thread has stopped (synchronous: usable while the caller blocks). */
  alive(): boolean;
  terminate(): void;
}

/** Logical cores of this machine ("auto" threads). */
export function cores(): number {
  return availableParallelism();
}

/** Whether pool threads can be started here, or why not. */
export function threadsUnavailable(): string | null {
  return typeof SharedArrayBuffer === "function" ? null : "SharedArrayBuffer is not available";
}

/** Whether the calling thread may block in Atomics.wait (Node: every thread). */
export const canBlock = true;

/**
 * Starts a thread running the function whose source is `fn` on `data` (structured-cloned; a WebAssembly.Module and a
 * shared memory are shared, not copied). `onStop` runs once if the thread ends or fails. Node
 * threads are unref'd: a script that started a pool exits by itself when it is done.
 */
export function startThread(
  fn: string,
  data: unknown,
  onStop: (why: string) => void,
): ThreadHandle {
  // A dynamic import, valid whether the thread's script runs as CommonJS or, under
  // --input-type=module, as an ES module.
  const w = new Worker(`import("node:worker_threads").then((m) => (${fn})(m.workerData));`, {
    eval: true,
    workerData: data,
  });
  w.unref();
  let stopped = false;
  w.on("error", (e) => {
    stopped = true;
    onStop(`it failed: ${e.message}`);
  });
  w.on("exit", (code) => {
    stopped = true;
    onStop(`it exited (code ${code})`);
  });
  return {
    alive: () => !stopped && w.threadId !== -1,
    terminate: () => {
      stopped = true;
      void w.terminate();
    },
  };
}
