#!/usr/bin/env node
// npm run bench: wasm-loss against its peers, on the built package (build/index.mjs), on the
// same data, in one run. Progress on stderr, the tables on stdout, JSON + SVG charts + a
// markdown table in bench/results/.
//
//   node bench/index.mjs [--quick] [--sizes=65536,1048576] [--only=l1,mse] [--no-torch]
//                        [--no-tfjs] [--no-wide] [--wide] [--no-training] [--default-malloc] [--out=dir]
//                        [--threads=N]  (the threaded columns' count; default "auto": every core)
//   node bench/index.mjs --render=bench/results/latest.json   (tables/charts again, no measuring)
//   --quick: 1,048,576 elements, shorter repeats, main table only (--wide adds the second table)
//   last, a section of its own: a TensorFlow.js training step with tfjs's loss and with
//   wasm-loss/tfjs (bench/training.mjs; --no-training or --no-tfjs leave it out, as --only does)
//
// glibc's malloc returns large freed blocks to the OS and takes them back with fresh page
// faults; on some machines (VMs, sandboxes) each fault costs tens of microseconds, so every
// implementation that returns a fresh array would measure the kernel's page-fault handler. The
// benchmark therefore runs itself (and PyTorch) with MALLOC_MMAP_THRESHOLD_ and
// MALLOC_TRIM_THRESHOLD_ raised; PyTorch is also run with glibc's defaults and both are shown.
// --default-malloc keeps the defaults for the JS side too.

import { spawn, spawnSync, execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { summarise } from "./data.mjs";
import { FULL, QUICK, gc, measure, repeatOnce, summary, warmUp } from "./measure.mjs";
import * as plain from "./plain.mjs";
import { MAIN, WIDE } from "./workloads.mjs";
import { chart } from "./chart.mjs";
import { parallelLimit } from "./parallel-limit.mjs";
import { markdown, targets, textTables } from "./report.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];

/** The tables and charts the documentation shows (docs/benchmarks/, shipped with the package;
 *  the JSON stays in bench/results/), from a full run's results. */
function publishDocs(all) {
  const dir = path.join(root, "docs", "benchmarks");
  mkdirSync(dir, { recursive: true });
  for (const n of Object.keys(all.sizes))
    writeFileSync(path.join(dir, `throughput-${n}.svg`), chart(all, n));
  const intro =
    "# Benchmark results\n\nThe full tables of the latest full `npm run bench` (how to read them: [../benchmarks.md](../benchmarks.md)).\n\n";
  writeFileSync(path.join(dir, "results.md"), intro + markdown(all, "throughput"));
  const training = path.join(here, "results", "training.md");
  if (existsSync(training))
    writeFileSync(path.join(dir, "training.md"), readFileSync(training, "utf8"));
  return dir;
}

// --render=results.json: rebuild the tables, charts and targets of an earlier run, measure nothing.
if (opt("render")) {
  const { chart } = await import("./chart.mjs");
  const { markdown, targets, textTables } = await import("./report.mjs");
  const file = path.resolve(opt("render"));
  const all = JSON.parse(readFileSync(file, "utf8"));
  all.targets = targets(all);
  const dir = path.dirname(file),
    stem = path.basename(file, ".json");
  writeFileSync(file, JSON.stringify(all, null, 1) + "\n");
  for (const n of Object.keys(all.sizes))
    writeFileSync(path.join(dir, `${stem}-${n}.svg`), chart(all, n));
  writeFileSync(path.join(dir, `${stem}.md`), markdown(all, stem));
  if (file === path.join(here, "results", "latest.json")) publishDocs(all);
  process.stdout.write(textTables(all));
  process.exit(0);
}

const RAISED = { MALLOC_MMAP_THRESHOLD_: String(2 ** 30), MALLOC_TRIM_THRESHOLD_: String(2 ** 31) };

// ---- re-run with the malloc settings and --expose-gc -----------------------------------------
if (process.env.WASM_LOSS_BENCH_CHILD === undefined) {
  const env = { ...process.env, WASM_LOSS_BENCH_CHILD: "1" };
  if (!flag("default-malloc")) Object.assign(env, RAISED);
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", "--max-old-space-size=8192", fileURLToPath(import.meta.url), ...argv],
    {
      stdio: "inherit",
      env,
    },
  );
  process.exit(r.status ?? 1);
}

