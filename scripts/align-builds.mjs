// Makes the SIMD and the scalar build number the same things alike, so that the packed bundle
// (both binaries in one LZMA stream, scripts/build.mjs) can reuse one build's bytes for the
// other's. A rewrite of the .wasm binary that only renames: every instruction stays, in place;
// only the indices of functions, locals and globals (and so the byte length of their LEB128
// immediates) change.
//  - Functions (alignFunctionOrder, both builds at once): those both builds have first, matched
//    by name, so that the calls of the code they share are the same bytes.
// Besides, mergeDataSegments() writes the data as one segment (a layout change, same memory).
//  - Locals: each function's are renumbered in the order of their last use, read from the end,
//    then the vector code's own locals, then v128 locals, and declared in that order (runs of
//    one type). The SIMD kernels end with the same scalar tail loops the scalar build consists
//    of, but their vector code declares extra locals first; numbered like this, the shared code
//    gets the same numbers in both builds.
//  - Globals: the v128 globals (the SIMD build's vector constants) are declared after the others,
//    so the globals both builds have get the same indices.

/** `wasm` (a Uint8Array) with its locals and globals renumbered as above. */
export function alignBuilds(wasm) {
  const sections = readSections(wasm);
  const types = sections.find((s) => s.id === 1);
  const funcs = sections.find((s) => s.id === 3);
  const globals = sections.find((s) => s.id === 6);
  if (sections.some((s) => s.id === 2)) throw new Error("alignBuilds: modules with imports are not handled");

  // Parameter counts per function type and per function.
  const paramCounts = [];
  if (types) {
    const r = reader(types.body);
    for (let n = r.u32(); n > 0; n--) {
      if (r.byte() !== 0x60) throw new Error("alignBuilds: unexpected type form");
      const params = r.u32();
      r.skip(params);
      r.skip(r.u32());
      paramCounts.push(params);
    }
  }
  const funcParams = [];
  if (funcs) {
    const r = reader(funcs.body);
    for (let n = r.u32(); n > 0; n--) funcParams.push(paramCounts[r.u32()]);
  }

  // Globals: v128 ones last.
  let globalMap = null;
  if (globals) {
    const r = reader(globals.body);
    const entries = [];
    for (let n = r.u32(); n > 0; n--) {
      const start = r.pos;
      const type = r.byte();
      r.byte(); // mutability
      skipExpr(r);
      entries.push({ type, bytes: globals.body.subarray(start, r.pos) });
    }
    const order = [...entries.keys()].sort((a, b) => (entries[a].type === 0x7b) - (entries[b].type === 0x7b) || a - b);
    globalMap = new Map(order.map((old, now) => [old, now]));
    globals.body = concat([leb(entries.length), ...order.map((i) => entries[i].bytes)]);
    const exports = sections.find((s) => s.id === 7);
    if (exports) exports.body = remapExports(exports.body, 3, (index) => globalMap.get(index));
  }

  const code = sections.find((s) => s.id === 10);
  if (code) {
    const r = reader(code.body);
    const bodies = [];
    for (let n = r.u32(), f = 0; f < n; f++) {
      const size = r.u32();
      bodies.push(alignFunction(code.body.subarray(r.pos, r.pos + size), funcParams[f], globalMap));
      r.pos += size;
    }
    code.body = concat([leb(bodies.length), ...bodies.flatMap((b) => [leb(b.length), b])]);
  }
  return writeSections(wasm, sections);
}

