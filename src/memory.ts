// The one owner of the module's linear memory: user blocks from alloc(), the scratch block through
// which ordinary arrays are streamed during a call, per-thread scratch, and every view on memory.
// Nothing else in src/ reads `memory.buffer` or calls the allocator.
//
// The subtle part is growth. Where memory is a SharedArrayBuffer (always in Node, and with threads
// in a cross-origin-isolated page), growing it never detaches a view: views from alloc() live as
// long as their block. Elsewhere (a browser page's single-threaded build) growth detaches the
// ArrayBuffer and every view on it; views from alloc() are then tracked, a stale one is refused
// with an error that says how to recover (refresh(view)), and growth is kept rare: memory grows
// geometrically, the scratch window has a fixed size and is reused, and reserve() sizes memory up
// front. See docs/internals.md ("Memory").

import { describe } from "./errors";
import type { Ptr } from "./kernels";
import { current, module, onInstantiate, type Module } from "./loader";

interface Block {
  readonly ptr: Ptr;
  readonly length: number;
  /** Why the block can no longer be used, or null while it is live. */
  dead: null | "was freed" | "belongs to a module replaced by a later init()";
}

const views = new WeakMap<Float32Array, Block>();
let blocks = new Map<number, Block>();
/** Every ArrayBuffer/SharedArrayBuffer object that has been the memory's buffer (a shared memory
 *  hands out a new SharedArrayBuffer object after each growth; all of them are this memory). */
let buffers = new WeakSet<ArrayBufferLike>();
let scratchPtr = 0 as Ptr;
let scratchBytes = 0;

onInstantiate((m) => {
  // A new module has a new memory: every earlier block is gone with the old one (its views stay
  // in the WeakMap so that using one gives a precise error).
  for (const b of blocks.values()) b.dead = "belongs to a module replaced by a later init()";
  blocks = new Map();
  buffers = new WeakSet([m.memory.buffer]);
  heapViews = null;
  scratchPtr = 0 as Ptr;
  scratchBytes = 0;
  // The calling thread's scratch cells (assembly/scratch.ts); pool threads get theirs from init.
  m.kernels.setThreadScratch(allocateScratch("init", 1)[0]);
});

const MAX_BYTES = 2 ** 32;
const MiB = 2 ** 20;

/** The memory's buffer now (recorded as one of its buffers). */
function buffer(m: Module): ArrayBufferLike {
  const b = m.memory.buffer;
  buffers.add(b);
  return b;
}

function outOfMemory(fn: string, bytes: number, m: Module, what: string): RangeError {
  return new RangeError(
    `${fn}: needs ${bytes} more bytes of WebAssembly memory (${(bytes / MiB).toFixed(1)} MiB) for ${what}, ` +
      `but linear memory cannot grow past 4 GiB (in use: ${(m.memory.buffer.byteLength / MiB).toFixed(1)} MiB); pass smaller batches`,
  );
}

/** `bytes` from the module's allocator (growing memory if needed), as an unsigned pointer; a
 *  RangeError naming `what` when the 4 GiB of wasm32 cannot hold it. */
function allocateBytes(fn: string, m: Module, bytes: number, what: string): Ptr {
  heapViews = null; // memory may grow: whole-memory views are made again when next needed
  const ptr = bytes < MAX_BYTES ? m.kernels.allocate(bytes) >>> 0 : 0;
  if (ptr === 0) throw outOfMemory(fn, bytes, m, what);
  return ptr as Ptr;
}

function checkLength(fn: string, length: unknown): number {
  if (typeof length !== "number" || !Number.isInteger(length) || length < 0) {
    throw new RangeError(
      `${fn}: 'length' must be a non-negative integer; received ${describe(length)}`,
    );
  }
  return length;
}

/**
 * Allocates `length` float32 elements in the module's memory and returns a view on them.
 * Passing such views to any loss skips every copy (zero-copy).
 *
 * In Node (and with threads in a cross-origin-isolated page) memory is shared and views never
 * detach. Elsewhere a later call that grows memory detaches earlier views: a detached view passed
 * to any function throws, and `refresh(view)` returns a live view of the same (unchanged) data;
 * call {@link reserve} first to size memory once and avoid growth.
 *
 * @example
 * const x = alloc(1024); x.set(myLogits);
 * const { loss } = bceWithLogitsLossWithGrad(x, y, { gradInto: g });
 * free(x);
 */
export function alloc(length: number): Float32Array {
  const m = module("alloc");
  const n = checkLength("alloc", length);
  const ptr = allocateBytes("alloc", m, n * 4, `alloc(${n})`);
  const block: Block = { ptr, length: n, dead: null };
  blocks.set(ptr, block);
  const view = new Float32Array(buffer(m), ptr, n);
  views.set(view, block);
  return view;
}

/** Returns a view from {@link alloc} to the module. Using it (or any view of it) afterwards throws. */
export function free(view: Float32Array): void {
  const { m, block } = blockOf("free", view);
  if (block.dead === "was freed") throw new Error("free: 'view' was already freed");
  if (block.dead !== null) throw new Error(`free: 'view' ${block.dead}`);
  block.dead = "was freed";
  blocks.delete(block.ptr);
  m.kernels.release(block.ptr);
}

/** A live view of the same block as `view` (from {@link alloc}), after memory growth detached it;
 *  `view` itself while it is live (always, where memory is shared). */
export function refresh(view: Float32Array): Float32Array {
  const { m, block } = blockOf("refresh", view);
  if (block.dead !== null) throw new Error(`refresh: 'view' ${block.dead}; alloc() a new one`);
  if (view.length === block.length) return view;
  const fresh = new Float32Array(buffer(m), block.ptr, block.length);
  views.set(fresh, block);
  return fresh;
}

