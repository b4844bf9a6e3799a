// Builds everything into build/: the SIMD and scalar WebAssembly binaries from one
// AssemblyScript source, the JS entry points with both binaries inlined (Node ESM, Node CJS, a
// minified browser ESM bundle), and the .d.ts types. Prints the sizes against the budget that
// test/size.test.ts enforces.
//
//   node scripts/build.mjs             build
//   node scripts/build.mjs --analyze   build, then show where the browser bundle's bytes go
//   node scripts/build.mjs --js-only   rebuild only the JavaScript (and types) around the existing binaries
import { execFile, execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, rmSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build, analyzeMetafile } from "esbuild";
import { alignBuilds, alignFunctionOrder, mergeDataSegments } from "./align-builds.mjs";

const bin = (name) => `node_modules/.bin/${name}`;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });
const KiB = 1024;

/** Size budget in bytes (raw and gzipped); test/size.test.ts enforces the same file. */
const BUDGET = JSON.parse(readFileSync("scripts/size-budget.json", "utf8"));

const jsOnly = process.argv.includes("--js-only");
if (!jsOnly) {
  rmSync("build", { recursive: true, force: true });
  mkdirSync("build");
}
// The shipped binaries (assembly/index.ts), and for test/math.test.ts the same module plus the
// raw vector exp/log exports of assembly/testing.ts (build/test/, not shipped): four compiles, run
// concurrently.
const asc = (args) =>
  new Promise((ok, fail) =>
    execFile(bin("asc"), args, (e, stdout, stderr) => {
      process.stdout.write(stdout);
      process.stderr.write(stderr);
      if (e) fail(e);
      else ok();
    }),
  );
mkdirSync("build/test", { recursive: true });
if (!jsOnly) await Promise.all([
  // The shared-memory builds for threads (Node inlines them; browsers load them on first use).
  ...["simd-threads", "scalar-threads"].map((target) => asc(["assembly/index.ts", "--config", "asconfig.json", "--target", target])),
  ...["simd", "scalar"].flatMap((target) => [
    // --debug adds only a name section (the code is the same): alignFunctionOrder matches the two
    // builds' functions by name, then drops it.
    asc(["assembly/index.ts", "--config", "asconfig.json", "--target", target, "--debug"]),
    asc(["assembly/testing.ts", "--config", "asconfig.json", "--target", target, "--outFile", `build/test/wasm-loss.${target}.wasm`]),
  ]),
]);

// The shipped binaries' functions, locals and globals renumbered so that the two builds share
// more bytes in the packed bundle, and their data in one segment (scripts/align-builds.mjs: no
// instruction changes).
if (!jsOnly) {
  const paths = ["scalar", "simd"].map((target) => `build/wasm-loss.${target}.wasm`);
  const ordered = alignFunctionOrder(...paths.map((path) => readFileSync(path)));
  paths.forEach((path, i) => {
    const aligned = mergeDataSegments(alignBuilds(ordered[i]));
    if (!WebAssembly.validate(aligned)) throw new Error(`build: ${path} does not validate after alignment`);
    writeFileSync(path, aligned);
  });
}

// Both binaries are inlined, so one import works anywhere (no file paths, no fetch, workers
// too). They are LZMA-compressed TOGETHER into one base64 string — the scalar build first: the
// SIMD build repeats much of its code (the tail loops), which one stream encodes once — and
// decoded once at load by src/unlzma.ts (synchronous, ~1.3 KB minified, ~3 ms). Each
// `import bytes from "….wasm"` becomes its slice of that. Plain base64 would cost 1.33× the
// binaries' size in the bundle, DEFLATE level 9 about 0.36×, LZMA about 0.27× (10.8 of 39.9 KB,
// after scripts/align-builds.mjs); gzip cannot shrink it further. The encoder is xz (Debian's xz-utils; .ci/run installs it when missing);
// src/unlzma.ts assumes exactly the stream parameters below (lc=3, lp=0, pb=0).
const WASM = ["build/wasm-loss.scalar.wasm", "build/wasm-loss.simd.wasm"];
const LZMA = ["--format=raw", "--lzma1=preset=9e,lc=3,lp=0,pb=0,nice=273", "--stdout"];
function lzma(data) {
  try {
    return execFileSync("xz", LZMA, { input: data, maxBuffer: 1 << 26 });
  } catch (e) {
    throw new Error(`build: compressing the binaries needs xz (apt-get install xz-utils; brew install xz): ${e.message}`);
  }
}
const parts = WASM.map((path) => readFileSync(path));
const offsets = parts.map((_, i) => parts.slice(0, i).reduce((n, p) => n + p.length, 0));
const total = parts.reduce((n, p) => n + p.length, 0);
// The packed bytes: a base64 string decoded by atob (browsers, workers, Node >= 16), which is
// smaller than esbuild's binary loader (that adds its own decoder for engines without
// Uint8Array.fromBase64). The string is the first statement of every bundle (esbuild's banner):
// gzip then codes it in deflate blocks of its own instead of blocks shared with the JavaScript
// (600 bytes less gzipped than in the middle). Its first deflate block still holds the start of
// the JavaScript, with one Huffman code for both; so 23 base64 letters that minified JavaScript
// rarely uses are written as punctuation it uses often (B64_FROM -> B64_TO, chosen by a greedy
// search on the gzipped size), which that shared code then serves better (-200 B gzipped), and
// mapped back before atob.
const B64_FROM = "579ABCDEGHJKLMNQVXYZqz/";
const B64_TO = "[(,<-|?&* .)_`~{>};:]$!";
const PACKED = "$wasm"; // a free name: esbuild names nothing else so
const packedText = lzma(Buffer.concat(parts))
  .toString("base64")
  .replace(/./g, (c) => (B64_FROM.includes(c) ? B64_TO[B64_FROM.indexOf(c)] : c));
