// Per-thread scratch: the 16-byte cells kernels write during a call (the sink of absent outputs,
// splatted scalars, per-lane temporaries). With the threaded build every thread runs its own
// instance over one shared memory, so these cells cannot be static data: each instance keeps the
// address of its own block in a wasm global (globals are per instance, memory is shared), set
// once by the wrapper from a block it allocated (src/memory.ts). Single-threaded builds use the
// same mechanism, so there is one code path.

let base: usize = 0;

/** Points this instance's scratch cells at `ptr` (threadScratchBytes() bytes, 16-byte aligned). */
export function setThreadScratch(ptr: usize): void {
  base = ptr;
}

// Cell indices (16 bytes each).
export const SINK_CELL: usize = 0;      // writes of absent outputs (never read)
export const SCALE_CELL: usize = 1;     // four copies of the gradient scale
export const WEIGHT_CELL: usize = 2;    // binary.ts: four copies of a scalar weight
export const POS_WEIGHT_CELL: usize = 3;
export const TAIL_CELL: usize = 4;      // binary.ts: the last n % 4 elements of sigmoid/logSigmoid
export const ZROW_CELL: usize = 5;      // pointwise3.ts: a per-row z splatted
export const LANE_CELL: usize = 6;      // multiclass.ts: 8 per-lane cells of the K-dim path
const CELLS: usize = 14;

/** Bytes of one thread's scratch block. */
export function threadScratchBytes(): i32 {
  return <i32>(CELLS << 4);
}

/** Address of cell `i` of this thread's scratch. */
@inline export function cell(i: usize): usize {
  return base + (i << 4);
}

/** Stores four copies of `v` at `p` and returns `p` (four scalar stores: the scalar build has no
 *  v128). */
export function splat4(p: usize, v: f32): usize {
  store<f32>(p, v, 0);
  store<f32>(p, v, 4);
  store<f32>(p, v, 8);
  store<f32>(p, v, 12);
  return p;
}
