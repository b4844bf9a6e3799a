// The seeded generator: case i of seed s is always the same call. Each function's own generator
// (gen-*.ts) draws its arrays and options; here every case also gets a reduction, the gradient
// twin (with gradOutput), output buffers, how each array is passed (Float32Array, Float64Array,
// number[], alloc() view, sub-view of an alloc() block), and sometimes memory growth or an
// invalid mutation (invalid.ts).

import { NO_GRAD, SEVERAL_GRADS, newCase, type Case, type Pass } from "./case";
import { ELEMENTWISE, type Generator } from "./gen-elementwise";
import { MULTICLASS } from "./gen-multiclass";
import { ROWS } from "./gen-rows";
import { mutate } from "./invalid";
import { Rng } from "./rng";
import { floats } from "./values";

export const GENERATORS: Record<string, Generator> = { ...ELEMENTWISE, ...MULTICLASS, ...ROWS };
/** Every function of the API that the fuzzer calls (the 20 losses and 4 transformations). */
export const FUNCTIONS = Object.keys(GENERATORS);

export interface Mix {
  /** Share of cases that grow memory during the call (on a fresh module, with large arrays). */
  grow: number;
  /** Share of cases mutated into invalid calls. */
  invalid: number;
}
export const DEFAULT_MIX: Mix = { grow: 0.02, invalid: 0.1 };

/** The i-th case of a campaign: functions in turn, everything else drawn from (seed, i). */
export function generate(seed: number, i: number, mix: Mix = DEFAULT_MIX): Case {
  const r = new Rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca77)) >>> 0);
  r.next();
  const fn = FUNCTIONS[i % FUNCTIONS.length];
  const grow = r.chance(mix.grow);
  const d = GENERATORS[fn](r.fork(), grow);
  const grad = !NO_GRAD.has(fn) && r.chance(0.6);
  const c = newCase(fn, grad, d.args, { ...d.options }, d.tags);
  c.grow = grow;
  if (d.lossLength > 0 || !NO_GRAD.has(fn)) {
    const red = r.pick([undefined, "mean", "sum", "none", "none", ...(d.extraReductions ?? [])]);
    if (red !== undefined) c.options.reduction = red;
    if (grad && red === "none" && r.chance(0.5)) {
      c.options.gradOutput = floats(
        r,
        d.lossLength,
        r.pick(["normal", "ties", "wide", "nonfinite", "tiny"] as const),
      );
    }
    if (red === "none" && r.chance(0.2)) c.outputs.lossInto = r.chance(0.5) ? "array" : "alloc";
  }
  if (grad && r.chance(0.25))
    c.outputs[SEVERAL_GRADS.has(fn) ? "gradsInto" : "gradInto"] = r.chance(0.5) ? "array" : "alloc";
  if (NO_GRAD.has(fn) && r.chance(0.3)) c.outputs.out = r.chance(0.5) ? "array" : "alloc";
  placeArrays(r, c);
  return r.chance(mix.invalid) ? mutate(r, c) : c;
}

/** How each float array is passed. (Probability targets of crossEntropyLoss cannot be a
 *  number[]: that is how class indices are given.) */
function placeArrays(r: Rng, c: Case): void {
  const paths = [
    ...c.args.map((a, i) => [`args.${i}`, a] as const),
    ...Object.entries(c.options).map(([k, v]) => [`options.${k}`, v] as const),
  ];
  for (const [path, v] of paths) {
    if (!(v instanceof Float32Array)) continue;
    const choices: Pass[] = ["f64", "alloc", "alloc", "sub"];
    if (!(c.fn === "crossEntropyLoss" && path === "args.1")) choices.push("list");
    if (r.chance(0.3)) c.pass[path] = r.pick(choices);
  }
}
