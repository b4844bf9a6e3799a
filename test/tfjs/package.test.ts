// The built subpath as users get it: `wasm-loss/tfjs` resolved by real Node through the exports
// map (ESM and CommonJS, in child processes), sharing the one wasm-loss module that `init()` from
// "wasm-loss" initialises; its types as TypeScript consumers see them; and the main entry, which
// does not change.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { typeCheck } from "../helpers/typecheck";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
const node = (args: string[], code: string) =>
  execFileSync(process.execPath, [...args, "-e", code], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });

const LOSSES = [
  "l1Loss",
  "mseLoss",
  "huberLoss",
  "smoothL1Loss",
  "bceWithLogitsLoss",
  "bceLoss",
  "crossEntropyLoss",
  "nllLoss",
  "klDivLoss",
  "poissonNllLoss",
  "gaussianNllLoss",
  "softMarginLoss",
  "multiLabelSoftMarginLoss",
  "hingeEmbeddingLoss",
  "marginRankingLoss",
  "multiMarginLoss",
  "multiLabelMarginLoss",
  "cosineEmbeddingLoss",
  "tripletMarginLoss",
  "ctcLoss",
];

// Before init(): the twin reports the core's not-initialised error; after init() from "wasm-loss"
// (not from the subpath) the twin computes the core's value: one module instance.
const PROBE = `
  await tf.setBackend("cpu");
  const x = tf.tensor2d([[2, 0, 0], [0, 3, 0]]), y = tf.tensor1d([0, 1], "int32");
  let before = ""; try { a.crossEntropyLoss(x, y); } catch (e) { before = e.message; }
  await (SYNC ? m.initSync() : m.init());
  console.log(JSON.stringify({ resolved: RESOLVED, names: Object.keys(a).sort(), before,
    value: a.crossEntropyLoss(x, y).dataSync()[0], core: m.crossEntropyLoss(x.dataSync(), y.dataSync(), { classes: 3 }) }));
`;
const esm = (args: string[] = []) =>
  JSON.parse(
    node(
      ["--input-type=module", ...args],
      `
  import * as tf from "@tensorflow/tfjs-core"; import "@tensorflow/tfjs-backend-cpu";
  import * as m from "wasm-loss"; import * as a from "wasm-loss/tfjs";
  ${PROBE.replace("SYNC", "false").replace("RESOLVED", '[import.meta.resolve("wasm-loss"), import.meta.resolve("wasm-loss/tfjs")]')}`,
    ),
  );
const cjs = () =>
  JSON.parse(
    node(
      [],
      `
  const tf = require("@tensorflow/tfjs-core"); require("@tensorflow/tfjs-backend-cpu");
  const m = require("wasm-loss"), a = require("wasm-loss/tfjs");
  (async () => { ${PROBE.replace("SYNC", "true").replace("RESOLVED", '[require.resolve("wasm-loss"), require.resolve("wasm-loss/tfjs")]')} })();`,
    ),
  );