const log = (...a) => process.stderr.write(a.join(" ") + "\n");
const quick = flag("quick");
const method = quick ? QUICK : FULL;
const SIZES =
  opt("sizes")?.split(",").map(Number) ?? (quick ? [1048576] : [16384, 65536, 1048576, 16777216]);
const only = opt("only")?.split(",");
const outDir = path.resolve(opt("out") ?? path.join(here, "results"));
const withWide = !flag("no-wide") && (!quick || flag("wide"));
const workloads = [...MAIN, ...(withWide ? WIDE : [])].filter((w) => !only || only.includes(w.id));

// ---- the package, twice: SIMD build, and a second module instance forced to the scalar build --
const entry = path.join(root, "build", "index.mjs");
if (!existsSync(entry)) {
  log("build/index.mjs is missing: run `npm run build` first (npm run bench does)");
  process.exit(1);
}
const api = await import(pathToFileURL(entry).href);
const scalarApi = await import(pathToFileURL(entry).href + "?scalar");
// A third module instance on every core (or --threads=N): results are bitwise those of `api`.
const threadsApi = await import(pathToFileURL(entry).href + "?threads");
await api.init();
await scalarApi.init({ simd: false });
await threadsApi.init({ threads: opt("threads") ? Number(opt("threads")) : "auto" });
if (api.backend() !== "simd")
  log("note: this engine has no WebAssembly SIMD; the 'wasm-loss' column is the scalar build");

// ---- the bandwidth limit: a SIMD loop reading two arrays and writing one ---------------------
function limitModule() {
  const wasm = path.join(root, "build", "limit.wasm");
  const src = path.join(here, "limit.ts");
  if (
    !existsSync(wasm) ||
    statSync(wasm).mtimeMs <
      Math.max(statSync(src).mtimeMs, statSync(path.join(here, "limit.asconfig.json")).mtimeMs)
  ) {
    log("compiling bench/limit.ts ...");
    // Its own config: asc would otherwise also read the root asconfig.json and its entries.
    execFileSync(
      path.join(root, "node_modules", ".bin", "asc"),
      ["--config", path.join(here, "limit.asconfig.json"), "-o", wasm],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
  }
  return new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasm)), {}).exports;
}
const limit = limitModule();

// ---- PyTorch: persistent subprocesses fed the same data through files -------------------------
const PY = "/usr/bin/python3";
let torchInfo = null;
let torchNote = null;
if (!flag("no-torch")) {
  const r = spawnSync(PY, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
  if (r.status === 0) torchInfo = { version: r.stdout.trim() };
  else
    torchNote = `PyTorch skipped: \`${PY} -c 'import torch'\` failed${r.error ? ` (${r.error.code})` : ""}`;
} else torchNote = "PyTorch skipped (--no-torch)";
if (torchNote) log(`note: ${torchNote}`);

/** A measuring subprocess (PyTorch, TensorFlow.js) speaking one JSON object per line. */
class Peer {
  constructor(command, args, env) {
    this.proc = spawn(command, args, { env, stdio: ["pipe", "pipe", "inherit"] });
    this.buf = "";
    this.waiting = [];
    this.proc.stdout.setEncoding("utf8");
    this.proc.stdout.on("data", (d) => {
      this.buf += d;
      let i;
      while ((i = this.buf.indexOf("\n")) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        this.waiting.shift()?.resolve(JSON.parse(line));
      }
    });
    this.proc.on("exit", (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`peer exited (${code})`));
    });
    this.ready = this.next();
  }
  next() {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  request(req) {
    const p = this.next();
    this.proc.stdin.write(JSON.stringify(req) + "\n");
    return p;
  }
  close() {
    this.proc.stdin.end();
  }
}

// ---- TensorFlow.js, cpu and wasm backends: in a process of its own (bench/tfjs_peer.mjs) --------
let tfPeer = null,
  tfVersion = null;
if (!flag("no-tfjs")) {
  tfPeer = new Peer(
    process.execPath,
    ["--expose-gc", "--max-old-space-size=8192", path.join(here, "tfjs_peer.mjs")],
    process.env,
  );
  const r = await tfPeer.ready;
  if (r.ready) tfVersion = r.tfjs;
  else {
    log(`note: TensorFlow.js not available (${r.error}); its columns are skipped`);
    tfPeer = null;
  }
}

