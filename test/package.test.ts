// The built package as users get it: `import "wasm-loss"` and `require("wasm-loss")` resolved by
// real Node through package.json's exports map (package self-reference, from the repo root), the
// `browser` condition as bundlers see it, and the .d.ts types as TypeScript consumers see them.
// Each check runs in a child process so that nothing from vitest's module graph leaks in.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { typeCheck } from "./helpers/typecheck";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../", import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));

function node(args: string[], code: string): string {
  return execFileSync(process.execPath, [...args, "-e", code], { cwd: root, encoding: "utf8" });
}

// Lists the exports, checks the build and a loss: the same probe for every entry point.
const PROBE = `
  const names = Object.keys(m).sort();
  const before = m.isReady();
  let error = ""; try { m.mseLoss([1], [2]); } catch (e) { error = e.message; }
  await (SYNC ? m.initSync() : m.init());
  const scalar = await (async () => { SYNC ? m.initSync({ simd: false }) : await m.init({ simd: false }); return m.backend(); })();
  await (SYNC ? m.initSync({ simd: true }) : m.init({ simd: true }));
  console.log(JSON.stringify({ resolved: RESOLVED, names, before, error, backend: m.backend(), scalar,
    mse: m.mseLoss(new Float32Array([1, 2]), new Float32Array([1, 4])) }));
`;
const probe = (sync: boolean, resolved: string) =>
  PROBE.replace(/SYNC/g, String(sync)).replace("RESOLVED", resolved);
const esm = (sync = false, args: string[] = []) =>
  JSON.parse(
    node(
      ["--input-type=module", ...args],
      `import * as m from "wasm-loss"; ${probe(sync, 'import.meta.resolve("wasm-loss")')}`,
    ),
  );
const cjs = (sync: boolean) =>
  JSON.parse(
    node(
      [],
      `const m = require("wasm-loss"); (async () => { ${probe(sync, 'require.resolve("wasm-loss")')} })();`,
    ),
  );

const srcNames = [
  ...readFileSync(`${root}build/index.mjs`, "utf8").matchAll(/^export \{([^}]*)\}/gm),
]
  .flatMap((m) => m[1].split(","))
  .map((s) =>
    s
      .trim()
      .split(/\s+as\s+/)
      .pop()!,
  )
  .filter(Boolean)
  .sort();

