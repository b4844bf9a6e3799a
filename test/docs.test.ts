// The API reference in docs/api is generated from the TSDoc in src/ by TypeDoc (typedoc.json,
// `npm run docs`): it must build without a warning (typedoc.json treats warnings as errors) and
// the committed copy must be what the sources generate now.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../", import.meta.url));
const committed = join(root, "docs/api");
const out = mkdtempSync(join(tmpdir(), "wasm-loss-docs-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const files = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();

describe("API reference (docs/api)", () => {
  it("TypeDoc builds it from src/ without warnings, identical to the committed copy (else run `npm run docs`)", () => {
    const typedoc = join(root, "node_modules/typedoc/bin/typedoc");
    try {
      execFileSync(process.execPath, [typedoc, "--out", out, "--logLevel", "Warn"], {
        cwd: root,
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (e) {
      const { stdout, stderr } = e as { stdout: string; stderr: string };
      expect.fail(`TypeDoc failed:\n${stdout}${stderr}`);
    }
    expect(files(out)).toEqual(files(committed));
    for (const f of files(out)) {
      expect(
        readFileSync(join(out, f), "utf8"),
        `docs/api/${f} is out of date: run \`npm run docs\``,
      ).toBe(readFileSync(join(committed, f), "utf8"));
    }
  });
});
