// Tables (stdout text and markdown) and the target ratios, from the results object.

export const SHORT = {
  wasm: "wasm-loss",
  into: "gradInto",
  zerocopy: "zero-copy",
  scalar: "scalar",
  js: "plain JS",
  tfcpu: "tfjs-cpu",
  tfwasm: "tfjs-wasm",
  torch: "PyTorch",
  torchdefault: "PyTorch†",
  threads: "all cores",
  threadszerocopy: "zero-copy, all cores",
  torchall: "PyTorch, all cores",
};
const MAIN_COLS = [
  "wasm",
  "into",
  "zerocopy",
  "threads",
  "threadszerocopy",
  "scalar",
  "js",
  "tfcpu",
  "tfwasm",
  "torch",
  "torchdefault",
  "torchall",
];
const WIDE_COLS = ["wasm", "zerocopy", "threadszerocopy", "scalar", "js", "torch", "torchall"];
/** wasm-loss's own columns: shown as rates, not as ratios against wasm-loss. */
const OWN = new Set(["wasm", "into", "zerocopy", "threads", "threadszerocopy"]);
const MODE = { forward: "forward", grad: "fwd+grad" };

const eps = (entry, c) => entry.elements / c.median;

export function fmtRate(v) {
  const m = v / 1e6;
  return m >= 100 ? m.toFixed(0) : m >= 10 ? m.toFixed(1) : m.toFixed(2);
}
const fmtRatio = (r) => (r >= 10 ? r.toFixed(0) : r.toFixed(1)) + "×";

/** One cell: "rate" for wasm-loss, "rate (ratio×)" for peers; marked when the value differs. */
function cell(entry, mode, impl) {
  const c = entry.cells[mode][impl];
  if (!c) return { text: "–" };
  if (c.status === "error") return { text: "error", note: c.note };
  if (c.status === "skipped") return { text: "skipped", note: c.note };
  const rate = fmtRate(eps(entry, c));
  if (c.status === "mismatch") return { text: `✗ ${rate}`, note: c.note };
  const base = entry.cells[mode].wasm;
  if (OWN.has(impl) || !base || base.status !== "ok") return { text: rate };
  return { text: `${rate} (${fmtRatio(c.median / base.median)})` };
}

function rows(all, n, table) {
  const s = all.sizes[n];
  const cols = table === "main" ? MAIN_COLS : WIDE_COLS;
  const out = [],
    notes = [];
  for (const e of Object.values(s.workloads)) {
    if (e.table !== table) continue;
    if (e.missing) {
      out.push([e.label, "", e.missing]);
      continue;
    }
    for (const mode of ["forward", "grad"]) {
      const r = [e.label, MODE[mode]];
      for (const impl of cols) {
        const c = cell(e, mode, impl);
        if (c.note) {
          notes.push(`${e.label} ${MODE[mode]}, ${SHORT[impl]}: ${c.note}`);
          c.text += ` [${notes.length}]`;
        }
        r.push(c.text);
      }
      out.push(r);
    }
  }
  return { head: ["workload", "mode", ...cols.map((c) => SHORT[c])], rows: out, notes };
}

function header(all, n) {
  const l = all.sizes[n].limit,
    f = all.sizes[n].floor,
    lt = all.sizes[n].limitThreads;
  return (
    `${Number(n).toLocaleString("en-US")} elements — million elements/s (ratio = wasm-loss ÷ peer: time of the peer / time of wasm-loss). ` +
    `Bandwidth limit (SIMD loop reading 2 arrays, writing 1; best of ${l.all?.length ?? 1} measurements in the run): ${fmtRate(n / l.median)} M/s (${(l.bytesPerSecond / 1e9).toFixed(1)} GB/s)` +
    (lt
      ? `; on ${lt.threads} threads ${fmtRate(n / lt.median)} M/s (${(lt.bytesPerSecond / 1e9).toFixed(1)} GB/s).`
      : ".") +
    (f
      ? ` Marshalling floor (the copies a call from plain Float32Arrays makes, no arithmetic; fastest in the run): forward ${fmtRate(n / f.forward)} M/s, fwd+grad ${fmtRate(n / f.grad)} M/s.`
      : "")
  );
}

