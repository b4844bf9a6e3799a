// A fixed-seed slice of the differential fuzzer (test/fuzz/): a few hundred generated calls over
// every function, on both builds, against PyTorch run live by /usr/bin/python3. Skipped, saying
// why, where PyTorch is not installed (apt-get install python3-torch; CI installs it). Longer
// campaigns: `npm run fuzz -- --cases N --seed S`.
import { afterAll, describe, expect, it } from "vitest";
import * as api from "../src/index";
import { runCampaign, type Report } from "./fuzz/campaign";
import { toJson } from "./fuzz/case";
import { FUNCTIONS } from "./fuzz/generate";
import { Torch, torchUnavailable } from "./fuzz/reference";
import { snippet } from "./fuzz/reproducer";

const SEED = 20240611;
const CASES = 360;
const why = torchUnavailable();
if (why) console.warn(`test/fuzz.test.ts skipped: ${why}`);

describe.skipIf(why !== null)(
  `differential fuzzing against PyTorch${why ? ` (skipped: ${why})` : ""}`,
  () => {
    let torch: Torch;
    let report: Report;
    afterAll(() => torch?.close());

    it(`${CASES} generated calls (seed ${SEED}) agree with PyTorch on both builds`, async () => {
      torch = new Torch();
      report = await runCampaign(api, torch, {
        seed: SEED,
        count: CASES,
        mix: { grow: 0.03, invalid: 0.12 },
      });
      const shown = report.failures
        .slice(0, 5)
        .map(
          (f) =>
            `${f.signature} [${f.build} build, case ${f.index}]: ${f.detail}\n` +
            `${JSON.stringify(f.mismatches?.slice(0, 3).map((m) => ({ ...m, ours: String(m.ours), torch: String(m.torch), exact: String(m.exact) })))}\n` +
            `${snippet(f.case, f.build).slice(0, 1500)}\n${JSON.stringify(toJson(f.case)).length > 4000 ? "" : JSON.stringify(toJson(f.case))}`,
        );
      expect(report.failures.length, `failures:\n${shown.join("\n\n")}`).toBe(0);
    }, 120_000);

    it("the slice covers every function, invalid calls and calls that grow memory", () => {
      expect(report, "the campaign ran").toBeDefined();
      expect(Object.keys(report.perFunction).sort()).toEqual([...FUNCTIONS].sort());
      expect(report.invalid).toBeGreaterThan(20);
      expect(report.grew).toBeGreaterThan(0);
    });
  },
);