const banner = { js: `const ${PACKED}="${packedText}";` };
const inlinePackedWasm = {
  name: "inline-packed-wasm",
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, (args) => {
      const path = relative(".", resolve(args.resolveDir, args.path));
      return WASM.includes(path) ? { path, namespace: "wasm" } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: "wasm" }, (args) => {
      const i = WASM.indexOf(args.path);
      if (i < 0) throw new Error(`build: unexpected WebAssembly import ${args.path} (known: ${WASM.join(", ")})`);
      return {
        contents: `import { slice } from "wasm-pack"; export default /* @__PURE__ */ slice(${offsets[i]}, ${parts[i].length});`,
        loader: "js",
      };
    });
    b.onResolve({ filter: /^wasm-pack$/ }, (args) => ({ path: args.path, namespace: "wasm-pack" }));
    b.onLoad({ filter: /^wasm-pack$/, namespace: "wasm-pack" }, () => ({
      contents: `import { unlzma } from ${JSON.stringify(resolve("src/unlzma.ts"))};
        let all;
        export function slice(offset, length) {
          all ??= unlzma(Uint8Array.from(atob(${PACKED}.replace(/[${B64_TO.replace(/[\]\\^-]/g, "\\$&")}]/g, (c) => ${JSON.stringify(B64_FROM)}[${JSON.stringify(B64_TO)}.indexOf(c)])), (c) => c.charCodeAt(0)), ${total});
          return all.slice(offset, offset + length);
        }`,
      resolveDir: resolve("src"),
      loader: "js",
    }));
  },
};

const MANGLED = [
  "ptr", "kernels", "backend", "source", "kind", "resident", "into", "offset", "window", "slots", "place", "f32", "i32",
  "temp", "commit", "result", "dead", "fn", "inSlots", "lossSlot", "gradSlots", "goSlot", "withGrad", "inputs",
  "lossLength", "divisor", "separateFrom", "kernel", "dims", "params", "where", "integers", "positions", "weightSum",
  "active", "slot", "view", "dest", "gradOut", "scale", "width", "rows", "red", "batches", "total", "arg",
  "lengthMeaning", "also", "src", "scalar", "names", "bytes",
];

const common = {
  entryPoints: ["src/index.ts"],
  bundle: true,
  plugins: [inlinePackedWasm],
  external: ["node:*"],
  banner,
  target: "es2022",
  legalComments: "none",
  logLevel: "warning",
};
const nodeOptions = { loader: { ".wasm": "binary" } };
const browserPlatform = {
  name: "browser-platform",
  setup(b) {
    b.onResolve({ filter: /^\.\/platform$/ }, (args) => ({ path: resolve(args.resolveDir, "platform.browser.ts") }));
  },
};
await build({ ...common, ...nodeOptions, format: "esm", platform: "neutral", outfile: "build/index.mjs", define: { WASM_LOSS_ENTRY: '"ES module"' } });
// In CommonJS the banner comes before esbuild's "use strict", which is then no directive: repeat it first.
await build({ ...common, ...nodeOptions, format: "cjs", platform: "node", outfile: "build/index.cjs", banner: { js: `"use strict";${banner.js}` }, define: { WASM_LOSS_ENTRY: '"CommonJS"' } });
// The threaded builds for browsers, loaded by the bundle on first use (src/platform.browser.ts).
writeFileSync("build/wasm-loss.threads.mjs", ["simd", "scalar"].map((t) =>
  `export const ${t} = Uint8Array.from(atob("${readFileSync(`build/wasm-loss.${t}-threads.wasm`).toString("base64")}"), (c) => c.charCodeAt(0));\n`).join(""));
