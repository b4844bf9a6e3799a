// A campaign: cases [start, start + count) of a seed, answered by PyTorch in batches, each run on
// every build and judged; then each distinct failure minimized into a reproducer.

import type * as Api from "../../src/index";
import { runCase, type Build, type Lengths } from "./call";
import { type Case } from "./case";
import { DEFAULT_MIX, generate, type Mix } from "./generate";
import { asksTorch } from "./invalid";
import { judge, type Finding } from "./judge";
import type { Answer, Torch } from "./reference";
import { shrink } from "./shrink";

export interface Plan {
  seed: number;
  count: number;
  start?: number;
  builds?: Build[];
  mix?: Mix;
  /** Cases per PyTorch batch. */
  batch?: number;
  progress?: (done: number, total: number, failures: number) => void;
}

export interface Failure extends Finding {
  index: number;
  case: Case;
}

export interface Report {
  calls: number;
  invalid: number;
  grew: number;
  /** Valid cases that PyTorch refused too (the generator drew an invalid call by chance). */
  bothRefused: number;
  perFunction: Record<string, number>;
  failures: Failure[];
}

function lengthsOf(a: Answer | null): Lengths | null {
  if (!a || !("t32" in a)) return null;
  const loss = a.t32.loss;
  return {
    loss: typeof loss === "number" ? 1 : loss.length,
    grads: a.t32.grads.map((g) => g.length),
  };
}

export async function answerOf(torch: Torch, c: Case): Promise<Answer | null> {
  return asksTorch(c) ? (await torch.ask([c]))[0] : null;
}

export async function runCampaign(api: typeof Api, torch: Torch, plan: Plan): Promise<Report> {
  const builds = plan.builds ?? ["simd", "scalar"];
  const start = plan.start ?? 0;
  const batch = plan.batch ?? 250;
  const report: Report = {
    calls: 0,
    invalid: 0,
    grew: 0,
    bothRefused: 0,
    perFunction: {},
    failures: [],
  };
  for (let b = start; b < start + plan.count; b += batch) {
    const idx = Array.from({ length: Math.min(batch, start + plan.count - b) }, (_, k) => b + k);
    const cases = idx.map((i) => generate(plan.seed, i, plan.mix ?? DEFAULT_MIX));
    const asked = cases.filter(asksTorch);
    const answers = new Map<Case, Answer>();
    (await torch.ask(asked)).forEach((a, k) => answers.set(asked[k], a));
    for (const build of builds) {
      for (let k = 0; k < cases.length; k++) {
        const c = cases[k];
        const answer = answers.get(c) ?? null;
        const out = await runCase(api, c, build, lengthsOf(answer));
        report.calls++;
        if (c.invalid) report.invalid++;
        if (out.grew) report.grew++;
        if (!c.invalid && out.threw && answer && "raised" in answer) report.bothRefused++;
        report.perFunction[c.fn] = (report.perFunction[c.fn] ?? 0) + 1;
        for (const f of judge(c, out, answer, build))
          report.failures.push({ ...f, index: idx[k], case: c });
      }
    }
    plan.progress?.(b + idx.length - start, plan.count, report.failures.length);
  }
  return report;
}

/** The first failure of each signature (per build), then, for each, the minimized case. */
export function distinct(failures: Failure[]): Failure[] {
  const seen = new Map<string, Failure>();
  for (const f of failures) if (!seen.has(f.signature)) seen.set(f.signature, f);
  return [...seen.values()];
}

/** Does `c` still fail on `build` with a failure of the same kind? */
export async function stillFails(
  api: typeof Api,
  torch: Torch,
  c: Case,
  build: Build,
  kind: Finding["kind"],
): Promise<boolean> {
  const answer = await answerOf(torch, c);
  const out = await runCase(api, c, build, lengthsOf(answer));
  return judge(c, out, answer, build).some((f) => f.kind === kind);
}

export async function minimize(
  api: typeof Api,
  torch: Torch,
  f: Failure,
  budget?: number,
): Promise<{ case: Case; finding: Finding }> {
  const small = await shrink(f.case, (c) => stillFails(api, torch, c, f.build, f.kind), budget);
  const answer = await answerOf(torch, small);
  const out = await runCase(api, small, f.build, lengthsOf(answer));
  const finding = judge(small, out, answer, f.build).find((g) => g.kind === f.kind) ?? f;
  return { case: small, finding };
}
