import scalarBytes from "../build/wasm-loss.scalar.wasm";
import simdBytes from "../build/wasm-loss.simd.wasm";

/** A kernel export: byte offsets, lengths and scalars in; a float64 sum (or nothing) out. */
export type Kernel = (...args: number[]) => number;

export interface Module {
  readonly memory: WebAssembly.Memory;
  readonly kernels: Record<string, Kernel>;
  readonly backend: Backend;
}

export type Backend = "simd" | "scalar";

export interface InitOptions {
  /** `false` forces the scalar build; `true` requires SIMD (throws where the engine lacks it).
   *  Default: SIMD wherever `WebAssembly.validate` accepts the SIMD binary. */
  simd?: boolean;
}

let currentModule: Module | null = null;
let simdSupported: boolean | null = null;
const listeners: Array<(m: Module) => void> = [];

function chooseBytes(options: InitOptions | undefined): { bytes: Uint8Array<ArrayBuffer>; backend: Backend } {
  const want = options?.simd;
  if (want !== undefined && typeof want !== "boolean") {
    throw new TypeError(`init: option 'simd' must be a boolean; received ${typeof want}`);
  }
  simdSupported ??= WebAssembly.validate(simdBytes);
  if (want === true && !simdSupported) {
    throw new Error("init: { simd: true } was requested but this engine does not support WebAssembly SIMD");
  }
  const useSimd = want ?? simdSupported;
  return useSimd ? { bytes: simdBytes, backend: "simd" } : { bytes: scalarBytes, backend: "scalar" };
}

function adopt(exports: Record<string, unknown>, backend: Backend): Module {
  const m: Module = { memory: exports.memory as WebAssembly.Memory, kernels: exports as Record<string, Kernel>, backend };
  currentModule = m;
  for (const listener of listeners) listener(m);
  return m;
}

/**
 * Instantiates the WebAssembly module. Idempotent: calling it again with the same choice of
 * build resolves at once; asking for the other build replaces the module (views from `alloc`
 * on the old one become unusable).
 *
 * @example
 * import { init, mseLoss } from "wasm-loss";
 * await init();
 * mseLoss(new Float32Array([1, 2]), new Float32Array([1, 4])); // 2
 */
export async function init(options?: InitOptions): Promise<void> {
  const { bytes, backend } = chooseBytes(options);
  if (currentModule?.backend === backend) return;
  // Compiled off the main thread; instantiating it is then cheap (no imports, no start function).
  const compiled = await WebAssembly.compile(bytes);
  if (currentModule?.backend === backend) return; // a concurrent init() won the race
  const { exports } = new WebAssembly.Instance(compiled, {});
  adopt(exports as unknown as Record<string, unknown>, backend);
}

/**
 * Synchronous {@link init} for Node and workers (browsers may refuse synchronous compilation of
 * large modules on the main thread).
 */
export function initSync(options?: InitOptions): void {
  const { bytes, backend } = chooseBytes(options);
  if (currentModule?.backend === backend) return;
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  adopt(exports as unknown as Record<string, unknown>, backend);
}

/** `true` once {@link init} or {@link initSync} has completed. */
export function isReady(): boolean {
  return currentModule !== null;
}

/** Which build runs: `"simd"` wherever the engine validates WebAssembly SIMD, else `"scalar"`. */
export function backend(): Backend {
  return module("backend").backend;
}

/** The instantiated module, or a clear error naming the function that needed it. */
export function module(fn: string): Module {
  if (currentModule === null) {
    throw new Error(`${fn}: wasm-loss is not initialised; call \`await init()\` (or \`initSync()\`) first`);
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
