// The wasm-loss/tfjs examples run: the classifier page in headless Chromium (on tfjs's WebGL
// backend, so the adapter's read-back path runs too; screenshot tfjs-classifier.png), the same
// classifier in Node, and a short run of the CTC example.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../../examples/serve.mjs";
import { launchChromium } from "../browser/chromium";

const root = fileURLToPath(new URL("../../", import.meta.url));
const shots = process.env.UPDATE_SCREENSHOTS
  ? `${root}examples/screenshots`
  : `${root}build/screenshots`;
const run = (script: string, args: string[]) =>
  execFileSync(process.execPath, [`${root}examples/tfjs/${script}`, ...args], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });

describe("examples/tfjs/ in headless Chromium", () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    browser = await launchChromium();
    server = await serve(0);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("the classifier page trains both models with crossEntropyLoss on WebGL; class weights lift the rare digits' recall", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    // A short run here; the committed screenshot (npm run screenshots) shows the page's full run.
    await page.goto(
      `${server.url}/examples/tfjs/${process.env.UPDATE_SCREENSHOTS ? "" : "?epochs=3"}`,
    );
    await page.waitForSelector("body[data-done=true]", { timeout: 240_000 });
    expect(await page.getAttribute("body", "data-backend")).toBe("webgl");
    const status = (await page.textContent("#status"))!;
    const m = status.match(
      /^test accuracy ([\d.]+)% with class weights \(([\d.]+)% without\); recall of 3, 5, 8: (\d+)% \((\d+)% without\)$/,
    );
    expect(m, status).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(75);
    expect(Number(m![3])).toBeGreaterThan(Number(m![4]));
    expect(await page.$$eval("#results tbody tr", (rows) => rows.length)).toBe(2);
    await page.screenshot({ path: `${shots}/tfjs-classifier.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});

describe("examples/tfjs/ in Node", () => {
  it("train-classifier.mjs: per-epoch lines, then accuracy and rare-digit recall of both models, no tensor left", () => {
    const out = run("train-classifier.mjs", ["--epochs", "5"]);
    expect(out).toMatch(/^unweighted epoch {2}5\/5 {2}train loss [\d.]+$/m);
    const result = (label: string) =>
      out.match(
        new RegExp(
          `^${label} +test accuracy ([\\d.]+)%, recall of 3/5/8 \\d+%/\\d+%/\\d+% \\(mean ([\\d.]+)%\\)$`,
          "m",
        ),
      );
    const plain = result("unweighted"),
      weighted = result("weighted");
    expect(plain, out).not.toBeNull();
    expect(weighted, out).not.toBeNull();
    expect(Number(weighted![1])).toBeGreaterThan(80);
    expect(Number(weighted![2])).toBeGreaterThan(Number(plain![2]));
    expect(out).toMatch(/tensors still allocated: 0$/m);
  }, 60_000);

  it("train-ctc.mjs (a short run): the CTC loss falls, and the held-out strings are decoded and scored", () => {
    const out = run("train-ctc.mjs", ["--steps", "96"]);
    const losses = [...out.matchAll(/^step +\d+\/96 {2}ctc loss ([\d.]+)/gm)].map((m) =>
      Number(m[1]),
    );
    expect(losses.length, out).toBe(12);
    expect(losses[11]).toBeLessThan(losses[0] / 2);
    const final = out.match(
      /^final: ([\d.]+)% of 500 held-out strings read exactly, character error rate ([\d.]+)%, after 96 steps/m,
    );
    expect(final, out).not.toBeNull();
    expect(Number(final![2])).toBeLessThanOrEqual(100);
    expect([...out.matchAll(/^ {2}\d{1,4} +read as (\d+|\(nothing\))$/gm)].length).toBe(5); // 96 steps: still on the all-blank plateau
  }, 120_000);
});
