// Builds everything into build/: the WebAssembly binaries from one AssemblyScript source (one per
// asconfig.json target), the JS entry points with the binaries inlined by esbuild's `binary`
// loader (Node ESM, Node CJS, a minified browser ESM bundle and the files of the builds it
// loads on demand), and the .d.ts types. Prints the sizes against the budget that
// test/size.test.ts enforces.
//
//   node scripts/build.mjs             build
//   node scripts/build.mjs --package   build only what the package ships (npm's `prepare`)
//   node scripts/build.mjs --analyze   build, then show where the browser bundle's bytes go
//   node scripts/build.mjs --js-only   rebuild only the JavaScript (and types) around the existing binaries
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { promisify } from "node:util";
import { deflateRawSync, gzipSync } from "node:zlib";
import { analyzeMetafile, build } from "esbuild";

/** Size budget in bytes (raw and gzipped); test/size.test.ts enforces the same file. */
const BUDGET = JSON.parse(readFileSync("scripts/size-budget.json", "utf8"));

// One binary per asconfig.json target: SIMD and scalar, each with its own memory and with a
// shared, imported one for threads. src/ imports them as `../build/wasm-loss.<target>.wasm`.
// The SIMD and scalar builds again with assembly/testing.ts's extra exports, into build/test/
// for test/math.test.ts (not shipped, so not built for a package).
const TARGETS = Object.keys(JSON.parse(readFileSync("asconfig.json", "utf8")).targets);
const TEST_TARGETS = process.argv.includes("--package") ? [] : ["simd", "scalar"];
const COMPILES = [
  ...TARGETS.map((target) => ["assembly/index.ts", "--target", target]),
  ...TEST_TARGETS.map((target) => [
    "assembly/testing.ts",
    "--target",
    target,
    "--outFile",
    `build/test/wasm-loss.${target}.wasm`,
  ]),
];

// The JS files: every `import bytes from "….wasm"` becomes a base64 string decoded at load
// (esbuild's `binary` loader: Uint8Array.fromBase64 where the engine has it), so one import
// works in Node, browsers and workers with no file paths and no fetch. The Node entries inline
// all four binaries. The browser bundle inlines the SIMD one, which every current engine runs,
// DEFLATE-compressed (node:zlib here, fflate's inflateSync at load, synchronous so that initSync
// works in workers: 2.6 KiB gzipped less than plain base64, which keeps the bundle within its
// budget); src/platform.ts is replaced there by src/platform.browser.ts, which imports the
// others from the files beside the bundle (SIBLINGS) the first time a page needs one.
const deflatedWasm = {
  name: "deflated-wasm",
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path),
      namespace: "deflated-wasm",
    }));
    b.onLoad({ filter: /.*/, namespace: "deflated-wasm" }, (args) => ({
      contents:
        `import { inflateSync } from "fflate";\n` +
        `const packed = ${JSON.stringify(deflateRawSync(readFileSync(args.path), { level: 9 }).toString("base64"))};\n` +
        `export default inflateSync(Uint8Array.from(atob(packed), (c) => c.charCodeAt(0)));\n`,
      resolveDir: resolve("."),
      loader: "js",
    }));
  },
};
const browserPlatform = {
  name: "browser-platform",
  setup(b) {
    b.onResolve({ filter: /^\.\/platform$/ }, (args) => ({
      path: resolve(args.resolveDir, "platform.browser.ts"),
    }));
  },
};
const coreAsPackage = {
  name: "core-as-package",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/index$/ }, (args) =>
      resolve(args.resolveDir, args.path) === resolve("src/index")
        ? { path: "wasm-loss", external: true }
        : undefined,
    );
  },
};
/** Which copy of the package a module is, for the not-initialised error (src/loader.ts). */
const entry = (name) => ({ WASM_LOSS_ENTRY: JSON.stringify(name) });
const SIBLINGS = {
  "wasm-loss.scalar.mjs": { scalar: "scalar" },
  "wasm-loss.threads.mjs": { simd: "simd-threads", scalar: "scalar-threads" },
};
const ENTRIES = [
  { outfile: "build/index.mjs", format: "esm", platform: "neutral", define: entry("ES module") },
  { outfile: "build/index.cjs", format: "cjs", platform: "node", define: entry("CommonJS") },
  {
    outfile: "build/browser.mjs",
    format: "esm",
    platform: "browser",
    minify: true,
    plugins: [browserPlatform, deflatedWasm],
    define: entry("browser"),
  },
  ...Object.entries(SIBLINGS).map(([file, exports]) => ({
    outfile: `build/${file}`,
    stdin: {
      contents: Object.entries(exports)
        .map(
          ([name, target]) =>
            `export { default as ${name} } from "./build/wasm-loss.${target}.wasm";`,
        )
        .join("\n"),
      resolveDir: ".",
    },
    format: "esm",
    platform: "browser",
    minify: true,
  })),
  // wasm-loss/tfjs, the TensorFlow.js adapter (src/tfjs/). Its import of the core ("../index")
  // stays an import of the package itself, "wasm-loss", so that the adapter and the user's
  // `import { init } from "wasm-loss"` share one module instance; tfjs is an optional peer
  // dependency, never bundled.
  ...[
    ["build/tfjs.mjs", "esm", "neutral"],
    ["build/tfjs.cjs", "cjs", "node"],
  ].map(([outfile, format, platform]) => ({
    outfile,
    format,
    platform,
    entryPoints: ["src/tfjs/index.ts"],
    external: ["@tensorflow/tfjs-core"],
    plugins: [coreAsPackage],
  })),
];

