// The one place that touches the module's linear memory: user blocks from alloc(), the scratch
// block that holds copies of ordinary arrays during a call, and copying results out.
//
// The subtle part: growing a WebAssembly memory detaches its ArrayBuffer, and with it every
// Float32Array view on it. Views from alloc() therefore cannot survive growth; instead they are
// tracked, a stale one is refused with an error that says how to recover (refresh(view)), and
// growth is made rare: memory grows geometrically, scratch is reused between calls, and
// reserve() lets a user size memory up front so that no later call grows it.

import { current, module, onInstantiate, type Module } from "./loader";
import { describe } from "./validate";

interface Block {
  readonly ptr: number;
  readonly length: number;
  /** Why the block can no longer be used, or null while it is live. */
  dead: null | "was freed" | "belongs to a module replaced by a later init()";
}

const views = new WeakMap<Float32Array, Block>();
let blocks = new Map<number, Block>();
let scratchPtr = 0;
let scratchBytes = 0;

onInstantiate(() => {
  // A new module has a new memory: every earlier block is gone with the old one (its views stay
  // in the WeakMap so that using one gives a precise error).
  for (const b of blocks.values()) b.dead = "belongs to a module replaced by a later init()";
  blocks = new Map();
  scratchPtr = 0;
  scratchBytes = 0;
});

const MAX_BYTES = 2 ** 32;

function outOfMemory(fn: string, bytes: number, m: Module): RangeError {
  return new RangeError(
    `${fn}: needs ${bytes} more bytes of WebAssembly memory (${(bytes / 2 ** 20).toFixed(1)} MiB) ` +
      `but linear memory cannot grow past 4 GiB (in use: ${(m.memory.buffer.byteLength / 2 ** 20).toFixed(1)} MiB); ` +
      `pass smaller batches`,
  );
}

/**
 * Allocates `length` float32 elements in the module's memory and returns a view on them.
 * Passing such views to any loss skips every copy (zero-copy).
 *
 * A later `alloc`, `reserve` or call that needs more memory may grow it, which detaches all
 * views: a detached view passed to any function throws; `refresh(view)` returns a live view of
 * the same (unchanged) data. Call `reserve` first to size memory once and avoid growth.
 *
 * @example
 * const x = alloc(1024); x.set(myLogits);
 * const { loss } = bceWithLogitsLossWithGrad(x, y, { gradInto: g });
 * free(x);
 */
export function alloc(length: number): Float32Array {
  const { m, ptr } = allocate("alloc", length);
  const block: Block = { ptr, length, dead: null };
  blocks.set(ptr, block);
  const view = new Float32Array(m.memory.buffer, ptr, length);
  views.set(view, block);
  return view;
}