function legend(all) {
  const m = all.meta;
  const lines = [
    `wasm-loss: SIMD build, called with plain Float32Arrays (copies in and out included, a fresh gradient array per call);`,
    `gradInto: the same, the gradient written into a reused plain Float32Array; zero-copy: alloc() views and gradInto (no copies);`,
    `all cores: the SIMD build on ${m.threads ?? "?"} threads (init({ threads: "auto" }); results bitwise those of one thread), from Float32Arrays and zero-copy;`,
    `scalar: the non-SIMD build, Float32Arrays; plain JS: careful JavaScript (stable formulas, one Float32Array loop per loss, float64 sums, a fresh gradient array), in both tables.`,
    `tfjs: @tensorflow/tfjs ${m.tfjs ?? "(absent)"}, tensor creation, tf.valueAndGrad and read-back included, single thread.`,
    m.torch
      ? `PyTorch ${m.torch.version}, ${m.torch.threads} thread, autograd backward; data already tensors (int64 targets converted before timing); run with ${m.malloc.replace("glibc defaults", "glibc's default malloc")}. PyTorch†: the same with glibc's default malloc settings.` +
        (m.torch.allThreads
          ? ` PyTorch, all cores: torch.set_num_threads(${m.torch.allThreads}) (its default here is 1).`
          : "")
      : `PyTorch: ${m.torchNote}.`,
    `✗ = computes a different value (not ranked; see the note). Method: warm-up, ${m.method.repeats} repeats of ≥ ${m.method.repeatMs / 1000} s, median.`,
  ];
  return lines;
}

export function textTables(all) {
  const out = [];
  const m = all.meta;
  out.push(
    `wasm-loss ${m.wasmLoss} benchmark — ${m.cpu}, ${m.cores} cores, ${m.node}, ${m.date.slice(0, 16).replace("T", " ")} UTC${m.quick ? " (--quick)" : ""}`,
  );
  out.push(...legend(all), "");
  for (const n of Object.keys(all.sizes)) {
    for (const table of ["main", "wide"]) {
      const t = rows(all, n, table);
      if (!t.rows.length) continue;
      out.push(header(all, n) + (table === "wide" ? " The rest of the catalogue:" : ""));
      const all_ = [t.head, ...t.rows];
      const w = t.head.map((_, i) => Math.max(...all_.map((r) => (r[i] ?? "").length)));
      for (const r of all_)
        out.push(
          r.map((v, i) => (i < 2 ? (v ?? "").padEnd(w[i]) : (v ?? "").padStart(w[i]))).join("  "),
        );
      t.notes.forEach((x, i) => out.push(`  [${i + 1}] ${x}`));
      out.push("");
    }
  }
  if (all.targets.length) {
    out.push("Targets:");
    for (const t of all.targets)
      out.push(
        `  ${t.met ? "met    " : "NOT met"}  ${t.name}: ${t.ratio === null ? "n/a" : t.ratio.toFixed(2) + "×"} (need ≥ ${t.need}×)${t.note ? ` — ${t.note}` : ""}`,
      );
  }
  return out.join("\n") + "\n";
}

