// The examples run: the lesson page in headless Chromium (chart values, the benchmark button) and
// the Node training loop. Screenshots of the pages go to build/screenshots/ on every run, and to
// examples/screenshots/ (committed, linked from the README) with `npm run screenshots`.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../examples/serve.mjs";
import { launchChromium } from "./browser/chromium";

const root = fileURLToPath(new URL("../", import.meta.url));
const shots = process.env.UPDATE_SCREENSHOTS
  ? `${root}examples/screenshots`
  : `${root}build/screenshots`;

describe("example pages in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  let server: { url: string; close: () => Promise<void> };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    browser = await launchChromium();
    server = await serve(0);
    page = await browser.newPage({ viewport: { width: 1320, height: 900 } });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
    await page.goto(`${server.url}/examples/lesson/`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const cells = (section: string) =>
    page
      .$$eval(`#${section} tbody tr`, (rows) =>
        rows.map((r) =>
          [...r.querySelectorAll("td")].map((td) => ({
            text: td.textContent ?? "",
            cls: td.className,
          })),
        ),
      )
      .then((rows) => rows.filter((r) => r.length > 0)); // group headings have no <td>

  for (const section of ["binary", "multiclass"]) {
    it(`${section}: the naive formulas reach Infinity and NaN, the fused loss stays finite and within 0.1% (or float32 ε) of exact`, async () => {
      const rows = await cells(section);
      const label = (r: { text: string }[]) => r[0].text;
      const naive = rows.filter(
        (r) => /then/.test(label(r)) && !/bceLoss|max subtracted/.test(label(r)),
      );
      const ours = rows.filter((r) => /wasm-loss/.test(label(r)));
      expect(ours.length).toBe(2);
      for (const r of ours)
        for (const c of r.slice(1)) expect(c.cls, `${label(r)}: ${c.text}`).toBe("ours");
      const bad = naive.flatMap((r) => r.slice(1)).map((c) => c.text);
      expect(bad).toContain("Infinity");
      expect(bad).toContain("NaN");
      expect(await page.$$eval(`#${section} svg path`, (p) => p.length)).toBeGreaterThanOrEqual(5);
    });
  }

  it("the page shows the chart and tables (screenshot lesson.png)", async () => {
    await page.screenshot({ path: `${shots}/lesson.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it("the benchmark button measures plain JavaScript, scalar and SIMD and shows the table (screenshot lesson-benchmark.png)", async () => {
    await page.click("#run");
    await page.waitForSelector("#bench[data-done=true]", { timeout: 60_000 });
    const rows = await page.$$eval("#results tbody tr", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
    );
    expect(rows.length).toBe(3);
    for (const r of rows) {
      expect(r[6], `${r[0]}: wasm-loss and JavaScript agree`).toBe("✓");
      expect(r[5]).toMatch(/^\d+\.\d×$/);
    }
    expect(await page.evaluate(() => document.getElementById("status")!.textContent)).toMatch(
      /simd build active/,
    );
    await page.locator("#bench").screenshot({ path: `${shots}/lesson-benchmark.png` });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it("examples/train trains the digit classifier in the page (screenshot train.png)", async () => {
    const train = await browser.newPage({ viewport: { width: 1320, height: 800 } });
    const errors: string[] = [];
    train.on("pageerror", (e) => errors.push(e.message));
    await train.goto(`${server.url}/examples/train/`);
    await train.waitForSelector("body[data-done=true]", { timeout: 60_000 });
    const status = await train.textContent("#status");
    expect(Number(status!.match(/test accuracy ([\d.]+)%/)![1]), status!).toBeGreaterThan(90);
    expect(await train.$$eval("#digits figure", (f) => f.length)).toBe(60);
    expect((await train.textContent("#log"))!.trim().split("\n").length).toBe(30);
    await train.screenshot({ path: `${shots}/train.png`, fullPage: true });
    expect(errors).toEqual([]);
    await train.close();
  }, 90_000);
});

describe("examples/train-digits.mjs (Node training loop)", () => {
  it("prints a line per epoch, the loss falls, and the final test accuracy beats 85%", () => {
    const out = execFileSync(
      process.execPath,
      [`${root}examples/train-digits.mjs`, "--epochs", "4"],
      { cwd: root, encoding: "utf8" },
    );
    const epochs = [
      ...out.matchAll(
        /^epoch +(\d+)\/4 +train loss ([\d.]+) +test loss ([\d.]+) +test accuracy ([\d.]+)%$/gm,
      ),
    ];
    expect(
      epochs.map((m) => Number(m[1])),
      out,
    ).toEqual([1, 2, 3, 4]);
    const train = epochs.map((m) => Number(m[2]));
    expect(train[3]).toBeLessThan(train[0]);
    const final = out.match(
      /^final: train loss ([\d.]+), test loss ([\d.]+), test accuracy ([\d.]+)%/m,
    );
    expect(final, out).not.toBeNull();
    expect(Number(final![3])).toBeGreaterThan(85);
    expect(Number(final![2])).toBeLessThan(0.6);
  });
});
