// The PyTorch side: one /usr/bin/python3 process running scripts/fuzz/reference.py for a whole
// campaign, asked one JSON line per case (see that script for the protocol).

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { toReference, type Case } from "./case";

export const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("../../scripts/fuzz/reference.py", import.meta.url));

/** One of PyTorch's answers: the loss (scalar or array) and the gradients. */
export interface Result {
  loss: number | Float64Array;
  grads: Float64Array[];
  /** For a reduced loss (exact answer only): the same reduction of |terms| (their size). */
  mag?: number;
}

export type Answer = { raised: string } | { t32: Result; t64: Result } | { error: string };

/** Why the PyTorch side cannot run here (null when it can). */
export function torchUnavailable(): string | null {
  const r = spawnSync(PYTHON, ["-c", "import torch, numpy"], { encoding: "utf8" });
  if (r.error) return `${PYTHON} cannot be run (${r.error.message})`;
  if (r.status !== 0)
    return `${PYTHON} cannot import torch (apt-get install python3-torch): ${r.stderr.trim().split("\n").pop()}`;
  return null;
}

function decode(v: unknown): number | Float64Array {
  if (typeof v === "number") return v;
  if (typeof v === "string") return Number(v);
  const o = v as { f32?: string; f64?: string };
  const buf = Buffer.from((o.f32 ?? o.f64)!, "base64");
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return Float64Array.from(o.f32 !== undefined ? new Float32Array(ab) : new Float64Array(ab));
}

function result(r: { loss: unknown; grads: unknown[]; mag?: unknown }): Result {
  const mag = r.mag === undefined || r.mag === null ? undefined : Number(r.mag);
  return { loss: decode(r.loss), grads: r.grads.map((g) => decode(g) as Float64Array), mag };
}

export class Torch {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(line: string) => void> = [];
  private stderr = "";

  constructor() {
    this.proc = spawn(PYTHON, [SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
    createInterface({ input: this.proc.stdout }).on("line", (line) => this.waiting.shift()?.(line));
    this.proc.stderr.on("data", (d) => {
      this.stderr += String(d);
    });
    this.proc.on("exit", (code) => {
      const err = `fuzz: the PyTorch side exited (${code}): ${this.stderr.slice(-2000)}`;
      for (const w of this.waiting.splice(0)) w(JSON.stringify({ error: err }));
    });
  }

  /** PyTorch's answers to the cases, in order. */
  ask(cases: Case[]): Promise<Answer[]> {
    return Promise.all(
      cases.map(
        (c) =>
          new Promise<Answer>((resolve) => {
            this.waiting.push((line) => {
              const a = JSON.parse(line);
              resolve("t32" in a ? { t32: result(a.t32), t64: result(a.t64) } : a);
            });
            this.proc.stdin.write(`${toReference(c)}\n`);
          }),
      ),
    );
  }

  close(): void {
    this.proc.stdin.end();
  }
}
