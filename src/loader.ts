// The WebAssembly module: the four builds of assembly/ and their instantiation. SIMD or scalar
// (SIMD wherever the engine validates it), each with its own memory or with a shared, imported
// memory that pool threads can run on (threads.ts). Which one runs is init.ts's choice.

import simdBytes from "../build/wasm-loss.simd.wasm";
import { kernelTable, type Kernels } from "./kernels";
import { otherBinary } from "./platform";

export type Backend = "simd" | "scalar";

/** The instantiated module. */
export interface Module {
  readonly memory: WebAssembly.Memory;
  readonly kernels: Kernels;
  readonly backend: Backend;
  /** Shared memory (the threaded builds): views never detach, pool threads can run on it. */
  readonly shared: boolean;
  readonly compiled: WebAssembly.Module;
}

let currentModule: Module | null = null;
let simd: boolean | null = null;
const listeners: Array<(m: Module) => void> = [];

/** Whether this engine validates the SIMD build. */
export function simdSupported(): boolean {
  return (simd ??= WebAssembly.validate(simdBytes));
}

/** The bytes of a build: the own-memory SIMD one is inline everywhere; the others are inline in
 *  Node and loaded on first use in browsers (so that pages download only the build they run). */
export function bytesOf(
  backend: Backend,
  shared: boolean,
): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>> {
  return backend === "simd" && !shared ? simdBytes : otherBinary(backend, shared);
}

/** Instantiates `compiled` (a build with shared memory when `shared`) and makes it current. */
export function instantiate(
  backend: Backend,
  shared: boolean,
  compiled: WebAssembly.Module,
): Module {
  let memory: WebAssembly.Memory | undefined;
  if (shared) {
    // Up to the 4 GiB of wasm32; an engine that cannot reserve that much gets 1 GiB.
    try {
      memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
    } catch {
      memory = new WebAssembly.Memory({ initial: 2, maximum: 16384, shared: true });
    }
  }
  const { exports } = new WebAssembly.Instance(compiled, memory ? { env: { memory } } : {});
  const m: Module = {
    memory: memory ?? (exports as unknown as { memory: WebAssembly.Memory }).memory,
    kernels: kernelTable(exports as unknown as WebAssembly.Exports),
    backend,
    shared,
    compiled,
  };
  currentModule = m;
  for (const listener of listeners) listener(m);
  return m;
}

/** Which entry of the package this copy is (set by the build), for the not-initialised error. */
declare const WASM_LOSS_ENTRY: string | undefined;
const entry = typeof WASM_LOSS_ENTRY === "string" ? WASM_LOSS_ENTRY : "source";
/** The copies of wasm-loss initialised in this JavaScript realm (ESM and CommonJS are two). */
const ready: Set<string> = ((globalThis as Record<symbol, Set<string>>)[
  Symbol.for("wasm-loss.initialised")
] ??= new Set());
onInstantiate(() => ready.add(entry));

/** The instantiated module, or a clear error naming the function that needed it. */
export function module(fn: string): Module {
  if (currentModule === null) {
    const others = [...ready].filter((e) => e !== entry);
    const hint =
      others.length > 0
        ? ` (init() ran on the ${others.join(" and ")} copy of wasm-loss, but this is its ${entry} copy, which has a module of its own)`
        : "";
    throw new Error(
      `${fn}: wasm-loss is not initialised; call \`await init()\` (or \`initSync()\`) first${hint}`,
    );
  }
  return currentModule;
}

/** The instantiated module, or null before init. */
export function current(): Module | null {
  return currentModule;
}

/** Runs `listener` whenever a (new) module is instantiated: memory bookkeeping resets then. */
export function onInstantiate(listener: (m: Module) => void): void {
  listeners.push(listener);
}
