// What every fixture case records about its expected values (scripts/fixtures/common.py): which
// reference they are, PyTorch's float32 error where it exceeds the strict rule, the magnitude of
// the terms that cancel at an element where that raises its allowance, and the reason of any
// tolerance of its own; and that docs/testing.md's table of references is what the fixtures hold.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadFixtures, type FixtureCase } from "./helpers/fixtures";
import { TERMS_ULPS, allowance } from "./helpers/tolerance";

const families = readdirSync(new URL("./fixtures/", import.meta.url))
  .filter((f) => f.endsWith(".json.gz"))
  .map((f) => f.slice(0, -".json.gz".length))
  .sort();

/** Problems with one case's records, as sentences. */
function problems(c: FixtureCase): string[] {
  const out: string[] = [];
  if (typeof c.reference !== "string" || !c.reference) return ["no reference"];
  const float64 = /float64/.test(c.reference);
  const rec = c.float32Error;
  if (rec && rec.expected !== (float64 ? "float64" : "float32"))
    out.push(`its record says the expected values are the ${rec.expected} answer`);
  if (float64 && !rec && !c.strict)
    out.push("a float64 reference without PyTorch's float32 error or a reason to be strict");
  if (c.tol && !c.tol.why) out.push("a tolerance without its reason");
  const at = (expected: number | Float32Array, i: number) =>
    typeof expected === "number" ? (i === 0 ? expected : NaN) : expected[i];
  if (c.terms) {
    // Each recorded magnitude must raise the allowance of its element beyond the strict rule
    // (the generator records it only there, rounded up to 4 significant digits).
    const checkTerms = (
      terms: Map<number, number>,
      expected: number | Float32Array,
      what: string,
    ) => {
      for (const [i, s] of terms) {
        const e = at(expected, i);
        if (!Number.isFinite(e) || !(s > 0) || !(TERMS_ULPS * 2 ** -24 * s > allowance(e))) {
          out.push(
            `${what}[${i}]: terms ${s} recorded for expected ${e}, which do not raise its allowance ${allowance(e)}`,
          );
        }
      }
    };
    checkTerms(c.terms.loss, c.loss, "loss terms");
    if ((c.grads?.length ?? 0) !== c.terms.grads.length)
      out.push(
        `${c.terms.grads.length} gradient terms records for ${c.grads?.length ?? 0} gradients`,
      );
    c.terms.grads.forEach((g, i) => c.grads && checkTerms(g, c.grads[i], `grad ${i} terms`));
  }
  if (!rec) return out;
  const check = (errors: Map<number, number>, expected: number | Float32Array, what: string) => {
    for (const [i, d] of errors) {
      const e = at(expected, i);
      // The generator cuts the error to 4 significant digits: it may fall a hair below the allowance.
      if (!Number.isFinite(e) || !Number.isFinite(d) || !(Math.abs(d) > 0.999 * allowance(e))) {
        out.push(`${what}[${i}]: error ${d} recorded for expected ${e}, allowance ${allowance(e)}`);
      }
    }
  };
  check(rec.loss, c.loss, "loss");
  if ((c.grads?.length ?? 0) !== rec.grads.length)
    out.push(`${rec.grads.length} gradient records for ${c.grads?.length ?? 0} gradients`);
  rec.grads.forEach((g, i) => c.grads && check(g, c.grads[i], `grad ${i}`));
  return out;
}

/** function → the references its cases record. */
function referencesByFunction(): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const family of families) {
    for (const c of loadFixtures(family).cases)
      m.set(c.fn, (m.get(c.fn) ?? new Set()).add(c.reference));
  }
  return m;
}

/** The table of docs/testing.md: one row per reference, the functions that record it. */
function table(byFn: Map<string, Set<string>>): string {
  const byRef = new Map<string, string[]>();
  for (const [fn, refs] of byFn) for (const r of refs) byRef.set(r, [...(byRef.get(r) ?? []), fn]);
  const rows = [...byRef]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([r, fns]) => `| \`${r}\` | ${fns.map((f) => `\`${f}\``).join(", ")} |`);
  return ["| reference recorded in the fixtures | functions |", "|---|---|", ...rows].join("\n");
}

describe("fixture records", () => {
  for (const family of families) {
    it(`${family}: every case names its reference; a float64 reference records PyTorch's float32 error or why it is strict; records point at elements beyond the strict rule; terms records raise their element's allowance; a case's tolerance says why`, () => {
      const bad = loadFixtures(family).cases.flatMap((c) =>
        problems(c).map((p) => `${c.name}: ${p}`),
      );
      expect(bad).toEqual([]);
    });
  }

  it("docs/testing.md lists every function's references as the fixtures record them", () => {
    const doc = readFileSync(new URL("../docs/testing.md", import.meta.url), "utf8");
    const expected = table(referencesByFunction());
    expect(doc.includes(expected), `docs/testing.md should hold this table:\n${expected}`).toBe(
      true,
    );
  });
});
