// The verdict on one case on one build: PyTorch's answer (or refusal) against our outcome. A
// finding says what kind of failure it is and carries a signature that groups repeats of one
// failure (function, twin, kind, what differs).

import type { Case } from "./case";
import type { Build, Outcome } from "./call";
import { compare, type Mismatch } from "./compare";
import { undocumented } from "./deviations";
import { STRICTER } from "./invalid";
import type { Answer } from "./reference";

export type Kind =
  | "value" // a result differs from PyTorch's
  | "contract" // a caller array changed, an output buffer not returned...
  | "refused" // we throw where PyTorch answers
  | "accepted" // we return a value where PyTorch raises (or an invalid call succeeded)
  | "unclear-error" // the error is not a TypeError/RangeError naming the function and argument
  | "reference"; // the PyTorch side failed (a bug of the fuzzer)

export interface Finding {
  kind: Kind;
  signature: string;
  build: Build;
  detail: string;
  mismatches?: Mismatch[];
}

const name = (c: Case) => (c.grad ? `${c.fn}WithGrad` : c.fn);

function category(m: Mismatch): string {
  const where = m.what.replace(/\[\d+\]$/, "").replace(/^(length|type) of /, "$1 of ");
  const how = Number.isNaN(m.ours)
    ? "ours NaN"
    : !Number.isFinite(m.ours)
      ? "ours infinite"
      : !Number.isFinite(m.torch)
        ? "torch non-finite"
        : "beyond tolerance";
  return `${where}: ${how}`;
}

export function judge(c: Case, ours: Outcome, answer: Answer | null, build: Build): Finding[] {
  const fn = name(c);
  const found: Finding[] = [];
  const add = (kind: Kind, what: string, detail: string, mismatches?: Mismatch[]) =>
    found.push({ kind, signature: `${fn} ${kind} ${what}`, build, detail, mismatches });
  for (const p of ours.problems)
    add("contract", p.replace(/ at index \d+.*/, "").replace(/\d+/g, "#"), p);
  if (answer && "error" in answer) {
    add("reference", "", answer.error);
    return found;
  }
  const torchRaised =
    answer === null
      ? "(no PyTorch form: a JavaScript-only mistake)"
      : "raised" in answer
        ? answer.raised
        : null;
  if (c.invalid || ours.threw) {
    if (ours.threw) {
      const { name: cls, message } = ours.threw;
      const arg = c.invalid?.arg;
      if (
        (cls !== "TypeError" && cls !== "RangeError") ||
        !message.startsWith(`${fn}:`) ||
        (arg && !message.includes(arg))
      ) {
        add(
          "unclear-error",
          c.invalid?.kind ?? cls,
          `${cls}: ${message}${arg ? ` (should name '${arg}')` : ""}`,
        );
      }
      // PyTorch skips some of its checks when the input is empty; we check regardless.
      const empty = c.args[0] instanceof Float32Array && c.args[0].length === 0;
      const stricter =
        c.invalid && (STRICTER[c.invalid.kind] ?? STRICTER[`${c.invalid.kind}:${c.fn}`]);
      if (torchRaised === null && !stricter && !empty) {
        add(
          "refused",
          c.invalid?.kind ?? message.replace(/-?\d[\d.e+-]*/g, "#").slice(0, 80),
          `PyTorch accepts this call; we throw ${cls}: ${message}`,
        );
      }
      return found;
    }
    if (torchRaised !== null) {
      add("accepted", c.invalid?.kind ?? "", `we return a value; PyTorch: ${torchRaised}`);
      return found;
    }
  } else if (torchRaised !== null) {
    add(
      "accepted",
      torchRaised.replace(/-?\d[\d.e+-]*/g, "#").slice(0, 80),
      `we return a value; PyTorch: ${torchRaised}`,
    );
    return found;
  }
  if (!answer || !("t32" in answer)) return found;
  const ms = undocumented(c, compare(c, ours, answer.t32, answer.t64));
  if (ms.length > 0) {
    const cats = [...new Set(ms.map(category))].sort();
    add("value", cats.join("; "), `${ms.length} element(s) differ`, ms);
  }
  return found;
}
