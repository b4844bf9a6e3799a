// What the pool needs from its host, for browsers (module Workers from a Blob, so that the
// one-file bundle needs no worker file). Same names as platform.ts (Node).

/** The shared-memory builds, from a file beside the bundle, loaded the first time a
 *  cross-origin-isolated page asks for threads (pages without threads never download it). */
export async function sharedBinary(backend: "simd" | "scalar"): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL("./wasm-loss.threads.mjs", import.meta.url).href;
  const m = (await import(/* @vite-ignore */ url)) as { simd: Uint8Array<ArrayBuffer>; scalar: Uint8Array<ArrayBuffer> };
  return m[backend];
}

/** A page uses the smaller own-memory builds unless it asks for threads. */
export const sharedByDefault = false;

export interface ThreadHandle {
  alive(): boolean;
  terminate(): void;
}

export function cores(): number {
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}

/** Threads need shared memory, which a page has only when cross-origin isolated (served with
 *  `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`). */
export function threadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer !== "function" || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
    return "the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)";
  }
  return null;
}

/** A page's main thread may not block in Atomics.wait (it spins instead); a worker may. */
export const canBlock = typeof (globalThis as { document?: unknown }).document === "undefined";

let url: string | undefined;

export function startThread(fn: string, data: unknown, onStop: (why: string) => void): ThreadHandle {
  url ??= URL.createObjectURL(new Blob([`onmessage = (e) => (${fn})(e.data);`], { type: "text/javascript" }));
  const w = new Worker(url, { type: "module" });
  let stopped = false;
  w.onerror = (e) => { stopped = true; onStop(`it failed: ${e.message}`); };
  w.postMessage(data);
  return {
    alive: () => !stopped,
    terminate: () => {
      stopped = true;
      w.terminate();
    },
  };
}