const tmp = path.join(os.tmpdir(), `wasm-loss-bench-${process.pid}`);
let torchRaised = null,
  torchDefault = null,
  torchAll = null;
if (torchInfo) {
  mkdirSync(tmp, { recursive: true });
  const base = { ...process.env };
  delete base.MALLOC_MMAP_THRESHOLD_;
  delete base.MALLOC_TRIM_THRESHOLD_;
  torchRaised = new Peer(PY, [path.join(here, "torch_peer.py")], { ...base, ...RAISED });
  torchDefault = quick ? null : new Peer(PY, [path.join(here, "torch_peer.py")], base);
  // PyTorch on every core: its default here is one thread, so the count is set explicitly.
  torchAll =
    os.cpus().length > 1
      ? new Peer(PY, [path.join(here, "torch_peer.py")], {
          ...base,
          ...RAISED,
          TORCH_THREADS: String(os.cpus().length),
        })
      : null;
  const info = await torchRaised.ready;
  if (torchDefault) await torchDefault.ready;
  torchInfo.threads = info.threads;
  if (torchAll) torchInfo.allThreads = (await torchAll.ready).threads;
}

// ---- implementations ---------------------------------------------------------------------------
const IMPLS = [
  { id: "wasm", label: "wasm-loss" },
  { id: "into", label: "wasm-loss gradInto" },
  { id: "zerocopy", label: "wasm-loss zero-copy" },
  { id: "scalar", label: "wasm-loss scalar" },
  { id: "js", label: "plain JS" },
  { id: "tfcpu", label: "tfjs-cpu" },
  { id: "tfwasm", label: "tfjs-wasm" },
  { id: "threads", label: "wasm-loss on every core" },
  { id: "threadszerocopy", label: "wasm-loss zero-copy on every core" },
  { id: "torch", label: "PyTorch 1 thread" },
  { id: "torchall", label: "PyTorch on every core" },
  { id: "torchdefault", label: "PyTorch (glibc default malloc)" },
];

const MODES = ["forward", "grad"];

function wasmCall(A, w, d, mode) {
  const f = A[mode === "forward" ? w.fn : w.fn + "WithGrad"];
  return () => f(...d.args, d.options);
}

/** The zero-copy path: float inputs copied once into alloc() views, the gradient into one too. */
function zeroCopy(w, d, api) {
  const views = [];
  let total = 0;
  for (const a of d.args) if (a instanceof Float32Array) total += a.length;
  api.reserve(total * 2 + d.elements + 65536);
  const args = d.args.map((a) => {
    if (!(a instanceof Float32Array)) return a;
    const v = api.alloc(a.length);
    v.set(a);
    views.push(v);
    return v;
  });
  let gradInto = null;
  if (w.grads === 1) {
    gradInto = api.alloc(d.args[0].length);
    views.push(gradInto);
  }
  const refresh = () => {
    for (let i = 0; i < args.length; i++)
      if (args[i] instanceof Float32Array) args[i] = api.refresh(args[i]);
    if (gradInto) gradInto = api.refresh(gradInto);
  };
  return {
    call(mode) {
      const f = api[mode === "forward" ? w.fn : w.fn + "WithGrad"];
      const o = mode === "grad" && gradInto ? { ...d.options, gradInto } : d.options;
      return f(...args, o);
    },
    refresh,
    free() {
      for (const v of views) api.free(api.refresh(v));
    },
  };
}

// Rates of the previous size, to skip a peer whose call would take longer than method.maxCallS.
const lastRate = new Map();

/** A "skipped" cell when the call `key` (workload/mode/impl) is predicted to exceed maxCallS. */
function tooSlow(key, elements) {
  const predicted = lastRate.has(key) ? elements / lastRate.get(key) : 0;
  if (predicted <= method.maxCallS) return null;
  return {
    status: "skipped",
    note: `not timed at this size: ~${predicted.toFixed(0)} s per call (from its rate at the smaller size)`,
  };
}

/** A contestant measured in a peer process: its first call's cell, then one repeat per request. */
function remote(impl, first, peer, request) {
  return {
    impl,
    remote: true,
    first,
    repeat: async () => {
      const r = await peer.request(request);
      if (r.error) throw new Error(r.error);
      return r;
    },
  };
}

