// The thread pool: threads()-1 pool threads (worker.ts) plus the calling thread, each running its
// own instance of the threaded build over one shared memory. A job is a batch of pieces of one
// kernel call (dispatch.ts): the caller writes each piece's arguments to a shared table, bumps
// the generation and wakes the pool; every thread, the caller included, claims pieces with an
// atomic counter and stores each piece's float64 result in its own slot; the caller waits until
// all pieces are done (Atomics.wait, or a spin where it may not block) and adds the results in
// piece order. Which thread ran a piece changes nothing in it, so results do not depend on the
// thread count. A pool thread acknowledges every job once it finds no piece left; the caller
// writes the next job only after every acknowledgement, so no thread ever reads a half-written job.

import { EXPORTS } from "./kernels";
import type { Kernels, Ptr } from "./kernels";
import { canBlock, startThread, type ThreadHandle } from "./platform";
import { poolThreadSource } from "./worker";

/** Most parameters of any kernel (ctc's 17); pool threads pass exactly this many. */
export const MAX_ARGS = 17;
/** Most pieces in one job (the table's rows). */
const MAX_PIECES = 1024;
/** A batch with fewer pieces runs on the calling thread alone: handing a single piece (32,768
 *  elements) to the pool cannot save anything. */
const MIN_PIECES_FOR_POOL = 2;
/** How long a pool thread polls for the next job before it sleeps, and the calling thread for
 *  the last pieces before it blocks (ms). A call from ordinary arrays posts one job per scratch
 *  window, a few hundred microseconds apart, and a wake-up from Atomics.wait costs 50–200 µs on
 *  a loaded machine: a short poll keeps the pool on the job (as OpenMP's and pthreadpool's
 *  threads spin before they sleep), and costs at most this much idle CPU after the last job. */
const SPIN_MS = 1;

// The control block's int32 slots.
const GEN = 0,
  NEXT = 1,
  DONE = 2,
  KERNEL = 3,
  PIECES = 4,
  ERROR = 5,
  ACK = 6,
  READY = 7;
const INTS = 8;

interface Buffers {
  control: ArrayBufferLike;
  ctl: Int32Array;
  args: Float64Array;
  strides: Float64Array;
  partials: Float64Array;
  maxPieces: number;
}

function buffers(shared: boolean): Buffers {
  const argsAt = 64,
    stridesAt = argsAt + MAX_PIECES * MAX_ARGS * 8,
    partialsAt = stridesAt + MAX_ARGS * 8;
  const bytes = partialsAt + MAX_PIECES * 8;
  const control = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return {
    control,
    ctl: new Int32Array(control, 0, INTS),
    args: new Float64Array(control, argsAt, MAX_PIECES * MAX_ARGS),
    strides: new Float64Array(control, stridesAt, MAX_ARGS),
    partials: new Float64Array(control, partialsAt, MAX_PIECES),
    maxPieces: MAX_PIECES,
  };
}

interface Pool {
  threads: ThreadHandle[];
  scratch: Ptr[];
  /** Jobs handed to the pool so far (each pool thread acknowledges each one). */
  jobs: number;
  /** Why the pool can no longer run (a thread stopped), or null. */
  broken: string | null;
}

let local: Buffers = buffers(false);
let pool: Pool | null = null;
let fns: Array<(...a: number[]) => number> = [];

/** Threads the kernels use now (1: the calling thread only). */
export function threadCount(): number {
  return pool === null ? 1 : pool.threads.length + 1;
}

/** The job table of the next kernel call. */
export function jobBuffers(): Buffers {
  return local;
}

/** Binds the calling thread's kernels (after each instantiation). */
export function bindKernels(kernels: Kernels): void {
  fns = EXPORTS.map((n) => kernels[n] as unknown as (...a: number[]) => number);
}

export interface PoolStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** One per-thread scratch block for each pool thread. */
  scratch: Ptr[];
}

/** Starts `s.scratch.length` pool threads; resolves (or, `sync`, returns) once all are ready. */
export function startPool(s: PoolStart, sync: boolean): Promise<void> | void {
  const b = buffers(true);
  const p: Pool = { threads: [], scratch: s.scratch, jobs: 0, broken: null };
  const source = poolThreadSource();
  const base = {
    module: s.module,
    memory: s.memory,
    control: b.control,
    ints: INTS,
    names: EXPORTS,
    slots: [GEN, NEXT, DONE, KERNEL, PIECES, ERROR, ACK, READY],
    argsAt: b.args.byteOffset,
    stridesAt: b.strides.byteOffset,
    partialsAt: b.partials.byteOffset,
    maxPieces: MAX_PIECES,
    maxArgs: MAX_ARGS,
    spinMs: SPIN_MS,
  };
  s.scratch.forEach((scratch, i) => {
    p.threads.push(
      startThread(source, { ...base, index: i + 1, scratch }, (why) => {
        p.broken ??= `pool thread ${i + 1} stopped: ${why}`;
      }),
    );
  });
  pool = p;
  local = b;
  const ready = () => Atomics.load(b.ctl, READY) >= s.scratch.length;
  const failed = () => {
    if (p.broken === null) return false;
    stopPool();
    throw new Error(`init: could not start the thread pool (${p.broken})`);
  };
  if (sync) {
    if (!canBlock)
      throw new Error(
        "initSync: starting threads needs init() (await it) on a browser's main thread",
      );
    while (!ready()) {
      Atomics.wait(b.ctl, READY, Atomics.load(b.ctl, READY), 50);
      if (!p.threads.every((t) => t.alive())) p.broken ??= "a pool thread stopped while starting";
      failed();
    }
    return;
  }
  return new Promise<void>((resolve, reject) => {
    const poll = () => {
      try {
        if (!p.threads.every((t) => t.alive())) p.broken ??= "a pool thread stopped while starting";
        failed();
      } catch (e) {
        reject(e);
        return;
      }
      if (ready()) resolve();
      else setTimeout(poll, 2);
    };
    poll();
  });
}

