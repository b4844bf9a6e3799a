// TensorFlow.js for the adapter's suites: @tensorflow/tfjs (layers, the cpu backend) and the
// wasm backend from its files in node_modules, single-threaded; wasm-loss initialised.
import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { init } from "../../src/index";

export { tf };
export const BACKENDS = ["cpu", "wasm"] as const;
export type BackendName = (typeof BACKENDS)[number];

let ready: Promise<void> | null = null;

/** Loads both backends once (and wasm-loss); then makes `name` the active one. */
export async function useBackend(name: BackendName): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    setWasmPaths(
      path.join(
        path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")),
        "dist",
      ) + path.sep,
    );
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    tf.enableProdMode();
    await init();
  })();
  await ready;
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} did not initialise`);
  await tf.ready();
}

/** xorshift32 in [0, 1): the same data on every run. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 32);
}

/** `n` values uniform in [lo, hi). */
export function uniform(random: () => number, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * random());
}

/** `n` integers uniform in [0, k). */
export function ints(random: () => number, n: number, k: number): Int32Array {
  return Int32Array.from({ length: n }, () => Math.floor(random() * k));
}