/** The block of a view from alloc(), or a TypeError naming `fn`. */
function blockOf(fn: string, view: Float32Array): { m: Module; block: Block } {
  const m = module(fn);
  const block = view instanceof Float32Array ? views.get(view) : undefined;
  if (block === undefined)
    throw new TypeError(
      `${fn}: 'view' must be a Float32Array returned by alloc(); received ${describe(view)}`,
    );
  return { m, block };
}

/**
 * Grows the module's memory now so that `length` more float32 elements can be allocated with
 * {@link alloc} later, and any call whose ordinary (non-alloc) arrays stream through the scratch
 * window, without growing memory again: views handed out after this stay valid.
 * @example
 * reserve(2 * n);                            // one growth, now
 * const logits = alloc(n), grad = alloc(n);  // no growth: neither view detaches the other
 */
export function reserve(length: number): void {
  const m = module("reserve");
  const n = checkLength("reserve", length);
  scratch("reserve", WINDOW_BYTES);
  const ptr = allocateBytes("reserve", m, n * 4, `reserve(${n})`);
  m.kernels.release(ptr);
}

/** Bytes of linear memory the module currently has (for tests and diagnostics). */
export function memoryBytes(): number {
  return module("memoryBytes").memory.buffer.byteLength;
}

/** Throws if `a` is a view from alloc() that can no longer be used (freed, detached by memory
 *  growth, or of a replaced module). Called by validation before anything else looks at `a`. */
export function assertUsable(fn: string, arg: string, a: Float32Array): void {
  const block = views.get(a);
  if (block === undefined) return;
  if (block.dead !== null)
    throw new TypeError(`${fn}: '${arg}' is a view from alloc() that ${block.dead}`);
  if (a.length !== block.length) {
    throw new TypeError(
      `${fn}: '${arg}' is a view from alloc() detached by memory growth; use refresh(view) to get a live view of the same data`,
    );
  }
}

/** The byte offset of `a` in linear memory if it lives there (a live alloc() view or a sub-view
 *  of one), else -1. Throws for freed or detached views and views outside any live block. */
export function residentOffset(fn: string, arg: string, a: Float32Array): number {
  const block = views.get(a);
  if (block !== undefined) {
    assertUsable(fn, arg, a);
    return block.ptr;
  }
  if (!buffers.has(a.buffer)) return -1;
  if (a.buffer.byteLength === 0) {
    throw new TypeError(
      `${fn}: '${arg}' is a view on wasm-loss memory detached by memory growth; use refresh(view) on its alloc() view`,
    );
  }
  const start = a.byteOffset;
  const end = start + a.byteLength;
  for (const b of blocks.values()) {
    if (start >= b.ptr && end <= b.ptr + b.length * 4) return start;
  }
  throw new TypeError(
    `${fn}: '${arg}' is a view on wasm-loss memory outside any live alloc() block (freed?)`,
  );
}

/** A resident array handed back as a result (`gradInto` that is an alloc() view, at `ptr`, of
 *  `length` elements): `a` itself while it is live, else (the call's scratch grew memory and
 *  detached it) a live view of the same elements, known to alloc()'s bookkeeping as `a` was. */
export function liveView(a: Float32Array, ptr: number, length: number): Float32Array {
  if (a.length === length) return a;
  const fresh = new Float32Array(buffer(module("result")), ptr, length);
  const block = views.get(a);
  if (block !== undefined) views.set(fresh, block);
  return fresh;
}

/**
 * Bytes of the scratch window through which calls stream ordinary arrays (chosen by measurement:
 * see docs/benchmarks.md, "Pieces and the scratch window"). A call never needs more module memory than this,
 * unless one row (or sample) of its data is larger.
 */
export const WINDOW_BYTES = 4 * MiB;

/**
 * The scratch block, at least `bytes` long: the only memory a call allocates (it is kept and
 * reused by later calls). May grow memory, so callers take views only after it.
 */
export function scratch(fn: string, bytes: number): Ptr {
  const m = module(fn);
  if (bytes > scratchBytes) {
    const want = Math.ceil(Math.max(bytes, WINDOW_BYTES) / 65536) * 65536;
    if (scratchPtr !== 0) m.kernels.release(scratchPtr);
    scratchPtr = 0 as Ptr;
    scratchBytes = 0;
    scratchPtr = allocateBytes(
      fn,
      m,
      want,
      "its scratch window (it holds at least one row or sample of the data)",
    );
    scratchBytes = want;
  }
  return scratchPtr;
}

/** Views of the whole memory, kept between calls (only the allocator grows memory, and it
 *  drops them): copies in and out then need no view of their own. */
let heapViews: { f32: Float32Array; i32: Int32Array } | null = null;

/** Float32 and int32 views of the whole linear memory (index = byte offset / 4). */
export function heap(): { f32: Float32Array; i32: Int32Array } {
  if (heapViews === null) {
    const b = buffer(module("heap"));
    heapViews = { f32: new Float32Array(b), i32: new Int32Array(b) };
  }
  return heapViews;
}

/** `count` blocks of per-thread scratch (each instance's cells, see assembly/scratch.ts). */
export function allocateScratch(fn: string, count: number): Ptr[] {
  const m = module(fn);
  const bytes = m.kernels.threadScratchBytes();
  return Array.from({ length: count }, () => allocateBytes(fn, m, bytes, "per-thread scratch"));
}

/** Returns per-thread scratch blocks to the allocator. */
export function releaseScratch(ptrs: readonly Ptr[]): void {
  const m = current();
  if (m !== null) for (const p of ptrs) m.kernels.release(p);
}
