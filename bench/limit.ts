// The physical limit of a fused loss+gradient pass: a SIMD loop that reads two float32 arrays
// and writes one (out[i] = a[i] + b[i]), nothing else. Built by bench/index.mjs with asc.

export function add(a: usize, b: usize, out: usize, n: i32): void {
  const n16 = n & ~15;
  let i = 0;
  for (; i < n16; i += 16) {
    const o = (<usize>i) << 2;
    v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
    v128.store(out + o, f32x4.add(v128.load(a + o, 16), v128.load(b + o, 16)), 16);
    v128.store(out + o, f32x4.add(v128.load(a + o, 32), v128.load(b + o, 32)), 32);
    v128.store(out + o, f32x4.add(v128.load(a + o, 48), v128.load(b + o, 48)), 48);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, load<f32>(a + o) + load<f32>(b + o));
  }
}

/** Grows memory to at least `bytes`; returns false when it cannot. */
export function reach(bytes: usize): bool {
  const have = (<usize>memory.size()) << 16;
  if (bytes <= have) return true;
  return memory.grow(<i32>((bytes - have + 65535) >> 16)) >= 0;
}
