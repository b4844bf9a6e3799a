// Builds everything into build/: the SIMD and scalar WebAssembly binaries from one
// AssemblyScript source, the JS entry points with both binaries inlined (Node ESM, Node CJS, a
// minified browser ESM bundle), and the .d.ts types. Prints the sizes.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, rmSync, mkdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const bin = (name) => `node_modules/.bin/${name}`;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });

rmSync("build", { recursive: true, force: true });
mkdirSync("build");
for (const target of ["simd", "scalar"]) {
  run(bin("asc"), ["assembly/index.ts", "--config", "asconfig.json", "--target", target]);
}

const common = {
  entryPoints: ["src/index.ts"],
  bundle: true,
  loader: { ".wasm": "binary" },
  target: "es2022",
  legalComments: "none",
  logLevel: "warning",
};
await build({ ...common, format: "esm", platform: "neutral", outfile: "build/index.mjs" });
await build({ ...common, format: "cjs", platform: "node", outfile: "build/index.cjs" });
await build({ ...common, format: "esm", platform: "browser", minify: true, outfile: "build/browser.mjs" });
run(bin("tsc"), ["-p", "tsconfig.json"]);

const sizes = {};
for (const f of ["wasm-loss.simd.wasm", "wasm-loss.scalar.wasm", "browser.mjs", "index.mjs", "index.cjs"]) {
  const bytes = readFileSync(`build/${f}`);
  sizes[f] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
writeFileSync("build/sizes.json", JSON.stringify(sizes, null, 2) + "\n");
for (const [f, s] of Object.entries(sizes)) {
  console.log(`${f.padEnd(24)} ${(s.bytes / 1024).toFixed(1).padStart(7)} KiB  (${(s.gzip / 1024).toFixed(1)} KiB gzipped)`);
}
