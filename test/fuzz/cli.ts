// `npm run fuzz -- --cases N --seed S`: a long campaign on both builds; each distinct failure is
// minimized and written to the output folder (default fuzz-results/, git-ignored) as JSON and a
// snippet, with summary.md. Options:
//   --cases N      cases to generate (default 2000); every case runs on each build
//   --seed S       the campaign's seed (default: the time); case i of seed S is always the same
//   --start K      first case index (to resume or replay one case: --start K --cases 1)
//   --builds LIST  simd,scalar (default both)
//   --out DIR      where reproducers go (default fuzz-results)
//   --no-shrink    write failures as generated, without minimizing
//   --grow P, --invalid P   shares of memory-growth and invalid cases (defaults 0.02 and 0.1)

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as Api from "../../src/index";
import type { Build } from "./call";
import { distinct, minimize, runCampaign } from "./campaign";
import { toJson } from "./case";
import { DEFAULT_MIX } from "./generate";
import { Torch, torchUnavailable } from "./reference";
import { snippet } from "./reproducer";

function args(argv: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`fuzz: unexpected argument ${a}`);
    const key = a.slice(2);
    if (key === "no-shrink") o[key] = "1";
    else o[key] = argv[++i];
  }
  return o;
}

const slug = (s: string) =>
  s
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80);

export async function main(api: typeof Api, argv: string[]): Promise<number> {
  const o = args(argv);
  const why = torchUnavailable();
  if (why) {
    console.error(`fuzz: ${why}`);
    return 2;
  }
  const seed = Number(o.seed ?? Date.now() % 2 ** 31);
  const count = Number(o.cases ?? 2000);
  const start = Number(o.start ?? 0);
  const builds = (o.builds ?? "simd,scalar").split(",") as Build[];
  const out = o.out ?? "fuzz-results";
  const mix = {
    grow: Number(o.grow ?? DEFAULT_MIX.grow),
    invalid: Number(o.invalid ?? DEFAULT_MIX.invalid),
  };
  console.log(
    `fuzz: seed ${seed}, cases ${start}..${start + count - 1}, builds ${builds.join(", ")}`,
  );
  const torch = new Torch();
  const t0 = Date.now();
  const report = await runCampaign(api, torch, {
    seed,
    count,
    start,
    builds,
    mix,
    progress: (done, total, failures) =>
      process.stdout.write(`\r  ${done}/${total} cases, ${failures} failures  `),
  });
  const seconds = (Date.now() - t0) / 1000;
  console.log(
    `\nfuzz: ${report.calls} calls in ${seconds.toFixed(0)} s (${report.invalid} invalid, ${report.grew} grew memory), ${report.failures.length} failures`,
  );

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const groups = new Map<string, { n: number; builds: Set<string> }>();
  for (const f of report.failures) {
    const g = groups.get(f.signature) ?? { n: 0, builds: new Set() };
    g.n++;
    g.builds.add(f.build);
    groups.set(f.signature, g);
  }
  const lines = [
    `# Fuzz campaign: seed ${seed}, cases ${start}..${start + count - 1}`,
    "",
    `${report.calls} calls (${builds.join(" and ")} builds) in ${seconds.toFixed(0)} s: ${report.invalid} invalid calls, ${report.grew} grew memory, ` +
      `${report.bothRefused} refused by both PyTorch and us. Calls per function: ${Object.entries(
        report.perFunction,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}.`,
    "",
    `${groups.size} distinct failures (${report.failures.length} in all):`,
    "",
  ];
  let k = 0;
  for (const f of distinct(report.failures)) {
    k++;
    const g = groups.get(f.signature)!;
    const small = o["no-shrink"] ? { case: f.case, finding: f } : await minimize(api, torch, f);
    const file = `${String(k).padStart(3, "0")}-${slug(f.signature)}`;
    writeFileSync(
      join(out, `${file}.json`),
      `${JSON.stringify(
        {
          signature: f.signature,
          kind: f.kind,
          build: f.build,
          seed,
          index: f.index,
          occurrences: g.n,
          builds: [...g.builds],
          detail: small.finding.detail,
          case: toJson(small.case),
          mismatches: small.finding.mismatches?.slice(0, 8).map((m) => ({
            ...m,
            ours: String(m.ours),
            torch: String(m.torch),
            exact: String(m.exact),
          })),
        },
        null,
        1,
      )}\n`,
    );
    writeFileSync(join(out, `${file}.mjs`), `${snippet(small.case, f.build)}\n`);
    lines.push(
      `- **${f.signature}** (${g.n}×, ${[...g.builds].join("+")}; case ${f.index}): ${small.finding.detail} → \`${file}.mjs\``,
    );
    process.stdout.write(`\r  minimized ${k} of ${groups.size}  `);
  }
  writeFileSync(join(out, "summary.md"), `${lines.join("\n")}\n`);
  torch.close();
  console.log(`\nfuzz: ${groups.size} distinct failures; see ${join(out, "summary.md")}`);
  return groups.size > 0 ? 1 : 0;
}