const browser = await build({
  ...common,
  plugins: [browserPlatform, inlinePackedWasm],
  define: { WASM_LOSS_ENTRY: '"browser"' },
  format: "esm",
  platform: "browser",
  // No syntax lowering (the sources use nothing past ES2022): class fields then become plain
  // constructor assignments instead of field declarations plus assignments.
  target: "esnext",
  // TypeScript's field declarations (`readonly x: T;`, parameter properties) are types only, not
  // `x;` class fields that define undefined properties before the constructor assigns them.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
  minify: true,
  // Internal property names (memory.ts's Frame and Slot, fused.ts's LossCall, the validated
  // argument records, ...) are renamed to short ones. Only names that never appear on a public
  // object, an option, a built-in or the loader's objects may be listed. Check a change with
  // `npx vitest run --config vitest.bundle.config.ts`: every API suite against this bundle.
  mangleProps: new RegExp(`^(${MANGLED.join("|")})$`),
  metafile: true,
  outfile: "build/browser.mjs",
});
writeFileSync("build/browser.meta.json", JSON.stringify(browser.metafile));

// ---- wasm-loss/tfjs, the TensorFlow.js adapter (src/tfjs/): ESM and CJS beside the main entry.
// Its import of the core ("../index") stays an import of the package itself, "wasm-loss", so that
// the adapter and the user's `import { init } from "wasm-loss"` share one module instance; tfjs is
// an optional peer dependency, never bundled.
const coreAsPackage = {
  name: "core-as-package",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/index$/ }, (args) =>
      resolve(args.resolveDir, args.path) === resolve("src/index") ? { path: "wasm-loss", external: true } : undefined);
  },
};
const tfjs = { entryPoints: ["src/tfjs/index.ts"], bundle: true, external: ["@tensorflow/tfjs-core"], plugins: [coreAsPackage], target: "es2022", logLevel: "warning" };
await build({ ...tfjs, format: "esm", platform: "neutral", outfile: "build/tfjs.mjs" });
await build({ ...tfjs, format: "cjs", platform: "node", outfile: "build/tfjs.cjs" });
// ---- end of wasm-loss/tfjs

run(bin("tsc"), ["-p", "tsconfig.json"]);
// The package is "type": "module", so TypeScript reads build/types/*.d.ts as ES modules; under
// moduleResolution node16/nodenext their relative imports need an explicit extension.
const declarations = (dir) => readdirSync(`build/types/${dir}`).filter((n) => n.endsWith(".d.ts")).map((n) => dir ? `${dir}/${n}` : n);
for (const f of [...declarations(""), ...declarations("tfjs")]) {
  const path = `build/types/${f}`;
  const text = readFileSync(path, "utf8").replace(/((?:from\s+|import\()["'])(\.\.?\/[^"']+?)(["'])/g, (m, a, p, b) =>
    /\.(m|c)?js$/.test(p) ? m : `${a}${p}.js${b}`,
  );
  writeFileSync(path, text);
  // The same declarations again, marked CommonJS by a nested package.json, for `require` users
  // (TypeScript under node16 refuses ESM-flavoured types behind a `require`: TS1479).
  mkdirSync(dirname(`build/types/cjs/${f}`), { recursive: true });
  writeFileSync(`build/types/cjs/${f}`, text);
}
writeFileSync("build/types/cjs/package.json", '{ "type": "commonjs" }\n');

const sizes = {};
for (const f of ["wasm-loss.simd.wasm", "wasm-loss.scalar.wasm", "browser.mjs", "index.mjs", "index.cjs"]) {
  const bytes = readFileSync(`build/${f}`);
  sizes[f] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
writeFileSync("build/sizes.json", JSON.stringify(sizes, null, 2) + "\n");

const kib = (n) => `${(n / KiB).toFixed(1)} KiB`;
for (const [f, s] of Object.entries(sizes)) {
  const b = BUDGET[f];
  const budget = b
    ? `   budget ${kib(b.bytes)}${b.gzip ? ` / ${kib(b.gzip)} gz` : ""}: ` +
      `${((100 * s.bytes) / b.bytes).toFixed(0)}%${b.gzip ? ` / ${((100 * s.gzip) / b.gzip).toFixed(0)}% gz` : ""}`
    : "";
  console.log(`${f.padEnd(22)} ${kib(s.bytes).padStart(9)}  (${kib(s.gzip)} gzipped)${budget}`);
}

if (process.argv.includes("--analyze")) {
  console.log(await analyzeMetafile(browser.metafile));
  console.log(`  + the packed binaries (the banner, not in the table above): ${banner.js.length} bytes`);
}