const asc = promisify(execFile);
if (!process.argv.includes("--js-only")) {
  rmSync("build", { recursive: true, force: true });
  mkdirSync("build/test", { recursive: true });
  const bin = "node_modules/assemblyscript/bin/asc.js";
  await Promise.all(
    COMPILES.map(async (args) => {
      const { stdout, stderr } = await asc(process.execPath, [
        bin,
        ...args,
        "--config",
        "asconfig.json",
      ]);
      process.stdout.write(stdout);
      process.stderr.write(stderr);
    }),
  );
}

const metafiles = {};
for (const { outfile, ...options } of ENTRIES) {
  const result = await build({
    entryPoints: options.stdin ? undefined : ["src/index.ts"],
    bundle: true,
    external: ["node:*"],
    outfile,
    loader: { ".wasm": "binary" },
    target: "es2022",
    legalComments: "none",
    logLevel: "warning",
    metafile: true,
    ...options,
  });
  metafiles[outfile] = result.metafile;
}

buildTypes();

const sizes = {};
for (const f of readdirSync("build").filter((f) => /\.(mjs|cjs|wasm)$/.test(f))) {
  const bytes = readFileSync(`build/${f}`);
  sizes[f] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
writeFileSync("build/sizes.json", JSON.stringify(sizes, null, 2) + "\n");
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const pct = (n, of) => `${((100 * n) / of).toFixed(0)}%`;
for (const [f, s] of Object.entries(sizes)) {
  const b = BUDGET[f];
  const budget = b
    ? `   budget ${kib(b.bytes)} / ${kib(b.gzip)} gz: ${pct(s.bytes, b.bytes)} / ${pct(s.gzip, b.gzip)} gz`
    : "";
  console.log(`${f.padEnd(22)} ${kib(s.bytes).padStart(9)}  (${kib(s.gzip)} gzipped)${budget}`);
}
if (process.argv.includes("--analyze"))
  console.log(await analyzeMetafile(metafiles["build/browser.mjs"]));

/** The .d.ts files for ESM consumers (build/types/) and the same again for CommonJS ones. */
function buildTypes() {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], {
    stdio: "inherit",
  });
  // The package is "type": "module", so TypeScript reads build/types/*.d.ts as ES modules; under
  // moduleResolution node16/nodenext their relative imports need an explicit extension.
  const declarations = readdirSync("build/types", { recursive: true, encoding: "utf8" });
  for (const f of declarations.filter((n) => n.endsWith(".d.ts"))) {
    const path = `build/types/${f}`;
    const text = readFileSync(path, "utf8").replace(
      /((?:from\s+|import\()["'])(\.\.?\/[^"']+?)(["'])/g,
      (m, a, p, b) => (/\.(m|c)?js$/.test(p) ? m : `${a}${p}.js${b}`),
    );
    writeFileSync(path, text);
    // The same declarations again, marked CommonJS by a nested package.json, for `require` users
    // (TypeScript under node16 refuses ESM-flavoured types behind a `require`: TS1479).
    mkdirSync(dirname(`build/types/cjs/${f}`), { recursive: true });
    writeFileSync(`build/types/cjs/${f}`, text);
  }
  writeFileSync("build/types/cjs/package.json", '{ "type": "commonjs" }\n');
}
