// Runs one case through the API: builds the arguments as the case says (converted types, alloc()
// views, sub-views, output buffers), calls the function on the wanted build, and reports what
// came back, whether it threw, whether memory grew, and every breach of the calling contract
// (a caller array changed, an output buffer not returned, an output not written).

import type * as Api from "../../src/index";
import { NO_GRAD, type Case, type Data, type Ints, isInts } from "./case";

export type Build = "simd" | "scalar";

export interface Outcome {
  /** The error thrown, if any. */
  threw?: { name: string; message: string };
  /** The loss (a number, or a copy of the array) and the gradients, copied out. */
  loss?: number | Float32Array;
  grads: Float32Array[];
  /** Memory grew during the call. */
  grew: boolean;
  /** Contract breaches other than values. */
  problems: string[];
}

/** Lengths of the results (from PyTorch's answer): to size the output buffers. */
export interface Lengths {
  loss: number;
  grads: number[];
}

const SENTINEL = 7.25; // what output buffers hold before the call: any left means "not written"

function intArray(d: Ints): unknown {
  switch (d.as) {
    case "number[]":
      return d.ints.slice();
    case "BigInt64Array":
      return BigInt64Array.from(d.ints, (v) => BigInt(v));
    default:
      return (globalThis as unknown as Record<string, { from(a: number[]): unknown }>)[d.as].from(
        d.ints,
      );
  }
}

interface Held {
  path: string;
  value: unknown;
  before: unknown[];
  /** For alloc() views: the block's own view (to refresh after growth and to free). */
  block?: Float32Array;
  offset?: number;
}

export async function useBuild(api: typeof Api, build: Build, fresh = false): Promise<void> {
  if (fresh) await api.init({ simd: build !== "simd" }); // instantiating the other build resets memory
  if (fresh || !api.isReady() || api.backend() !== build)
    await api.init({ simd: build === "simd" });
}

/** Elements of module memory a call of `c` may need (its arrays, copies and results, CTC's
 *  tables), generously: reserved before an ordinary case so that only growth cases grow. */
function footprint(c: Case): number {
  let n = 1 << 16;
  for (const v of [...c.args, ...Object.values(c.options)]) {
    if (v instanceof Float32Array) n += 3 * v.length;
    else if (isInts(v)) n += 2 * v.ints.length;
  }
  if (c.fn === "ctcLoss" && Array.isArray(c.options.shape)) {
    const tl = (c.args[3] as Ints | undefined)?.ints ?? [];
    n += (c.options.shape[0] as number) * (2 * Math.max(0, ...tl) + 16) * 2;
  }
  return n;
}