function alignFunction(body, params, globalMap) {
  const r = reader(body);
  const types = [];
  for (let n = r.u32(); n > 0; n--) {
    const count = r.u32();
    const type = r.byte();
    for (let k = 0; k < count; k++) types.push(type);
  }
  const codeStart = r.pos;
  const refs = []; // [position of the index immediate, its end, local index]
  const globalRefs = [];
  let firstSimd = Infinity, lastSimd = -1; // the vector code's span
  while (r.pos < body.length) {
    const op = r.byte();
    if (op === 0xfd) {
      firstSimd = Math.min(firstSimd, r.pos);
      lastSimd = r.pos;
    }
    if (op >= 0x20 && op <= 0x22) {
      const at = r.pos;
      const index = r.u32();
      refs.push([at, r.pos, index]);
    } else if (op === 0x23 || op === 0x24) {
      const at = r.pos;
      const index = r.u32();
      globalRefs.push([at, r.pos, index]);
    } else skipImmediates(r, op);
  }
  // New numbers: parameters keep theirs; locals in the order of last use, from the end; then the
  // vector code's own locals (used only within its span) and v128 locals go last, in that order.
  let order = [];
  const seen = new Set();
  for (let k = refs.length - 1; k >= 0; k--) {
    const index = refs[k][2];
    if (index >= params && !seen.has(index)) {
      seen.add(index);
      order.push(index);
    }
  }
  for (let index = params; index < params + types.length; index++) if (!seen.has(index)) order.push(index);
  const vectorOnly = new Set(order.filter((i) => refs.every(([at, , j]) => j !== i || (at > firstSimd && at < lastSimd))));
  const rank = (i) => (vectorOnly.has(i) ? 2 : 0) + (types[i - params] === 0x7b ? 1 : 0);
  order = order.map((i, k) => [rank(i), k, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
  const map = new Map(order.map((old, k) => [old, params + k]));

  const decls = [];
  for (const old of order) {
    const type = types[old - params];
    if (decls.length > 0 && decls[decls.length - 1][1] === type) decls[decls.length - 1][0]++;
    else decls.push([1, type]);
  }
  const parts = [leb(decls.length), ...decls.flatMap(([count, type]) => [leb(count), Uint8Array.of(type)])];
  const edits = [
    ...refs.map(([at, end, index]) => [at, end, map.get(index) ?? index]),
    ...globalRefs.map(([at, end, index]) => [at, end, globalMap ? globalMap.get(index) : index]),
  ].sort((a, b) => a[0] - b[0]);
  let pos = codeStart;
  for (const [at, end, index] of edits) {
    parts.push(body.subarray(pos, at), leb(index));
    pos = end;
  }
  parts.push(body.subarray(pos));
  return concat(parts);
}

/** An export section with the index of every export of `kind` (0 function, 3 global) renumbered. */
function remapExports(body, kind, renumber) {
  const r = reader(body);
  const parts = [];
  const n = r.u32();
  parts.push(leb(n));
  for (let k = 0; k < n; k++) {
    const start = r.pos;
    r.skip(r.u32());
    const exportKind = r.byte();
    const mid = r.pos;
    const index = r.u32();
    parts.push(body.subarray(start, mid), leb(exportKind === kind ? renumber(index) : index));
  }
  return concat(parts);
}

/** The binary of `sections` behind the header of `wasm`. */
function writeSections(wasm, sections) {
  return concat([wasm.subarray(0, 8), ...sections.flatMap((s) => [Uint8Array.of(s.id), leb(s.body.length), s.body])]);
}

/** Skips a constant expression up to and including its `end`. */
function skipExpr(r) {
  for (let op = r.byte(); op !== 0x0b; op = r.byte()) {
    if (op >= 0x20 && op <= 0x24) r.u32();
    else skipImmediates(r, op);
  }
}

/** Skips the immediates of instruction `op` (MVP, sign-extension, saturating conversions, bulk
 *  memory, reference types and fixed-width SIMD); throws on anything else. */
function skipImmediates(r, op) {
  if (op === 0x02 || op === 0x03 || op === 0x04) {
    const b = r.body[r.pos];
    if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) r.pos++;
    else r.s33();
  } else if (op === 0x0c || op === 0x0d || op === 0x10 || (op >= 0x20 && op <= 0x26) || op === 0xd2) r.u32();
  else if (op === 0x0e) {
    for (let n = r.u32(); n > 0; n--) r.u32();
    r.u32();
  } else if (op === 0x11) {
    r.u32();
    r.u32();
  } else if (op === 0x1c) r.skip(r.u32());
  else if (op >= 0x28 && op <= 0x3e) {
    r.u32();
    r.u32();
  } else if (op === 0x3f || op === 0x40 || op === 0xd0) r.pos++;
  else if (op === 0x41 || op === 0x42) r.s33();
  else if (op === 0x43) r.pos += 4;
  else if (op === 0x44) r.pos += 8;
  else if (op === 0xfc) {
    const sub = r.u32();
    if (sub <= 7) return;
    if (sub === 8) {
      r.u32();
      r.pos++;
    } else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) r.u32();
    else if (sub === 10) r.pos += 2;
    else if (sub === 11) r.pos++;
    else if (sub === 12 || sub === 14) {
      r.u32();
      r.u32();
    } else throw new Error(`alignBuilds: unknown instruction 0xfc ${sub}`);
  } else if (op === 0xfd) {
    const sub = r.u32();
    if (sub <= 11 || sub === 92 || sub === 93) {
      r.u32();
      r.u32();
    } else if (sub === 12 || sub === 13) r.pos += 16;
    else if (sub >= 21 && sub <= 34) r.pos++;
    else if (sub >= 84 && sub <= 91) {
      r.u32();
      r.u32();
      r.pos++;
    } else if (sub > 275) throw new Error(`alignBuilds: unknown instruction 0xfd ${sub}`);
  } else if (op === 0x05 || op === 0x0b || op === 0x00 || op === 0x01 || op === 0x0f || op === 0x1a || op === 0x1b ||
    (op >= 0x45 && op <= 0xc4) || op === 0xd1) {
    // no immediates
  } else throw new Error(`alignBuilds: unknown instruction 0x${op.toString(16)}`);
}