export function markdown(all, stem) {
  const out = [];
  const m = all.meta;
  out.push(
    `Measured ${m.date.slice(0, 16).replace("T", " ")} UTC on ${m.cpu} (${m.cores} cores, ${m.memory}), ${m.platform}, Node ${m.node}${m.quick ? ", `--quick`" : ""}.`,
    "",
  );
  for (const l of legend(all)) out.push(l);
  out.push("");
  for (const n of Object.keys(all.sizes)) {
    for (const table of ["main", "wide"]) {
      const t = rows(all, n, table);
      if (!t.rows.length) continue;
      out.push(`**${header(all, n)}**${table === "wide" ? " The rest of the catalogue:" : ""}`, "");
      out.push(
        `| ${t.head.join(" | ")} |`,
        `|${t.head.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`,
      );
      for (const r of t.rows) out.push(`| ${r.map((v) => v ?? "").join(" | ")} |`);
      out.push("");
      t.notes.forEach((x, i) => out.push(`${i + 1}. ${x}`));
      if (t.notes.length) out.push("");
      if (table === "main") out.push(`![throughput at ${n} elements](${stem}-${n}.svg)`, "");
    }
  }
  if (all.targets.length) {
    out.push("| target | measured | need | |", "|---|---:|---:|---|");
    for (const t of all.targets)
      out.push(
        `| ${t.name} | ${t.ratio === null ? "n/a" : t.ratio.toFixed(2) + "×"} | ≥ ${t.need}× | ${t.met ? "met" : "**not met**"}${t.note ? ` (${t.note})` : ""} |`,
      );
    out.push("");
  }
  return out.join("\n");
}

/** The targets, evaluated on this run (n = 1,048,576 and 16,777,216 when measured). */
export function targets(all) {
  const out = [];
  const add = (name, entry, mode, peer, need, note, self = "wasm") => {
    const a = entry?.cells?.[mode]?.[self],
      b = entry?.cells?.[mode]?.[peer];
    if (!a || !b) return;
    // A target is about speed: met when wasm-loss computes the right value and is fast enough; a
    // peer that computes something else (✗) is still compared, with a note.
    const ok = a.status === "ok" && b.median !== undefined;
    const ratio = a.median !== undefined && b.median !== undefined ? b.median / a.median : null;
    const peerNote =
      b.status === "mismatch"
        ? `${SHORT[peer]} computes a different value: ${b.note}`
        : b.status !== "ok"
          ? `${SHORT[peer]} ${b.status}`
          : "";
    // From plain arrays the copies alone bound the ratio: with a kernel taking no time at all it
    // would be peer time / floor time. Shown where that bound is below the target.
    const floor = self !== "zerocopy" ? s?.floor?.[mode] : undefined;
    const bound = floor && b.median !== undefined ? b.median / floor : null;
    const floorNote =
      bound !== null && bound < need ? `copies alone allow at most ${bound.toFixed(2)}×` : "";
    const why = [note, a.status !== "ok" ? `wasm-loss ${a.status}` : "", peerNote, floorNote]
      .filter(Boolean)
      .join("; ");
    out.push({
      name,
      ratio,
      need,
      met: ok && ratio !== null && ratio >= need,
      note: why || undefined,
      ...(bound !== null ? { floorBound: bound } : {}),
    });
  };
  const s = all.sizes[1048576];
  if (s) {
    const W = s.workloads;
    for (const id of ["l1", "mse", "bcelogits", "ce10", "ce1000"]) {
      const e = W[id];
      if (!e || e.missing) continue;
      add(`1M ${e.label} fwd+grad vs PyTorch fwd+bwd`, e, "grad", "torch", 2);
      add(
        `1M ${e.label} fwd+grad (gradInto) vs PyTorch fwd+bwd`,
        e,
        "grad",
        "torch",
        2,
        undefined,
        "into",
      );
      add(`1M ${e.label} forward vs PyTorch forward`, e, "forward", "torch", 1);
    }
    for (const e of Object.values(W)) {
      if (e.table !== "main" || e.missing) continue;
      for (const mode of ["forward", "grad"]) {
        add(`1M ${e.label} ${MODE[mode]} vs plain JS`, e, mode, "js", 5);
        add(`1M ${e.label} ${MODE[mode]} vs tfjs-wasm`, e, mode, "tfwasm", 3);
        add(`1M ${e.label} ${MODE[mode]} SIMD vs scalar`, e, mode, "scalar", 2.5);
      }
    }
  }
  out.push(...threadTargets(all));
  const b = all.sizes[16777216];
  if (b) {
    for (const id of ["l1", "mse"]) {
      const e = b.workloads[id];
      if (!e || e.missing) continue;
      for (const impl of ["zerocopy", "wasm"]) {
        const c = e.cells.grad[impl];
        if (!c || c.median === undefined) continue;
        const ratio = b.limit.median / c.median;
        const bound = impl === "wasm" && b.floor ? b.limit.median / b.floor.grad : null;
        const note = [
          c.status !== "ok" ? c.status : "",
          bound !== null && bound < 0.7 ? `copies alone allow at most ${bound.toFixed(2)}` : "",
        ]
          .filter(Boolean)
          .join("; ");
        out.push({
          name: `16M ${e.label} fwd+grad (${impl === "wasm" ? "Float32Arrays" : "zero-copy"}) / bandwidth limit`,
          ratio,
          need: 0.7,
          met: c.status === "ok" && ratio >= 0.7,
          note: note || undefined,
        });
      }
    }
  }
  return out;
}

