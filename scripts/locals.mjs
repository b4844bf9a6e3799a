// Renumbers each function's locals in a binaryen text module (wasm-dis output) in the order of
// their last use, read from the end of the function. Why: the SIMD build's kernels end with the
// same scalar tail loops the scalar build consists of, but their vector code declares extra
// locals first, so the two builds number the same locals differently and the packed bundle
// (both binaries in one LZMA stream, scripts/build.mjs) cannot reuse one for the other. Numbered
// from the end, the shared tails get the same numbers in both builds: 268 bytes less packed.
// Only local indices change (a renaming): no instruction is added, removed or reordered.

const FUNC = /^ \(func /;
const LOCAL_DECL = /^ {2}\(local \$(\d+) (\w+)\)$/;
const LOCAL_USE = /(local\.(?:get|set|tee) \$)(\d+)/g;

/** `wat` with the non-parameter locals of every function renumbered (see above). */
export function renumberLocals(wat) {
  const lines = wat.split("\n");
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
      if (i >= lines.length) throw new Error("renumberLocals: unterminated function");
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
