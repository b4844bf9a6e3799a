// The body of every pool thread. The pool starts it from its source text (workerSource()), in
// Node (worker_threads, eval) and in browsers (a module Worker from a Blob), so that the one-file
// bundle needs no worker file of its own: the function may therefore refer to nothing outside
// itself, not even a constant. Its protocol with the calling thread is described in threads.ts.

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped on purpose: see above */
function poolThread(d: any): void {
  const [GEN, NEXT, DONE, KERNEL, PIECES, ERROR, ACK, READY] = d.slots as number[];
  const ctl = new Int32Array(d.control, 0, d.ints);
  const args = new Float64Array(d.control, d.argsAt, d.maxPieces * d.maxArgs);
  const strides = new Float64Array(d.control, d.stridesAt, d.maxArgs);
  const partials = new Float64Array(d.control, d.partialsAt, d.maxPieces);
  const ex = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports as any;
  ex.setThreadScratch(d.scratch);
  const fns = (d.names as string[]).map((n) => ex[n]);
  const index: number = d.index,
    M: number = d.maxArgs;
  const v = new Float64Array(M);
  let seen = Atomics.load(ctl, GEN); // before READY: a job posted right after is not missed
  Atomics.add(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  const spinMs: number = d.spinMs;
  for (;;) {
    // Poll a moment before sleeping (threads.ts's SPIN_MS says why); wait() returns at once if
    // the generation has moved.
    const until = performance.now() + spinMs;
    while (Atomics.load(ctl, GEN) === seen && performance.now() < until);
    Atomics.wait(ctl, GEN, seen);
    seen = Atomics.load(ctl, GEN);
    const fn = fns[ctl[KERNEL]];
    const P = ctl[PIECES];
    for (let p = Atomics.add(ctl, NEXT, 1); p < P; p = Atomics.add(ctl, NEXT, 1)) {
      const o = p * M;
      for (let i = 0; i < M; i++) v[i] = args[o + i] + strides[i] * index;
      try {
        partials[p] = fn(
          v[0],
          v[1],
          v[2],
          v[3],
          v[4],
          v[5],
          v[6],
          v[7],
          v[8],
          v[9],
          v[10],
          v[11],
          v[12],
          v[13],
          v[14],
          v[15],
          v[16],
        );
      } catch {
        Atomics.store(ctl, ERROR, 1);
      }
      if (Atomics.add(ctl, DONE, 1) === P - 1) Atomics.notify(ctl, DONE);
    }
    Atomics.add(ctl, ACK, 1);
    Atomics.notify(ctl, ACK);
  }
}

/** The source text of the pool thread's function, which the platform calls with the thread's
 *  data (the `d` above). */
export function poolThreadSource(): string {
  return poolThread.toString();
}