export async function runCase(
  api: typeof Api,
  c: Case,
  build: Build,
  lengths: Lengths | null,
): Promise<Outcome> {
  await useBuild(api, build, c.grow);
  if (!c.grow) api.reserve(footprint(c));
  const held: Held[] = [];
  const blocks: Float32Array[] = [];
  const materialize = (path: string, v: unknown): unknown => {
    let out: unknown = v;
    let block: Float32Array | undefined;
    let offset = 0;
    if (v instanceof Float32Array) {
      const pass = c.pass[path];
      if (pass === "f64") out = Float64Array.from(v);
      else if (pass === "list") out = Array.from(v);
      else if (pass === "alloc" || pass === "sub") {
        offset = pass === "sub" ? 3 : 0;
        block = api.alloc(v.length + 2 * offset);
        block.fill(-3.5);
        blocks.push(block);
        out = block.subarray(offset, offset + v.length);
        (out as Float32Array).set(v);
      } else out = v.slice();
    } else if (isInts(v)) out = intArray(v);
    else if (Array.isArray(v)) out = v.slice();
    if (ArrayBuffer.isView(out) || Array.isArray(out)) {
      held.push({ path, value: out, before: Array.from(out as ArrayLike<unknown>), block, offset });
    }
    return out;
  };
  let args: unknown[];
  const options: Record<string, unknown> = {};
  const outputs: Record<string, Float32Array | Float32Array[]> = {};
  let problems: string[] = [];
  let threw: Outcome["threw"];
  let result: unknown;
  let grew: boolean;
  try {
    args = c.args.map((a: Data, i) => materialize(`args.${i}`, a));
    for (const [k, v] of Object.entries(c.options))
      if (v !== undefined) options[k] = materialize(`options.${k}`, v);
    if (lengths) {
      const make = (n: number, kind: string): Float32Array => {
        const a = kind === "alloc" ? api.alloc(n) : new Float32Array(n);
        if (kind === "alloc") blocks.push(a);
        return a.fill(SENTINEL);
      };
      for (const [k, kind] of Object.entries(c.outputs)) {
        if (k === "gradsInto") outputs[k] = lengths.grads.map((n) => make(n, kind));
        else
          outputs[k] = make(
            k === "lossInto" ? lengths.loss : k === "out" ? lengths.loss : lengths.grads[0],
            kind,
          );
      }
    }
    // An alloc() late in the setup may have grown memory and detached the views made before it.
    for (const h of held) {
      if (!h.block || (h.value as Float32Array).buffer === api.refresh(h.block).buffer) continue;
      h.value = api.refresh(h.block).subarray(h.offset!, h.offset! + h.before.length);
      const [where, key] = h.path.split(".");
      if (where === "args") args[Number(key)] = h.value;
      else options[key] = h.value;
    }
    const fn = (api as unknown as Record<string, (...a: unknown[]) => unknown>)[
      c.grad ? `${c.fn}WithGrad` : c.fn
    ];
    const before = api.memoryBytes();
    try {
      result = fn(...args, { ...options, ...outputs });
    } catch (e) {
      threw = {
        name: (e as Error).constructor?.name ?? typeof e,
        message: String((e as Error).message ?? e),
      };
    }
    grew = api.memoryBytes() > before;
  } catch (e) {
    // Building the arguments failed (alloc() beyond 4 GiB...): not the function's doing.
    throw new Error(`fuzz: could not build the arguments of ${c.fn}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const out: Outcome = { grads: [], grew, problems, threw };
  if (!threw) {
    const r = result as
      { loss?: unknown; grad?: Float32Array; grads?: Float32Array[] } | number | Float32Array;
    const copy = (a: unknown, what: string): Float32Array => {
      if (!(a instanceof Float32Array)) {
        problems.push(`${what} is not a Float32Array (${Object.prototype.toString.call(a)})`);
        return new Float32Array(0);
      }
      return a.slice(); // (a detached one has length 0: the comparison reports it)
    };
    if (NO_GRAD.has(c.fn)) {
      out.loss = copy(r, "the result");
      if (outputs.out && r !== outputs.out && !c.grow)
        problems.push("the result is not the 'out' buffer itself");
    } else if (c.grad) {
      const o = r as { loss: unknown; grad?: Float32Array; grads?: Float32Array[] };
      out.loss = typeof o.loss === "number" ? o.loss : copy(o.loss, "loss");
      const gs = o.grads ?? (o.grad ? [o.grad] : []);
      out.grads = gs.map((g, i) => copy(g, `grads[${i}]`));
      if (outputs.gradInto && o.grad !== outputs.gradInto && !c.grow)
        problems.push("grad is not the 'gradInto' buffer itself");
      if (
        outputs.gradsInto &&
        (outputs.gradsInto as Float32Array[]).some((g, i) => o.grads?.[i] !== g) &&
        !c.grow
      ) {
        problems.push("grads are not the 'gradsInto' buffers themselves");
      }
      if (outputs.lossInto && o.loss !== outputs.lossInto && !c.grow)
        problems.push("loss is not the 'lossInto' buffer itself");
    } else {
      out.loss = typeof r === "number" ? r : copy(r, "loss");
      if (outputs.lossInto && r !== outputs.lossInto && !c.grow)
        problems.push("loss is not the 'lossInto' buffer itself");
    }
  }
  // Caller arrays unchanged (alloc() views refreshed first: growth detaches them).
  for (const h of held) {
    let now = h.value as ArrayLike<unknown>;
    if (h.block) now = api.refresh(h.block).subarray(h.offset!, h.offset! + h.before.length);
    for (let i = 0; i < h.before.length; i++) {
      if (!Object.is(now[i], h.before[i])) {
        problems.push(
          `${h.path} was modified at index ${i} (${String(h.before[i])} -> ${String(now[i])})`,
        );
        break;
      }
    }
  }
  for (const b of blocks) api.free(b);
  problems = [...new Set(problems)];
  out.problems = problems;
  return out;
}
