// Makes the SIMD and the scalar build number the same things alike, so that the packed bundle
// (both binaries in one LZMA stream, scripts/build.mjs) can reuse one build's bytes for the
// other's. Works on binaryen's text form (wasm-dis output) and only renames: no instruction is
// added, removed or reordered.
//  - Locals: each function's are renumbered in the order of their last use, read from the end.
//    The SIMD kernels end with the same scalar tail loops the scalar build consists of, but their
//    vector code declares extra locals first; numbered from the end, the shared tails get the
//    same numbers in both builds (268 bytes less packed).
//  - Globals: the SIMD build's v128 globals (vector constants) are declared after the others, so
//    the globals both builds have get the same indices (56 bytes less packed).

const FUNC = /^ \(func /;
const LOCAL_DECL = /^ {2}\(local \$(\d+) (\w+)\)$/;
const LOCAL_USE = /(local\.(?:get|set|tee) \$)(\d+)/g;

/** `wat` with its locals renumbered and its v128 globals declared last (see above). */
export function alignBuilds(wat) {
  const lines = wat.split("\n");
  const globals = lines.flatMap((l, i) => (l.startsWith(" (global ") ? [i] : []));
  const sorted = [...globals.filter((i) => !lines[i].includes("v128")), ...globals.filter((i) => lines[i].includes("v128"))];
  const declared = sorted.map((i) => lines[i]);
  globals.forEach((i, k) => (lines[i] = declared[k]));
  const out = [];
  for (let i = 0; i < lines.length; ) {
    if (!FUNC.test(lines[i])) {
      out.push(lines[i++]);
      continue;
    }
    const head = lines[i++];
    const decls = [];
    const body = [];
    while (lines[i] !== " )") {
      if (i >= lines.length) throw new Error("alignBuilds: unterminated function");
      const m = lines[i].match(LOCAL_DECL);
      if (m && body.length === 0) decls.push([m[1], m[2]]);
      else body.push(lines[i]);
      i++;
    }
    const end = lines[i++];
    const params = [...head.matchAll(/\(param \$(\d+)/g)].length;
    const type = new Map(decls);
    const order = [];
    const seen = new Set();
    for (let k = body.length - 1; k >= 0; k--) {
      for (const m of [...body[k].matchAll(LOCAL_USE)].reverse()) {
        if (type.has(m[2]) && !seen.has(m[2])) {
          seen.add(m[2]);
          order.push(m[2]);
        }
      }
    }
    for (const [n] of decls) if (!seen.has(n)) order.push(n);
    const map = new Map(order.map((n, k) => [n, String(params + k)]));
    out.push(head, ...order.map((n) => `  (local $${map.get(n)} ${type.get(n)})`));
    for (const line of body) out.push(line.replace(LOCAL_USE, (s, op, n) => op + (map.get(n) ?? n)));
    out.push(end);
  }
  return out.join("\n");
}
