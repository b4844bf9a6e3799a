// TensorFlow.js for the benchmark: loading it (cpu and wasm backends, single thread) and its
// loss / loss + gradient calls over a workload's tensors. Used by bench/tfjs_peer.mjs, the
// process that measures tfjs apart from the other JavaScript peers.

import { createRequire } from "node:module";
import path from "node:path";

/** @tensorflow/tfjs with both backends registered, or throws. */
export async function loadTf() {
  const tf = await import("@tensorflow/tfjs"); // registers the gradients and the cpu backend
  const wasmBackend = await import("@tensorflow/tfjs-backend-wasm");
  const require = createRequire(import.meta.url);
  const dist =
    path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") +
    path.sep;
  wasmBackend.setWasmPaths(dist);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false); // single thread, like every other peer
  tf.enableProdMode();
  return tf;
}

/** The two timed calls of a workload's tfjs spec: tensor creation and read-back included. */
export function tfCalls(tf, spec) {
  return {
    forward() {
      const t = tf.tidy(() => spec.loss(...spec.tensors()));
      const v = t.dataSync()[0];
      t.dispose();
      return v;
    },
    grad() {
      const out = tf.tidy(() => {
        const ts = spec.tensors();
        const { value, grad } = tf.valueAndGrad((a) => spec.loss(a, ...ts.slice(1)))(ts[0]);
        return [value, grad];
      });
      const loss = out[0].dataSync()[0];
      const grad = out[1].dataSync();
      tf.dispose(out);
      return { loss, grad };
    },
  };
}