/** Stops the pool threads (their scratch is returned by the caller: stopPool gives it back). */
export function stopPool(): Ptr[] {
  const p = pool;
  pool = null;
  local = buffers(false);
  if (p === null) return [];
  for (const t of p.threads) t.terminate();
  return p.scratch;
}

/** Test hook: stops pool thread `i` as if it had died. */
export function stopThreadForTests(i: number): void {
  pool?.threads[i].terminate();
}

/** Test hook: how many batches the pool has run since it started. */
export function poolJobsForTests(): number {
  return pool?.jobs ?? 0;
}

/** Why calls cannot run now (a pool thread stopped), or null. */
export function poolProblem(): string | null {
  if (pool === null) return null;
  if (pool.broken === null && !pool.threads.every((t) => t.alive()))
    pool.broken = "a pool thread stopped";
  return pool.broken;
}

function brokenError(fn: string, why: string): Error {
  return new Error(
    `${fn}: the thread pool cannot run (${why}); call init({ threads }) again to restart it`,
  );
}

/**
 * Runs `pieces` pieces of kernel `kernel` whose arguments are in the job table rows 0..pieces-1,
 * each result to partials[piece]: on the pool when it has threads, the batch is large enough and
 * the caller did not ask for `here` (the calling thread), else on the calling thread. Throws
 * (after all started pieces ended) if a pool thread failed.
 */
export function execute(fn: string, kernel: number, pieces: number, here = false): void {
  const p = pool;
  if (p !== null) {
    const why = poolProblem();
    if (why !== null) throw brokenError(fn, why);
  }
  const { ctl, args, partials } = local;
  const f = fns[kernel];
  if (p === null || here || pieces < MIN_PIECES_FOR_POOL) {
    for (let i = 0; i < pieces; i++) partials[i] = runPiece(f, args, i);
    return;
  }
  // Every pool thread has acknowledged the previous job: its fields may be rewritten.
  waitFor(fn, p, ctl, ACK, p.jobs * p.threads.length);
  ctl[KERNEL] = kernel;
  ctl[PIECES] = pieces;
  ctl[ERROR] = 0;
  Atomics.store(ctl, NEXT, 0);
  Atomics.store(ctl, DONE, 0);
  p.jobs++;
  Atomics.add(ctl, GEN, 1);
  Atomics.notify(ctl, GEN);
  for (let i = Atomics.add(ctl, NEXT, 1); i < pieces; i = Atomics.add(ctl, NEXT, 1)) {
    partials[i] = runPiece(f, args, i);
    Atomics.add(ctl, DONE, 1);
  }
  waitFor(fn, p, ctl, DONE, pieces);
  if (ctl[ERROR] !== 0) {
    p.broken ??= "a piece failed in a pool thread";
    throw brokenError(fn, p.broken);
  }
}

/** One piece on the calling thread (thread index 0: per-thread scratch needs no offset). */
function runPiece(f: (...a: number[]) => number, a: Float64Array, i: number): number {
  const o = i * MAX_ARGS;
  return f(
    a[o],
    a[o + 1],
    a[o + 2],
    a[o + 3],
    a[o + 4],
    a[o + 5],
    a[o + 6],
    a[o + 7],
    a[o + 8],
    a[o + 9],
    a[o + 10],
    a[o + 11],
    a[o + 12],
    a[o + 13],
    a[o + 14],
    a[o + 15],
    a[o + 16],
  );
}

/** Waits until ctl[slot] >= target: Atomics.wait in slices (checking that the pool threads are
 *  alive), or a spin on a browser's main thread that gives up when nothing progresses for 30 s. */
function waitFor(fn: string, p: Pool, ctl: Int32Array, slot: number, target: number): void {
  const until = performance.now() + SPIN_MS;
  while (Atomics.load(ctl, slot) < target && performance.now() < until);
  let last = Atomics.load(ctl, slot);
  let since = Date.now();
  while (last < target) {
    if (canBlock) Atomics.wait(ctl, slot, last, 20);
    const now = Atomics.load(ctl, slot);
    if (now !== last) {
      last = now;
      since = Date.now();
      continue;
    }
    const why =
      poolProblem() ?? (Date.now() - since > 30_000 ? "no pool thread progressed for 30 s" : null);
    if (why !== null) {
      p.broken ??= why;
      throw brokenError(fn, why);
    }
  }
}
