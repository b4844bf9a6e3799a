// Synchronous raw-DEFLATE decoder (RFC 1951), after zlib's puff.c. The build (scripts/build.mjs)
// inlines each .wasm binary deflated, which makes the browser bundle about three times smaller
// than inlining the raw bytes; this decodes them once at load. It must stay synchronous, so that
// initSync() keeps working, which rules out the platform's DecompressionStream.

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  count: Uint16Array;
  symbol: Uint16Array;
}

function huffman(lengths: ArrayLike<number>): Huffman {
  const count = new Uint16Array(16), offs = new Uint16Array(16), symbol = new Uint16Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) count[lengths[i]]++;
  count[0] = 0;
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len] + count[len];
  for (let i = 0; i < lengths.length; i++) if (lengths[i]) symbol[offs[lengths[i]]++] = i;
  return { count, symbol };
}

/** Inflates raw DEFLATE `src` into exactly `size` bytes (the build records the original size). */
export function inflate(src: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let bit = 0, o = 0;

  const bits = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++, bit++) v |= ((src[bit >>> 3] >>> (bit & 7)) & 1) << i;
    return v;
  };
  const decode = (h: Huffman): number => {
    let code = 0, first = 0, index = 0;
    for (let len = 1; len < 16; len++) {
      code |= bits(1);
      const count = h.count[len];
      if (code - count < first) return h.symbol[index + (code - first)];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new Error("inflate: corrupt data");
  };

  let last = 0;
  while (!last) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      let p = (bit + 7) >>> 3;
      const len = src[p] | (src[p + 1] << 8);
      p += 4;
      out.set(src.subarray(p, p + len), o);
      o += len;
      bit = (p + len) << 3;
      continue;
    }
    let lit: Huffman, dist: Huffman;
    if (type === 1) {
      const l = new Uint8Array(288);
      l.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
      lit = huffman(l);
      dist = huffman(new Uint8Array(30).fill(5));
    } else if (type === 2) {
      const nlen = bits(5) + 257, ndist = bits(5) + 1, ncode = bits(4) + 4;
      const cl = new Uint8Array(19);
      for (let i = 0; i < ncode; i++) cl[ORDER[i]] = bits(3);
      const codes = huffman(cl);
      const lengths = new Uint8Array(nlen + ndist);
      for (let i = 0; i < nlen + ndist; ) {
        const sym = decode(codes);
        if (sym < 16) lengths[i++] = sym;
        else {
          const prev = sym === 16 ? lengths[i - 1] : 0;
          const n = sym === 16 ? 3 + bits(2) : sym === 17 ? 3 + bits(3) : 11 + bits(7);
          lengths.fill(prev, i, i + n);
          i += n;
        }
      }
      lit = huffman(lengths.subarray(0, nlen));
      dist = huffman(lengths.subarray(nlen));
    } else throw new Error("inflate: corrupt data");

    for (let sym = decode(lit); sym !== 256; sym = decode(lit)) {
      if (sym < 256) out[o++] = sym;
      else {
        const len = LEN_BASE[sym - 257] + bits(LEN_EXTRA[sym - 257]);
        const d = decode(dist);
        const from = o - (DIST_BASE[d] + bits(DIST_EXTRA[d]));
        for (let i = 0; i < len; i++) out[o++] = out[from + i];
      }
    }
  }
  return out;
}