/** `length` float32 elements from the module's allocator (growing memory if needed), checked. */
function allocate(fn: string, length: number): { m: Module; ptr: number } {
  const m = module(fn);
  if (typeof length !== "number" || !Number.isInteger(length) || length < 0) {
    throw new RangeError(`${fn}: 'length' must be a non-negative integer; received ${describe(length)}`);
  }
  const bytes = length * 4;
  const ptr = bytes < MAX_BYTES ? m.kernels.allocate(bytes) >>> 0 : 0;
  if (ptr === 0) throw outOfMemory(fn, bytes, m);
  return { m, ptr };
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

/** A live view of the same block as `view` (from {@link alloc}), after memory growth detached it. */
export function refresh(view: Float32Array): Float32Array {
  const { m, block } = blockOf("refresh", view);
  if (block.dead !== null) throw new Error(`refresh: 'view' ${block.dead}; alloc() a new one`);
  if (view.buffer === m.memory.buffer) return view;
  const fresh = new Float32Array(m.memory.buffer, block.ptr, block.length);
  views.set(fresh, block);
  return fresh;
}

/** The block of a view from alloc(), or a TypeError naming `fn`. */
function blockOf(fn: string, view: Float32Array): { m: Module; block: Block } {
  const m = module(fn);
  const block = view instanceof Float32Array ? views.get(view) : undefined;
  if (block === undefined) throw new TypeError(`${fn}: 'view' must be a Float32Array returned by alloc(); received ${describe(view)}`);
  return { m, block };
}

/**
 * Grows the module's memory now so that `length` more float32 elements can be allocated (and
 * copied through scratch) without growing later: views handed out after this stay valid.
 */
export function reserve(length: number): void {
  const { m, ptr } = allocate("reserve", length);
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
  if (block.dead !== null) throw new TypeError(`${fn}: '${arg}' is a view from alloc() that ${block.dead}`);
  if (current() !== null && a.buffer !== current()!.memory.buffer) {
    throw new TypeError(
      `${fn}: '${arg}' is a view from alloc() detached by memory growth; use refresh(view) to get a live view of the same data`,
    );
  }
}

/** The byte offset of `a` in linear memory if it lives there (a live alloc() view or a
 *  sub-view of one), else -1. Throws for freed or detached views. */
function residentOffset(fn: string, arg: string, a: Float32Array, m: Module): number {
  const block = views.get(a);
  if (block !== undefined) {
    assertUsable(fn, arg, a);
    return block.ptr;
  }
  if (a.buffer !== m.memory.buffer) return -1;
  const start = a.byteOffset;
  const end = start + a.byteLength;
  for (const b of blocks.values()) {
    if (start >= b.ptr && end <= b.ptr + b.length * 4) return start;
  }
  throw new TypeError(`${fn}: '${arg}' is a view on wasm-loss memory outside any live alloc() block (freed?)`);
}

/** One argument or result of a call, placed in linear memory. `ptr` is valid after commit(). */
export class Slot {
  ptr = 0;
  constructor(
    readonly source: ArrayLike<number> | null,   // copied in (null for outputs)
    readonly kind: "f32" | "i32",
    readonly length: number,
    readonly resident: number,                   // >= 0: lives there already, no copy
    readonly into: Float32Array | undefined,     // outputs: caller's array to fill
    readonly offset: number,                     // byte offset in scratch when not resident
    readonly window: number,                     // elements placed in scratch (< length: streamed)
  ) {}
}

/**
 * The memory plan of one call: declare every input and output, then commit() reserves scratch
 * (the only step that may grow memory), copies inputs in and fixes pointers. Nothing is written
 * anywhere before commit(), so a validation error leaves no trace.
 */
export class Frame {
  readonly m: Module;
  private bytes = 0;
  private readonly slots: Slot[] = [];

  constructor(readonly fn: string) {
    this.m = module(fn);
  }

  private place(
    source: ArrayLike<number> | null, kind: "f32" | "i32", length: number, resident: number,
    into?: Float32Array, window = length,
  ): Slot {
    let offset = 0;
    if (resident >= 0) window = length;
    else {
      offset = this.bytes;
      this.bytes += (window * 4 + 15) & ~15;
    }
    const s = new Slot(source, kind, length, resident, into, offset, window);
    this.slots.push(s);
    return s;
  }

  /** A float32 input: used in place when it lives in module memory, else copied (by commit(),
   *  or, with `window` < length, `window` elements at a time by the caller: see stream()). */
  f32(arg: string, a: Float32Array, window?: number): Slot {
    return this.place(a, "f32", a.length, residentOffset(this.fn, arg, a, this.m), undefined, window);
  }

  /** An int32 input (class indices), always copied: `a` is the converted array. */
  i32(a: ArrayLike<number>): Slot {
    return this.place(a, "i32", a.length, -1);
  }

  /** A float32 result of `length` elements, written to `into` when given (`window` as for f32). */
  out(arg: string, length: number, into?: Float32Array, window?: number): Slot {
    const resident = into ? residentOffset(this.fn, arg, into, this.m) : -1;
    return this.place(null, "f32", length, resident, into, window);
  }

  /** Scratch space the kernel uses internally (not copied in or out). */
  temp(bytes: number): Slot {
    return this.place(null, "f32", Math.ceil(bytes / 4), -1);
  }

  commit(): void {
    const m = this.m;
    if (this.bytes > scratchBytes) {
      if (this.bytes >= MAX_BYTES) throw outOfMemory(this.fn, this.bytes, m);
      const want = Math.min(MAX_BYTES - 65536, Math.ceil(this.bytes / 65536) * 65536);
      if (scratchPtr !== 0) m.kernels.release(scratchPtr);
      scratchPtr = 0;
      scratchBytes = 0;
      const ptr = m.kernels.allocate(want) >>> 0;
      if (ptr === 0) throw outOfMemory(this.fn, this.bytes, m);
      scratchPtr = ptr;
      scratchBytes = want;
    }
    const buffer = m.memory.buffer;
    for (const s of this.slots) {
      s.ptr = s.resident >= 0 ? s.resident : scratchPtr + s.offset;
      if (s.source !== null && s.resident < 0 && s.window === s.length) {
        if (s.kind === "f32") new Float32Array(buffer, s.ptr, s.length).set(s.source);
        else new Int32Array(buffer, s.ptr, s.length).set(s.source);
      }
    }
  }

  /** A result as the caller gets it: `into` filled (or, if it is resident, itself), else a new array. */
  result(s: Slot): Float32Array {
    const buffer = this.m.memory.buffer;
    if (s.into !== undefined) {
      if (s.resident >= 0) return s.into.buffer === buffer ? s.into : refreshSub(s.into, s.resident, buffer);
      s.into.set(new Float32Array(buffer, s.ptr, s.length));
      return s.into;
    }
    // The copy constructor allocates without zero-filling (slice() and new + set() fill twice).
    return new Float32Array(new Float32Array(buffer, s.ptr, s.length));
  }
}

/** A resident output whose view memory growth detached during the call: hand back a live one. */
function refreshSub(old: Float32Array, ptr: number, buffer: ArrayBuffer): Float32Array {
  const fresh = new Float32Array(buffer, ptr, old.length);
  const block = views.get(old);
  if (block !== undefined) views.set(fresh, block);
  return fresh;
}
