// Synchronous raw-LZMA decoder, after the LZMA SDK's reference decoder (LzmaSpec.cpp), for the
// one stream the build (scripts/build.mjs) inlines: both .wasm binaries compressed together by
// `xz --format=raw --lzma1=…,lc=3,lp=0,pb=0`. LZMA packs the binaries ~20% smaller than DEFLATE
// level 9 (11.5 vs 14.5 KB), and this decoder is smaller than an inflater. It must stay
// synchronous so that initSync() keeps working (which rules out DecompressionStream).
//
// Fixed stream parameters (the build passes the same): lc = 3 literal context bits, lp = 0,
// pb = 0 (so no position state). The stream has no header; the output size is known, so the
// decoder stops there and never reads the end marker.

// Offsets into one array of adaptive bit probabilities (11-bit, start at ½).
const IS_MATCH = 0, IS_REP = 12, IS_REP_G0 = 24, IS_REP_G1 = 36, IS_REP_G2 = 48, IS_REP0_LONG = 60;
const POS_SLOT = 72; // 4 length states × 64
const POS_SPECIAL = 328; // 115 (index 0 unused, as in the reference)
const ALIGN = 443; // 16
const LEN = 459, REP_LEN = 733; // each: choice, choice2, low[8], mid[8], high[256] = 274
const LITERAL = 1007; // 8 contexts × 0x300
const PROBS = LITERAL + 0x1800;

/** Decodes a raw LZMA stream (lc=3, lp=0, pb=0) into exactly `size` bytes. */
export function unlzma(src: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  const p = new Uint16Array(PROBS).fill(1024);
  let range = 0xffffffff, code = 0, i = 1; // byte 0 of the range coder is always 0
  for (; i < 5; i++) code = code * 256 + src[i];

  /** One bit with the adaptive probability p[k], or a direct bit (probability ½, the range
   *  halved either way) for k = -1 (p[-1] reads undefined and ignores writes). */
  const bit = (k: number): number => {
    const bound = k < 0 ? range >>> 1 : (range >>> 11) * p[k];
    let b = 0;
    if (code < bound) {
      range = bound;
      p[k] += (2048 - p[k]) >> 5;
    } else {
      range = k < 0 ? bound : range - bound;
      code -= bound;
      p[k] -= p[k] >> 5;
      b = 1;
    }
    if (range < 2 ** 24) {
      range *= 256;
      code = code * 256 + src[i++];
    }
    return b;
  };
  /** `n` bits through a binary tree of probabilities at `base`: most significant first, or
   *  least significant first when `rev` (the reference's reverse bit tree). */
  const tree = (base: number, n: number, rev?: 1): number => {
    let m = 1, s = 0;
    for (let j = 0; j < n; j++) {
      const b = bit(base + m);
      m = (m << 1) | b;
      s |= b << j;
    }
    return rev ? s : m - (1 << n);
  };
  const length = (base: number): number =>
    !bit(base) ? tree(base + 2, 3) : !bit(base + 1) ? 8 + tree(base + 10, 3) : 16 + tree(base + 18, 8);

  let o = 0, state = 0, rep0 = 0, rep1 = 0, rep2 = 0, rep3 = 0;
  while (o < size) {
    if (!bit(IS_MATCH + state)) {
      const base = LITERAL + 0x300 * (out[o - 1] >> 5); // out[-1] >> 5 is 0
      // After a match, bits are coded with the byte at rep0 as context (offs 0x100) until the
      // first bit that differs from it (the SDK's LzmaDec form: offs drops to 0 then).
      let s = 1, offs = state >= 7 ? 0x100 : 0, match = out[o - rep0 - 1];
      do {
        const m = (match <<= 1) & offs;
        const b = bit(base + offs + m + s);
        s = (s << 1) | b;
        offs &= b ? m : ~m;
      } while (s < 0x100);
      out[o++] = s;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let len: number;
    if (bit(IS_REP + state)) {
      if (!bit(IS_REP_G0 + state)) {
        if (!bit(IS_REP0_LONG + state)) {
          state = state < 7 ? 9 : 11;
          out[o] = out[o - rep0 - 1];
          o++;
          continue;
        }
      } else {
        let d: number;
        if (!bit(IS_REP_G1 + state)) d = rep1;
        else {
          if (!bit(IS_REP_G2 + state)) d = rep2;
          else {
            d = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = d;
      }
      len = length(REP_LEN);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      len = length(LEN);
      state = state < 7 ? 7 : 10;
      const slot = tree(POS_SLOT + (len < 3 ? len : 3) * 64, 6);
      if (slot < 4) rep0 = slot;
      else {
        const n = (slot >> 1) - 1;
        rep0 = (2 | (slot & 1)) << n;
        if (slot < 14) rep0 += tree(POS_SPECIAL + rep0 - slot, n, 1);
        else {
          for (let j = n - 4; j > 0; j--) rep0 += bit(-1) << (j + 3);
          rep0 += tree(ALIGN, 4, 1);
        }
      }
    }
    for (len += 2; len-- > 0 && o < size; o++) out[o] = out[o - rep0 - 1];
  }
  return out;
}
