// The module's own heap. The stub runtime never frees, and a training loop calls us millions of
// times, so blocks are kept in one address-ordered list (there are only ever a few: the wrapper's
// scratch block plus the user's alloc() views) and reused first-fit, with neighbours coalesced.
//
// Block layout: a 16-byte header [size: u32 (header included), prevSize: u32, used: u32, pad]
// followed by the payload. Payloads are 16-byte aligned so v128 loads never straddle a line
// needlessly.

const HEADER: usize = 16;
const ALIGN: usize = 16;
const MIN_SPLIT: usize = 64;
const PAGE: usize = 65536;

let heapStart: usize = 0;
let heapEnd: usize = 0; // one past the last block

@inline function sizeOf(b: usize): usize { return <usize>load<u32>(b); }
@inline function prevSizeOf(b: usize): usize { return <usize>load<u32>(b, 4); }
@inline function isUsed(b: usize): bool { return load<u32>(b, 8) != 0; }
@inline function setHeader(b: usize, size: usize, prevSize: usize, used: bool): void {
  store<u32>(b, <u32>size);
  store<u32>(b, <u32>prevSize, 4);
  store<u32>(b, used ? 1 : 0, 8);
}

function ensureInit(): void {
  if (heapStart != 0) return;
  heapStart = (__heap_base + ALIGN - 1) & ~(ALIGN - 1);
  heapEnd = heapStart;
}

/** Makes linear memory at least `end` bytes long; false when the engine refuses to grow. */
function reach(end: usize): bool {
  // In u64: at 65536 pages the memory's size, 2^32, does not fit a usize.
  const have = <u64>memory.size() * <u64>PAGE;
  if (<u64>end <= have) return true;
  const need = <i32>((<u64>end - have + PAGE - 1) / PAGE);
  // Grow at least by the current size so that growth (which detaches every JS view) is rare.
  const current = memory.size();
  const want = max(need, current);
  if (want > need && memory.grow(want) >= 0) return true;
  return memory.grow(need) >= 0;
}

/** Returns a 16-byte aligned block of at least `bytes` bytes, or 0 if memory cannot grow. */
export function allocate(bytes: usize): usize {
  ensureInit();
  if (bytes > 0xFFFF0000) return 0;
  const need = max<usize>(HEADER + ((bytes + ALIGN - 1) & ~(ALIGN - 1)), MIN_SPLIT);
  let b = heapStart;
  let last: usize = 0;
  while (b < heapEnd) {
    const size = sizeOf(b);
    if (!isUsed(b) && size >= need) {
      if (size - need >= MIN_SPLIT) {
        const rest = b + need;
        setHeader(rest, size - need, need, false);
        const after = rest + (size - need);
        if (after < heapEnd) store<u32>(after, <u32>(size - need), 4);
        setHeader(b, need, prevSizeOf(b), true);
      } else {
        store<u32>(b, 1, 8);
      }
      return b + HEADER;
    }
    last = b;
    b += size;
  }
  // Nothing fits: extend the heap, swallowing a free last block.
  if (last != 0 && !isUsed(last)) {
    const end = last + need;
    if (end < last || !reach(end)) return 0;
    setHeader(last, need, prevSizeOf(last), true);
    heapEnd = end;
    return last + HEADER;
  }
  const end = heapEnd + need;
  if (end < heapEnd || !reach(end)) return 0;
  setHeader(heapEnd, need, last != 0 ? sizeOf(last) : 0, true);
  const ptr = heapEnd + HEADER;
  heapEnd = end;
  return ptr;
}

/** Returns a block to the heap. Unknown or already-free pointers are ignored (the wrapper checks). */
export function release(ptr: usize): void {
  if (ptr < heapStart + HEADER || ptr >= heapEnd) return;
  let b = ptr - HEADER;
  if (!isUsed(b)) return;
  let size = sizeOf(b);
  const next = b + size;
  if (next < heapEnd && !isUsed(next)) size += sizeOf(next);
  const prevSize = prevSizeOf(b);
  if (prevSize != 0 && !isUsed(b - prevSize)) {
    b -= prevSize;
    size += prevSize;
  }
  setHeader(b, size, prevSizeOf(b), false);
  const after = b + size;
  if (after < heapEnd) store<u32>(after, <u32>size, 4);
}

/** Bytes of linear memory in use by blocks (for tests of "no growth per call"). */
export function heapBytes(): usize {
  ensureInit();
  return heapEnd - heapStart;
}