describe("package entry points (built files, resolved through the exports map)", () => {
  let fromImport: ReturnType<typeof esm>;
  beforeAll(() => {
    fromImport = esm();
  });

  it("import 'wasm-loss' in Node resolves to build/index.mjs and works after init()", () => {
    expect(fromImport.resolved).toMatch(/\/build\/index\.mjs$/);
    expect(fromImport.before).toBe(false);
    expect(fromImport.error).toMatch(/mseLoss: .*call `await init\(\)`/);
    expect(fromImport.backend).toBe("simd");
    expect(fromImport.scalar).toBe("scalar");
    expect(fromImport.mse).toBe(2);
    expect(fromImport.names).toEqual(srcNames);
  });

  it("initSync() works from the ESM entry too", () => {
    expect(esm(true)).toMatchObject({ backend: "simd", scalar: "scalar", mse: 2 });
  });

  it("require('wasm-loss') resolves to build/index.cjs, with the same exports, sync and async", () => {
    for (const sync of [true, false]) {
      const r = cjs(sync);
      expect(r.resolved).toMatch(/\/build\/index\.cjs$/);
      expect(r).toMatchObject({ before: false, backend: "simd", scalar: "scalar", mse: 2 });
      expect(r.names).toEqual(fromImport.names);
    }
  });

  it("an ES module import and a CommonJS require in one process are two copies; the error says which is not initialised", () => {
    const out = node(
      ["--input-type=module"],
      `
      import * as esm from "wasm-loss";
      import { createRequire } from "node:module";
      const cjs = createRequire(import.meta.url)("wasm-loss");
      await esm.init();
      let error = ""; try { cjs.mseLoss([1], [2]); } catch (e) { error = e.message; }
      cjs.initSync();
      console.log(JSON.stringify({ error, esm: esm.mseLoss([1], [3]), cjs: cjs.mseLoss([1], [3]) }));`,
    );
    const r = JSON.parse(out);
    expect(r.error).toMatch(
      /^mseLoss: wasm-loss is not initialised; .*\(init\(\) ran on the ES module copy of wasm-loss, but this is its CommonJS copy, which has a module of its own\)/,
    );
    expect([r.esm, r.cjs]).toEqual([4, 4]);
  });

  it("the 'browser' condition resolves to the one-file bundle, which has the same exports", () => {
    const r = esm(false, ["--conditions=browser"]);
    expect(r.resolved).toMatch(/\/build\/browser\.mjs$/);
    expect(r).toMatchObject({ backend: "simd", scalar: "scalar", mse: 2 });
    expect(r.names).toEqual(fromImport.names);
  });

  it("a bundler targeting browsers (esbuild) picks build/browser.mjs and needs no .wasm loader", async () => {
    const out = await build({
      stdin: {
        contents: `export { init, mseLoss } from "wasm-loss";`,
        resolveDir: root,
        loader: "js",
      },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    expect(Object.keys(out.metafile!.inputs)).toEqual(["build/browser.mjs", "<stdin>"]);
  });

  it("every exports-map target exists and is shipped by package.json 'files'", () => {
    const targets: string[] = [];
    const walk = (v: unknown) =>
      typeof v === "string" ? targets.push(v) : Object.values(v as object).forEach(walk);
    walk(pkg.exports["."]);
    expect(targets.length).toBeGreaterThanOrEqual(4);
    for (const t of [...targets, pkg.main, pkg.module, pkg.types]) {
      expect(existsSync(`${root}${t}`), `${t} exists`).toBe(true);
      // "files" names files, and folders with a trailing slash (test/install.test.ts checks the tarball).
      const shipped = (pkg.files as string[]).some((g) =>
        g.endsWith("/") ? t.slice(2).startsWith(g) : t.slice(2) === g,
      );
      expect(shipped, `${t} is in "files"`).toBe(true);
    }
    const conditions = new Set<string>();
    const keys = (v: unknown): void => {
      if (typeof v !== "object" || v === null) return;
      for (const [k, x] of Object.entries(v)) {
        conditions.add(k);
        keys(x);
      }
    };
    keys(pkg.exports["."]);
    expect([...conditions]).toEqual(
      expect.arrayContaining(["types", "browser", "import", "require"]),
    );
  });
});

describe("TypeScript types of the package", () => {
  const dir = `${root}build/consumer`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Typed with @ts-expect-error lines, so the check fails if the types were missing or `any`.
  const body = `
    const b: Backend = backend();
    const v: number = mseLoss(new Float32Array([1]), new Float32Array([2]));
    const n: Float32Array = mseLoss(new Float32Array([1]), new Float32Array([2]), { reduction: "none" });
    const { loss, grad }: { loss: number; grad: Float32Array } = l1LossWithGrad([1, 2], [0, 0]);
    // @ts-expect-error an unknown reduction is a type error
    mseLoss(new Float32Array([1]), new Float32Array([2]), { reduction: "avg" });
    // @ts-expect-error the loss of a reduced call is a number, not an array
    const wrong: Float32Array = mseLoss(new Float32Array([1]), new Float32Array([2]));
    export const used = [b, v, n, loss, grad, wrong];
  `;
  const imports = `import { init, initSync, backend, mseLoss, l1LossWithGrad, type Backend } from "wasm-loss";`;
  const tsc = (moduleKind: "node16" | "bundler", files: Record<string, string>) =>
    typeCheck(dir, moduleKind, files);

  let node16: Record<string, string> = {};
  beforeAll(() => {
    node16 = tsc("node16", {
      "esm.mts": `${imports} await init(); ${body}`,
      "app.cts": `${imports} initSync(); ${body}`,
    });
  });

  it("the declared types entry exists and declares every runtime export", () => {
    const dts = readFileSync(`${root}${pkg.types}`, "utf8");
    expect(dts).toMatch(/from "\.\/init\.js"/);
    expect(srcNames.length).toBeGreaterThan(10);
  });

  it("ESM consumers type-check under moduleResolution node16 and bundler", () => {
    expect(node16["esm.mts"]).toBe("");
    expect(tsc("bundler", { "app.ts": `${imports} await init(); ${body}` })).toEqual({
      "app.ts": "",
    });
  });

  it("CommonJS consumers (.cts, node16) type-check against the CommonJS-flavoured types", () => {
    expect(pkg.exports["."].require.types).toBe("./build/types/cjs/index.d.ts");
    expect(node16["app.cts"]).toBe("");
  });
});