/** The targets of the threaded build: scaling with the thread count, against PyTorch on every core,
 *  and no cost for small calls. T is the run's thread count (every core unless --threads). */
function threadTargets(all) {
  const out = [];
  const T = all.meta.threads;
  if (!T || T < 2) return out;
  const scaleNeed = T <= 2 ? 0.9 * T : Math.max(1.8, 0.625 * T);
  const ratio = (num, den) =>
    num?.median !== undefined && den?.median !== undefined ? den.median / num.median : null;
  const push = (name, r, need, ok, note) =>
    out.push({ name, ratio: r, need, met: ok && r !== null && r >= need, note: note || undefined });
  const label = (n) => (n >= 16777216 ? "16M" : n >= 1048576 ? "1M" : `${n}`);
  for (const n of [1048576, 16777216]) {
    const s = all.sizes[n];
    if (!s) continue;
    for (const id of ["l1", "mse", "bcelogits", "ce10", "ce1000"]) {
      const e = s.workloads[id];
      if (!e || e.missing) continue;
      const c = e.cells.grad;
      push(
        `${label(n)} ${e.label} fwd+grad zero-copy on ${T} threads vs PyTorch on every core`,
        ratio(c.threadszerocopy, c.torchall),
        2,
        c.threadszerocopy?.status === "ok",
      );
      push(
        `${label(n)} ${e.label} fwd+grad from Float32Arrays on ${T} threads vs PyTorch on every core`,
        ratio(c.threads, c.torchall),
        1,
        c.threads?.status === "ok",
      );
    }
  }
  const big = all.sizes[16777216];
  if (big) {
    for (const e of Object.values(big.workloads)) {
      if (e.missing) continue;
      const c = e.cells.grad;
      const id = Object.keys(big.workloads).find((k) => big.workloads[k] === e);
      if (id === "l1" || id === "mse") {
        // Bound by memory bandwidth: compared with the limit on as many threads.
        const lt = big.limitThreads;
        if (lt && c.threadszerocopy?.median !== undefined) {
          const r = lt.median / c.threadszerocopy.median;
          push(
            `16M ${e.label} fwd+grad zero-copy on ${T} threads / bandwidth limit on ${T} threads`,
            r,
            0.7,
            c.threadszerocopy.status === "ok",
            `one thread: ${fmtRatio(ratio(c.threadszerocopy, c.zerocopy) ?? 0)} faster on ${T}`,
          );
        }
        continue;
      }
      push(
        `16M ${e.label} fwd+grad zero-copy: ${T} threads ÷ 1 thread`,
        ratio(c.threadszerocopy, c.zerocopy),
        scaleNeed,
        c.threadszerocopy?.status === "ok",
      );
    }
  }
  const small = all.sizes[16384];
  if (small) {
    for (const e of Object.values(small.workloads)) {
      if (e.missing || e.table !== "main") continue;
      for (const mode of ["forward", "grad"]) {
        const c = e.cells[mode];
        push(
          `16384 ${e.label} ${MODE[mode]}: ${T} threads within 5% of 1 thread`,
          ratio(c.threads, c.wasm),
          0.95,
          c.threads?.status === "ok",
        );
      }
    }
  }
  return out;
}
