// What the pool needs from its host, for browsers (module Workers from a Blob, so that the
// one-file bundle needs no worker file). Same names as platform.ts (Node).

/** The builds other than the own-memory SIMD one (loader.ts has that), from files beside the
 *  bundle, loaded on first use: the scalar build where an engine lacks SIMD (or `simd: false`
 *  asks for it), the shared-memory builds when a cross-origin-isolated page asks for threads. */
export async function otherBinary(
  backend: "simd" | "scalar",
  shared: boolean,
): Promise<Uint8Array<ArrayBuffer>> {
  // Each `new URL("<literal>", import.meta.url)` is a pattern bundlers recognise: they copy the
  // file beside the bundle they make.
  const url = (
    shared
      ? new URL("./wasm-loss.threads.mjs", import.meta.url)
      : new URL("./wasm-loss.scalar.mjs", import.meta.url)
  ).href;
  const m = (await import(/* @vite-ignore */ url)) as {
    simd: Uint8Array<ArrayBuffer>;
    scalar: Uint8Array<ArrayBuffer>;
  };
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
  if (
    typeof SharedArrayBuffer !== "function" ||
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true
  ) {
    return "the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)";
  }
  return null;
}

/** A page's main thread may not block in Atomics.wait (it spins instead); a worker may. */
export const canBlock = typeof (globalThis as { document?: unknown }).document === "undefined";

let url: string | undefined;

export function startThread(
  fn: string,
  data: unknown,
  onStop: (why: string) => void,
): ThreadHandle {
  url ??= URL.createObjectURL(
    new Blob([`onmessage = (e) => (${fn})(e.data);`], { type: "text/javascript" }),
  );
  const w = new Worker(url, { type: "module" });
  let stopped = false;
  w.onerror = (e) => {
    stopped = true;
    onStop(`it failed: ${e.message}`);
  };
  w.postMessage(data);
  return {
    alive: () => !stopped,
    terminate: () => {
      stopped = true;
      w.terminate();
    },
  };
}