function readSections(wasm) {
  const r = reader(wasm);
  r.pos = 8;
  const sections = [];
  while (r.pos < wasm.length) {
    const id = r.byte();
    const size = r.u32();
    sections.push({ id, body: wasm.subarray(r.pos, r.pos + size) });
    r.pos += size;
  }
  return sections;
}

function reader(body) {
  return {
    body,
    pos: 0,
    byte() {
      return this.body[this.pos++];
    },
    skip(n) {
      this.pos += n;
    },
    u32() {
      let v = 0, shift = 0, b;
      do {
        b = this.body[this.pos++];
        v += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      return v;
    },
    s32() {
      let v = 0, shift = 0, b;
      do {
        b = this.body[this.pos++];
        v |= (b & 0x7f) << shift;
        shift += 7;
      } while (b & 0x80);
      return shift < 32 && b & 0x40 ? v | (-1 << shift) : v;
    },
    s33() {
      let b;
      do b = this.body[this.pos++];
      while (b & 0x80);
    },
  };
}

function leb(v) {
  const out = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return Uint8Array.from(out);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/**
 * The two builds (binaries with a name section, as `asc --debug` writes them) with their
 * functions renumbered alike: the functions both have (matched by name) first, in the order of
 * the first build, then each build's own. A call to a shared function then has the same
 * immediate in both builds, so the shared code is the same bytes. The name sections are dropped.
 */
export function alignFunctionOrder(first, second) {
  const [na, nb] = [functionNames(first), functionNames(second)];
  const shared = na.filter((n) => nb.includes(n));
  const own = (names, other) => names.filter((n) => !other.includes(n));
  return [
    renumberFunctions(first, na, [...shared, ...own(na, nb)]),
    renumberFunctions(second, nb, [...shared, ...own(nb, na)]),
  ];
}

/** The function names of the name section, by function index. */
function functionNames(wasm) {
  const section = readSections(wasm).find((s) => s.id === 0 && customName(s.body) === "name");
  if (!section) throw new Error("alignFunctionOrder: the binary has no name section (build with --debug)");
  const r = reader(section.body);
  r.skip(r.u32());
  const names = [];
  while (r.pos < section.body.length) {
    const id = r.byte();
    const end = r.u32() + r.pos;
    if (id === 1) {
      for (let n = r.u32(); n > 0; n--) {
        const index = r.u32();
        const length = r.u32();
        names[index] = new TextDecoder().decode(section.body.subarray(r.pos, r.pos + length));
        r.pos += length;
      }
    }
    r.pos = end;
  }
  if (new Set(names).size !== names.length) throw new Error("alignFunctionOrder: duplicate function names");
  return names;
}

function customName(body) {
  const r = reader(body);
  const length = r.u32();
  return new TextDecoder().decode(body.subarray(r.pos, r.pos + length));
}

/** `wasm` with function `names[i]` moved to index `order.indexOf(names[i])`, custom sections dropped. */
function renumberFunctions(wasm, names, order) {
  const map = names.map((n) => order.indexOf(n));
  const sections = readSections(wasm).filter((s) => s.id !== 0);
  if (sections.some((s) => s.id === 2 || s.id === 9)) throw new Error("alignFunctionOrder: imports and tables are not handled");
  const reorder = (items) => {
    const out = [];
    items.forEach((item, old) => (out[map[old]] = item));
    return out;
  };
  for (const s of sections) {
    const r = reader(s.body);
    if (s.id === 3) {
      const types = [];
      for (let n = r.u32(); n > 0; n--) types.push(r.u32());
      s.body = concat([leb(types.length), ...reorder(types).map(leb)]);
    } else if (s.id === 10) {
      const bodies = [];
      for (let n = r.u32(); n > 0; n--) {
        const size = r.u32();
        bodies.push(renumberCalls(s.body.subarray(r.pos, r.pos + size), map));
        r.pos += size;
      }
      s.body = concat([leb(bodies.length), ...reorder(bodies).flatMap((b) => [leb(b.length), b])]);
    } else if (s.id === 7) {
      s.body = remapExports(s.body, 0, (index) => map[index]);
    } else if (s.id === 8) {
      s.body = leb(map[r.u32()]);
    }
  }
  return writeSections(wasm, sections);
}

/** A function body with the function index of every call and ref.func renumbered by `map`. */
function renumberCalls(body, map) {
  const r = reader(body);
  for (let n = r.u32(); n > 0; n--) {
    r.u32();
    r.byte();
  }
  const parts = [];
  let pos = 0;
  while (r.pos < body.length) {
    const op = r.byte();
    if (op === 0x10 || op === 0xd2) {
      const at = r.pos;
      const index = r.u32();
      parts.push(body.subarray(pos, at), leb(map[index]));
      pos = r.pos;
    } else skipImmediates(r, op);
  }
  parts.push(body.subarray(pos));
  return concat(parts);
}

/**
 * `wasm` with its active data segments merged into one, the zero bytes between them written out.
 * binaryen splits the data at every run of zeros (AssemblyScript's constant cells lie apart); each
 * segment then costs a header, and one segment packs ~80 B smaller. Memory starts zeroed, so
 * writing the gaps' zeros changes nothing.
 */
export function mergeDataSegments(wasm) {
  const sections = readSections(wasm);
  const data = sections.find((s) => s.id === 11);
  if (!data) return wasm;
  const r = reader(data.body);
  const segments = [];
  for (let n = r.u32(); n > 0; n--) {
    if (r.u32() !== 0 || r.byte() !== 0x41) throw new Error("mergeDataSegments: only active segments at i32.const offsets are handled");
    const offset = r.s32();
    if (r.byte() !== 0x0b) throw new Error("mergeDataSegments: unexpected offset expression");
    const length = r.u32();
    segments.push({ offset, bytes: data.body.subarray(r.pos, r.pos + length) });
    r.pos += length;
  }
  if (segments.length < 2) return wasm;
  const start = Math.min(...segments.map((s) => s.offset));
  const merged = new Uint8Array(Math.max(...segments.map((s) => s.offset + s.bytes.length)) - start);
  for (const s of segments) merged.set(s.bytes, s.offset - start);
  data.body = concat([leb(1), Uint8Array.of(0, 0x41), sleb(start), Uint8Array.of(0x0b), leb(merged.length), merged]);
  const count = sections.find((s) => s.id === 12);
  if (count) count.body = leb(1);
  return writeSections(wasm, sections);
}

function sleb(v) {
  const out = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) return Uint8Array.from([...out, b]);
    out.push(b | 0x80);
  }
}