describe("wasm-loss/tfjs, built (resolved through the exports map)", () => {
  it("import 'wasm-loss/tfjs' resolves to build/tfjs.mjs, and init() from 'wasm-loss' initialises it", () => {
    const r = esm();
    expect(r.resolved[0]).toMatch(/\/build\/index\.mjs$/);
    expect(r.resolved[1]).toMatch(/\/build\/tfjs\.mjs$/);
    expect(r.before).toMatch(
      /^crossEntropyLoss: wasm-loss is not initialised; call `await init\(\)`/,
    );
    expect(r.value).toBe(r.core);
    expect(r.names).toEqual(
      [...LOSSES, "forLayers", "logSigmoid", "logSoftmax", "sigmoid", "softmax"].sort(),
    );
  });

  it("require('wasm-loss/tfjs') resolves to build/tfjs.cjs and shares require('wasm-loss')'s module (initSync)", () => {
    const r = cjs();
    expect(r.resolved[1]).toMatch(/\/build\/tfjs\.cjs$/);
    expect(r.before).toMatch(/^crossEntropyLoss: wasm-loss is not initialised/);
    expect(r.value).toBe(r.core);
  });

  it("under the 'browser' condition it shares the one-file browser bundle", () => {
    const r = esm(["--conditions=browser"]);
    expect(r.resolved[0]).toMatch(/\/build\/browser\.mjs$/);
    expect(r.value).toBe(r.core);
  });

  it("a browser bundle of an app using both entries holds the core once and the adapter beside it", async () => {
    const out = await build({
      stdin: {
        contents: `export { init } from "wasm-loss"; export { crossEntropyLoss } from "wasm-loss/tfjs";`,
        resolveDir: root,
        loader: "js",
      },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
      external: ["@tensorflow/tfjs-core"],
    });
    expect(Object.keys(out.metafile!.inputs).sort()).toEqual([
      "<stdin>",
      "build/browser.mjs",
      "build/tfjs.mjs",
    ]);
  });

  it("build/tfjs.mjs and .cjs import the core as 'wasm-loss' and tfjs-core as a peer, and inline neither", () => {
    for (const f of ["tfjs.mjs", "tfjs.cjs"]) {
      const text = readFileSync(`${root}build/${f}`, "utf8");
      const imported = new Set(
        [...text.matchAll(/(?:from |require\()"([^"]+)"/g)].map((m) => m[1]),
      );
      expect([...imported].sort(), f).toEqual(["@tensorflow/tfjs-core", "wasm-loss"]);
      expect(text, f).not.toMatch(/\$wasm|atob\(/);
    }
  });

  it("the main entry does not change: no trace of tfjs in build/index.mjs, index.cjs or browser.mjs", () => {
    for (const f of ["index.mjs", "index.cjs", "browser.mjs"])
      expect(readFileSync(`${root}build/${f}`, "utf8"), f).not.toMatch(/tensorflow|customGrad/);
  });

  it("package.json: the subpath has ESM, CJS and types; tfjs-core is an optional peer dependency only", () => {
    const sub = pkg.exports["./tfjs"];
    expect(sub.import).toEqual({
      types: "./build/types/tfjs/index.d.ts",
      default: "./build/tfjs.mjs",
    });
    expect(sub.require).toEqual({
      types: "./build/types/cjs/tfjs/index.d.ts",
      default: "./build/tfjs.cjs",
    });
    for (const t of [
      sub.import.types,
      sub.import.default,
      sub.require.types,
      sub.require.default,
    ]) {
      expect(existsSync(`${root}${t}`), t).toBe(true);
      // "files" names files, and folders with a trailing slash (test/install.test.ts checks the tarball).
      const shipped = (pkg.files as string[]).some((g) =>
        g.endsWith("/") ? t.slice(2).startsWith(g) : t.slice(2) === g,
      );
      expect(shipped, `${t} is in "files"`).toBe(true);
    }
    expect(pkg.peerDependencies["@tensorflow/tfjs-core"]).toBeDefined();
    expect(pkg.peerDependenciesMeta["@tensorflow/tfjs-core"]).toEqual({ optional: true });
    expect(pkg.dependencies?.["@tensorflow/tfjs-core"]).toBeUndefined();
  });
});

describe("TypeScript types of wasm-loss/tfjs", () => {
  const dir = `${root}build/consumer-tfjs`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const body = `
    const x = tf.zeros([4, 10]), y = tf.zeros([4], "int32");
    const s: tf.Scalar = crossEntropyLoss(x, y, { labelSmoothing: 0.1, weight: tf.ones([10]) });
    const n: tf.Tensor = crossEntropyLoss(x, y, { reduction: "none" });
    const c: tf.Scalar = ctcLoss(tf.zeros([2, 5, 4]), [1, 2], [5, 5], [1, 1], { zeroInfinity: true });
    const g: tf.Scalar = gaussianNllLoss(x, x, tf.ones([4, 1]));
    const fit: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor = forLayers(crossEntropyLoss, { ignoreIndex: 0 });
    // @ts-expect-error the layout comes from the shapes: 'classes' is not an option
    crossEntropyLoss(x, y, { classes: 10 });
    // @ts-expect-error a reduced loss is a tf.Scalar, "none" a tf.Tensor
    const wrong: tf.Scalar = mseLoss(x, x, { reduction: "none" });
    // @ts-expect-error inputs are tensors
    mseLoss(new Float32Array(4), x);
    export const used = [s, n, c, g, fit, wrong];
  `;
  const imports = `import * as tf from "@tensorflow/tfjs-core"; import { crossEntropyLoss, ctcLoss, forLayers, gaussianNllLoss, mseLoss } from "wasm-loss/tfjs";`;
  const tsc = (moduleKind: "node16" | "bundler", files: Record<string, string>) =>
    typeCheck(dir, moduleKind, files);

  it("ESM and CommonJS consumers type-check under node16, and under bundler resolution", () => {
    expect(
      tsc("node16", { "esm.mts": `${imports} ${body}`, "app.cts": `${imports} ${body}` }),
    ).toEqual({ "esm.mts": "", "app.cts": "" });
    expect(tsc("bundler", { "app.ts": `${imports} ${body}` })).toEqual({ "app.ts": "" });
  }, 30_000);
});
