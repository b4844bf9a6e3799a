// The package as a user installs it from the repository: the working tree (what git would clone,
// without build/) packed by `npm pack`, which runs the `prepare` script and so the build, then
// the tarball installed into a fresh `npm init -y` project and used from an ES module and from
// CommonJS in child processes. Offline: the devDependencies are the repo's own node_modules, and
// the package has no runtime dependencies.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectClose } from "./helpers/close";
import { loadFixtures } from "./helpers/fixtures";

const root = fileURLToPath(new URL("../", import.meta.url));
// npm run sets npm_config_* (local_prefix among them) for its children: without them, each npm
// below finds its project from its own working directory.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_")),
);
const npm = (cwd: string, args: string[]) =>
  execFileSync("npm", [...args, "--offline", "--no-audit", "--no-fund"], {
    cwd,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

// A PyTorch case (scripts/fixtures/regression.py), computed by the installed package.
const mse = loadFixtures("regression").cases.find((c) => c.name === "mseLoss {} mean n=17")!;
const args = JSON.stringify((mse.args as Float32Array[]).map((a) => Array.from(a)));
const USE = (entry: string) => `
  const [input, target] = ${args};
  ${entry}
  console.log(JSON.stringify({ backend: backend(), loss: mseLoss(new Float32Array(input), new Float32Array(target)) }));
`;

describe("installed from a packed fresh checkout", () => {
  let dir = "";
  let app = "";
  let packed: string[] = [];
  let tracked: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "wasm-loss-install-"));
    const checkout = join(dir, "wasm-loss");
    tracked = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
      cwd: root,
      encoding: "utf8",
    })
      .split("\0")
      .filter(Boolean);
    for (const f of tracked) cpSync(join(root, f), join(checkout, f), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(checkout, "node_modules"), "dir");

    // `prepare` prints the build's output on stdout before npm's JSON report.
    const out = npm(checkout, ["pack", "--json", "--pack-destination", dir]);
    const [report] = JSON.parse(out.slice(out.search(/^\[$/m))) as {
      filename: string;
      files: { path: string }[];
    }[];
    packed = report.files.map((f) => f.path).sort();

    app = join(dir, "app");
    mkdirSync(app);
    execFileSync("npm", ["init", "-y"], { cwd: app, env, stdio: "ignore" });
    npm(app, ["install", join(dir, report.filename)]);
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the tarball holds the entry points, the types, the docs, README.md and LICENSE, and nothing else", () => {
    const types = tracked
      .filter((f) => /^src\/.+\.ts$/.test(f) && !f.endsWith(".d.ts"))
      .map((f) => f.slice("src/".length, -".ts".length) + ".d.ts");
    const expected = [
      "LICENSE",
      "README.md",
      "package.json",
      "build/browser.mjs",
      "build/index.cjs",
      "build/index.mjs",
      "build/tfjs.cjs",
      "build/tfjs.mjs",
      "build/wasm-loss.scalar.mjs",
      "build/wasm-loss.threads.mjs",
      ...types.map((f) => `build/types/${f}`),
      ...types.map((f) => `build/types/cjs/${f}`),
      "build/types/cjs/package.json",
      ...tracked.filter((f) => f.startsWith("docs/")),
      ...tracked.filter((f) => f.startsWith("examples/") && !f.startsWith("examples/screenshots/")),
    ].sort();
    expect(packed).toEqual(expected);
  });

  it("every relative link and image of README.md and docs/ points at a file in the tarball", () => {
    const pages = packed.filter(
      (f) => f === "README.md" || (f.startsWith("docs/") && f.endsWith(".md")),
    );
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(dir, "wasm-loss", page), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:|^#/.test(target)) continue; // absolute, or within the page
        const file = posix.normalize(posix.join(posix.dirname(page), target.split("#")[0]));
        const ok =
          packed.includes(file) ||
          packed.some((f) => f.startsWith(file.endsWith("/") ? file : `${file}/`));
        if (!ok) broken.push(`${page}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("an ES module (.mjs) imports it and computes a loss after await init()", () => {
    writeFileSync(
      join(app, "esm.mjs"),
      `import { init, backend, mseLoss } from "wasm-loss";\n${USE("await init();")}`,
    );
    const r = JSON.parse(
      execFileSync(process.execPath, ["esm.mjs"], { cwd: app, encoding: "utf8" }),
    );
    expect(r.backend).toBe("simd");
    expectClose(r.loss, mse.loss as number, "mseLoss from ESM", mse.tol);
  });

  it("CommonJS (index.js of an `npm init -y` project) requires it and computes a loss after initSync()", () => {
    writeFileSync(
      join(app, "index.js"),
      `const { initSync, backend, mseLoss } = require("wasm-loss");\n${USE("initSync();")}`,
    );
    const r = JSON.parse(
      execFileSync(process.execPath, ["index.js"], { cwd: app, encoding: "utf8" }),
    );
    expect(r.backend).toBe("simd");
    expectClose(r.loss, mse.loss as number, "mseLoss from CommonJS", mse.tol);
  });

  it("the copied tree had no build/ (git ignores it): prepare built what was packed", () => {
    expect(tracked.filter((f) => f.startsWith("build/"))).toEqual([]);
    expect(readdirSync(join(dir, "wasm-loss", "build"))).toContain("browser.mjs");
  });
});