/**
 * One workload at one size. For each mode, every implementation ("contestant") makes its first
 * call (its value, checked later) and warms up; then the repeats are interleaved: repeat 1 of
 * every contestant, repeat 2 of every contestant, ... so that a change in the load of this shared
 * machine falls on all of them alike and the ratios stay meaningful.
 */
async function runWorkload(w, n, results) {
  const d = w.make(n);
  const cells = { forward: {}, grad: {} };
  const entry = { label: w.label, table: w.table, elements: d.elements, cells };
  results[w.id] = entry;
  if (typeof api[w.fn] !== "function" || typeof api[w.fn + "WithGrad"] !== "function") {
    entry.missing = `${w.fn} is not in this build yet`;
    log(`  ${w.label}: ${entry.missing}`);
    return;
  }
  if (d.ref) entry.ref = d.ref();

  // PyTorch loads the data once per workload (both modes), then serves single repeats.
  const torchPeers = [];
  let files = [];
  if (torchRaised) {
    files = d.torch.arrays.map((a, i) => {
      const file = path.join(tmp, `${w.id}-${i}.bin`);
      writeFileSync(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      return {
        file,
        dtype: a instanceof Float32Array ? "f32" : "i32",
        shape: d.torch.shapes?.[i] ?? [a.length],
      };
    });
    torchPeers.push(["torch", torchRaised]);
    if (torchDefault && w.table === "main") torchPeers.push(["torchdefault", torchDefault]);
    if (torchAll) torchPeers.push(["torchall", torchAll]);
  }
  const torchFirst = {};
  for (const [impl, peer] of torchPeers) {
    process.stderr.write(`  ${w.label.padEnd(28)} load     ${impl}\n`);
    torchFirst[impl] = await peer.request({
      op: "load",
      id: w.id,
      arrays: files,
      warmup_s: method.warmupMs / 1000,
    });
  }

  // TensorFlow.js makes the same data in its own process, first calls and warm-up at once.
  // --quick leaves out tfjs-cpu: about 1 s per call at 1M elements, it alone would take half
  // of the minute that --quick is meant to last.
  const tfImpls = tfPeer && d.tf ? (quick ? ["tfwasm"] : ["tfcpu", "tfwasm"]) : [];
  const tfFirst = {};
  if (tfImpls.length) {
    const wanted = [];
    for (const mode of MODES) {
      for (const impl of tfImpls) {
        const skip = tooSlow(`${w.id}/${mode}/${impl}`, d.elements);
        if (skip) tfFirst[`${impl}/${mode}`] = skip;
        else wanted.push({ impl, mode });
      }
    }
    process.stderr.write(`  ${w.label.padEnd(28)} load     tfjs\n`);
    const r = await tfPeer.request({
      op: "load",
      id: w.id,
      n,
      cells: wanted,
      warmupMs: method.warmupMs,
      repeatMs: method.repeatMs,
    });
    if (r.error)
      for (const c of wanted) tfFirst[`${c.impl}/${c.mode}`] = { status: "error", note: r.error };
    else Object.assign(tfFirst, r.cells);
  }

  const z = zeroCopy(w, d, api);
  const zt = zeroCopy(w, d, threadsApi);
  try {
    for (const mode of MODES) {
      const contestants = [];
      const local = (impl, call, prepare = () => {}) => contestants.push({ impl, call, prepare });
      local("wasm", wasmCall(api, w, d, mode));
      if (mode === "grad" && w.table === "main" && w.grads === 1) {
        // Plain Float32Arrays in, the gradient written into a reused plain Float32Array (the copies
        // are still made; no result array is allocated).
        const gradInto = new Float32Array(d.args[0].length);
        const f = api[w.fn + "WithGrad"];
        const o = { ...d.options, gradInto };
        local("into", () => f(...d.args, o));
      }
      // Other calls may grow module memory, which detaches the alloc() views: refresh first.
      local(
        "zerocopy",
        () => z.call(mode),
        () => z.refresh(),
      );
      local("scalar", wasmCall(scalarApi, w, d, mode));
      local("threads", wasmCall(threadsApi, w, d, mode));
      local(
        "threadszerocopy",
        () => zt.call(mode),
        () => zt.refresh(),
      );
      if (d.js) local("js", d.js[mode]);
      for (const impl of tfImpls) {
        const first = tfFirst[`${impl}/${mode}`];
        if (first)
          contestants.push(
            remote(impl, first, tfPeer, { op: "repeat", impl, mode, repeatMs: method.repeatMs }),
          );
      }
      for (const [impl, peer] of torchPeers) {
        const first = torchFirst[impl].error
          ? { status: "error", note: torchFirst[impl].error }
          : torchFirst[impl][mode];
        contestants.push(
          remote(impl, first, peer, { op: "repeat", mode, repeat_s: method.repeatMs / 1000 }),
        );
      }

      // First calls and warm-up.
      for (const c of contestants) {
        const skip = tooSlow(`${w.id}/${mode}/${c.impl}`, d.elements);
        if (skip) {
          c.cell = skip;
          continue;
        }
        if (c.remote) {
          if (c.first.status === "error" || c.first.status === "skipped") c.cell = c.first;
          continue;
        }
        await c.prepare();
        const t0 = performance.now();
        try {
          c.first = summarise(c.call());
        } catch (e) {
          c.cell = {
            status: "error",
            note: String(e.message ?? e)
              .split("\n")[0]
              .slice(0, 160),
          };
          continue;
        }
        // A call slower than a repeat is its own warm-up.
        if (performance.now() - t0 < method.repeatMs) {
          await c.prepare();
          warmUp(c.call, method);
        }
        gc();
      }

      // Interleaved repeats.
      const live = contestants.filter((c) => !c.cell);
      for (const c of live) {
        c.times = [];
        c.calls = [];
      }
      for (let r = 0; r < method.repeats; r++) {
        process.stderr.write(
          `\r  ${w.label.padEnd(28)} ${mode.padEnd(8)} repeat ${r + 1}/${method.repeats} of ${live.length} implementations`,
        );
        for (const c of live) {
          if (c.cell) continue;
          try {
            let one;
            if (c.remote) one = await c.repeat();
            else {
              await c.prepare();
              one = repeatOnce(c.call, method);
            }
            c.times.push(one.time);
            c.calls.push(one.calls);
          } catch (e) {
            c.cell = {
              status: "error",
              note: String(e.message ?? e)
                .split("\n")[0]
                .slice(0, 160),
            };
          }
          gc();
        }
      }
      process.stderr.write("\n");
      for (const c of contestants) {
        const cell = c.cell ?? { ...summary(c.times, c.calls), ...c.first };
        cells[mode][c.impl] = cell;
        if (cell.median !== undefined)
          lastRate.set(`${w.id}/${mode}/${c.impl}`, d.elements / cell.median);
        const shown =
          cell.median !== undefined
            ? `${(d.elements / cell.median / 1e6).toFixed(1).padStart(9)} M/s`
            : `${cell.status}${cell.note ? `: ${cell.note}` : ""}`;
        process.stderr.write(
          `  ${w.label.padEnd(28)} ${mode.padEnd(8)} ${c.impl.padEnd(14)} ${shown}\n`,
        );
      }
    }
  } finally {
    z.free();
    zt.free();
    for (const f of files) rmSync(f.file, { force: true });
  }
}

// ---- checks: every value against the reference before any time is reported ----------------
const LOSS_RTOL = 1e-4;
const GRAD_RTOL = 1e-4;

function check(entry) {
  for (const mode of MODES) {
    const cells = entry.cells[mode];
    // Reference loss: float64 (main table), else PyTorch, else wasm-loss.
    const refLoss = entry.ref ?? cells.torch?.loss ?? cells.wasm?.loss;
    const refGrads = cells.torch?.grads ?? cells.wasm?.grads;
    entry.refSource =
      entry.ref !== undefined
        ? "float64"
        : cells.torch?.loss !== undefined
          ? "PyTorch"
          : "wasm-loss";
    for (const c of Object.values(cells)) {
      if (c.status === "error" || c.status === "skipped" || c.median === undefined) continue;
      const problems = [];
      const rel = Math.abs(c.loss - refLoss) / Math.max(Math.abs(refLoss), 1e-30);
      c.lossRelErr = rel;
      if (!(rel <= LOSS_RTOL))
        problems.push(
          `loss ${fmtNum(c.loss)} vs ${fmtNum(refLoss)} (${(rel * 100).toPrecision(2)}% off)`,
        );
      if (mode === "grad" && c.grads && refGrads) {
        c.grads.forEach((g, i) => {
          const r = refGrads[i];
          if (!r) return;
          const scale = Math.max(r.abs, 1e-30);
          if (!(
            Math.abs(g.dot - r.dot) <= GRAD_RTOL * scale &&
            Math.abs(g.abs - r.abs) <= GRAD_RTOL * scale
          )) {
            problems.push(`gradient ${i} differs (checksum ${fmtNum(g.dot)} vs ${fmtNum(r.dot)})`);
          }
        });
      }
      c.status = problems.length ? "mismatch" : "ok";
      if (problems.length) c.note = problems.join("; ");
    }
  }
}

function fmtNum(v) {
  return typeof v === "number" ? v.toPrecision(7) : String(v);
}

// ---- run ------------------------------------------------------------------------------------
const cpu = (() => {
  try {
    const l = execFileSync("lscpu", { encoding: "utf8" });
    return l.match(/Model name:\s*(.+)/)?.[1]?.trim() ?? os.cpus()[0]?.model;
  } catch {
    return os.cpus()[0]?.model;
  }
})();
const meta = {
  date: new Date().toISOString(),
  quick,
  method,
  cpu,
  cores: os.cpus().length,
  node: process.version,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
  malloc: flag("default-malloc")
    ? "glibc defaults"
    : `MALLOC_MMAP_THRESHOLD_=${RAISED.MALLOC_MMAP_THRESHOLD_} MALLOC_TRIM_THRESHOLD_=${RAISED.MALLOC_TRIM_THRESHOLD_}`,
  wasmLoss: JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version,
  wasmSizes: (() => {
    try {
      return JSON.parse(readFileSync(path.join(root, "build", "sizes.json"), "utf8"));
    } catch {
      return null;
    }
  })(),
  tfjs: tfVersion,
  threads: threadsApi.threads(),
  torch: torchInfo,
  torchNote,
  impls: IMPLS,
  loadavg: os.loadavg(),
};

log(
  `wasm-loss benchmark — ${cpu}, ${meta.cores} cores, node ${process.version}${quick ? " (quick)" : ""}`,
);
log(`JS side malloc: ${meta.malloc}`);
plain.warm();

const bySize = {};
for (const n of SIZES) {
  log(`\n${n.toLocaleString("en-US")} elements`);
  const results = {};
  // Bandwidth limit at this size, measured again before every main-table workload (the machine's
  // bandwidth drifts with its load); the best of these is the limit (the conservative choice).
  const bytes = n * 4;
  limit.reach(3 * bytes + 65536);
  const a = 1024,
    b = a + bytes,
    o = b + bytes;
  new Float32Array(limit.memory.buffer, a, n).fill(1);
  new Float32Array(limit.memory.buffer, b, n).fill(2);
  const limits = [];
  const measureLimit = () => {
    const lm = measure(() => limit.add(a, b, o, n), method);
    limits.push(lm);
    log(
      `  bandwidth limit (SIMD, read 2 arrays + write 1)  ${(n / lm.median / 1e6).toFixed(1).padStart(9)} M/s  (${((3 * bytes) / lm.median / 1e9).toFixed(1)} GB/s)`,
    );
  };
  // The marshalling floor: what a call from plain Float32Arrays must spend on copies alone, with
  // no arithmetic: x and y copied into module memory (forward), plus a gradient copied out into
  // a reused array (fwd+grad), window by window as the library does (src/pointwise.ts, 16,384
  // elements). A target whose peer is faster than this cannot be met from plain arrays.
  const floors = { forward: [], grad: [] };
  const measureFloor = () => {
    const W = Math.min(16384, n),
      wBytes = W * 4;
    limit.reach(3 * bytes + 3 * wBytes + 131072);
    const base = o + bytes + 1024;
    const buf = limit.memory.buffer;
    const wx = new Float32Array(buf, base, W),
      wy = new Float32Array(buf, base + wBytes, W),
      wg = new Float32Array(buf, base + 2 * wBytes, W);
    const x = floorArrays.x,
      y = floorArrays.y,
      g = floorArrays.g;
    const copyIn = () => {
      for (let s = 0; s < n; s += W) {
        wx.set(x.subarray(s, s + W));
        wy.set(y.subarray(s, s + W));
      }
    };
    const copyInOut = () => {
      for (let s = 0; s < n; s += W) {
        wx.set(x.subarray(s, s + W));
        wy.set(y.subarray(s, s + W));
        g.set(s + W <= n ? wg : wg.subarray(0, n - s), s);
      }
    };
    floors.forward.push(measure(copyIn, method));
    floors.grad.push(measure(copyInOut, method));
    log(
      `  marshalling floor (copies only: in 2 / in 2 + out 1)  ${(n / floors.forward.at(-1).median / 1e6).toFixed(1)} / ${(n / floors.grad.at(-1).median / 1e6).toFixed(1)} M/s`,
    );
  };
  const floorArrays = {
    x: new Float32Array(n).fill(1),
    y: new Float32Array(n).fill(2),
    g: new Float32Array(n),
  };
  // The same limit on the threaded columns' thread count, each thread over its share.
  const T = threadsApi.threads();
  const pLimit =
    T > 1 ? await parallelLimit(readFileSync(path.join(root, "build", "limit.wasm")), n, T) : null;
  const limitsT = [];
  const measureLimitT = () => {
    if (!pLimit) return;
    const lm = pLimit.measure(method);
    limitsT.push(lm);
    log(
      `  bandwidth limit on ${T} threads                   ${(n / lm.median / 1e6).toFixed(1).padStart(9)} M/s  (${((3 * bytes) / lm.median / 1e9).toFixed(1)} GB/s)`,
    );
  };
  for (const w of workloads) {
    if (w.table === "main") {
      measureLimit();
      measureLimitT();
      measureFloor();
    }
    await runWorkload(w, n, results);
    if (results[w.id] && !results[w.id].missing) check(results[w.id]);
    gc();
  }
  if (!limits.length) {
    measureLimit();
    measureLimitT();
    measureFloor();
  }
  await pLimit?.close();
  const best = limits.reduce((p, q) => (q.median < p.median ? q : p));
  const bestT = limitsT.length ? limitsT.reduce((p, q) => (q.median < p.median ? q : p)) : null;
  const fastest = (list) => list.reduce((p, q) => (q.median < p.median ? q : p));
  bySize[n] = {
    limit: { ...best, bytesPerSecond: (3 * bytes) / best.median, all: limits.map((l) => l.median) },
    ...(bestT
      ? {
          limitThreads: {
            ...bestT,
            bytesPerSecond: (3 * bytes) / bestT.median,
            all: limitsT.map((l) => l.median),
          },
        }
      : {}),
    floor: { forward: fastest(floors.forward).median, grad: fastest(floors.grad).median },
    workloads: results,
  };
}
torchRaised?.close();
tfPeer?.close();
torchDefault?.close();
torchAll?.close();
if (torchInfo) rmSync(tmp, { recursive: true, force: true });

const all = { meta, sizes: bySize };
all.targets = targets(all);
mkdirSync(outDir, { recursive: true });
const stem = quick ? "quick" : "latest";
writeFileSync(path.join(outDir, `${stem}.json`), JSON.stringify(all, null, 1) + "\n");
for (const n of SIZES) writeFileSync(path.join(outDir, `${stem}-${n}.svg`), chart(all, n));
writeFileSync(path.join(outDir, `${stem}.md`), markdown(all, stem));
process.stdout.write(textTables(all));
log(
  `\nwrote ${path.relative(process.cwd(), outDir)}/${stem}.json, ${stem}.md and ${SIZES.map((n) => `${stem}-${n}.svg`).join(", ")}`,
);
// A full run into the default folder also updates the documentation's tables and charts.
const published = !quick && !opt("out") && !only && !opt("sizes");

// ---- a training step in TensorFlow.js, tfjs's loss vs wasm-loss/tfjs (a process of its own) ----
if (!flag("no-training") && !flag("no-tfjs") && !only) {
  log("\nTensorFlow.js training step (bench/training.mjs)");
  const r = spawnSync(
    process.execPath,
    [
      "--expose-gc",
      path.join(here, "training.mjs"),
      ...(quick ? ["--quick"] : []),
      `--out=${outDir}`,
    ],
    { stdio: "inherit" },
  );
  if (r.status !== 0) log(`note: the training-step section failed (exit ${r.status})`);
}
if (published)
  log(`wrote ${path.relative(process.cwd(), publishDocs(all))}/ (results.md, training.md, charts)`);
