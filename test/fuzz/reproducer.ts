// A failing case as a runnable JavaScript snippet (the JSON of the case sits beside it).

import type { Build } from "./call";
import { isInts, type Case, type Value } from "./case";

const num = (v: number): string =>
  Object.is(v, -0)
    ? "-0"
    : Number.isNaN(v)
      ? "NaN"
      : v === Infinity
        ? "Infinity"
        : v === -Infinity
          ? "-Infinity"
          : String(v);

function literal(v: Value | unknown): string {
  if (v instanceof Float32Array) return `new Float32Array([${Array.from(v, num).join(", ")}])`;
  if (isInts(v)) {
    if (v.as === "number[]") return `[${v.ints.join(", ")}]`;
    if (v.as === "BigInt64Array")
      return `new BigInt64Array([${v.ints.map((x) => `${x}n`).join(", ")}])`;
    return `new ${v.as}([${v.ints.join(", ")}])`;
  }
  if (typeof v === "number") return num(v);
  return JSON.stringify(v);
}

export function snippet(c: Case, build: Build): string {
  const fn = c.grad ? `${c.fn}WithGrad` : c.fn;
  const opts = Object.entries(c.options)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${literal(v)}`);
  for (const [k, kind] of Object.entries(c.outputs))
    opts.push(
      `${k}: /* a ${kind === "alloc" ? "alloc() view" : "Float32Array"} of the result's length */ undefined`,
    );
  const notes = Object.entries(c.pass).map(
    ([path, how]) =>
      `// ${path} passed as ${{ f64: "a Float64Array", list: "a number[]", alloc: "an alloc() view", sub: "a sub-view of an alloc() block" }[how]}`,
  );
  if (c.grow) notes.push("// run on a fresh module: the call grows memory");
  return [
    `import { init, ${fn} } from "wasm-loss";`,
    `await init(${build === "scalar" ? "{ simd: false }" : ""});`,
    ...notes,
    `console.log(${fn}(${[...c.args.map(literal), `{ ${opts.join(", ")} }`].join(", ")}));`,
  ].join("\n");
}
