// How one kernel call is carried out. The work is cut into pieces whose boundaries depend only on
// the shape of the data (whole units: elements, rows or samples, about PIECE elements a piece);
// ordinary arrays stream through the scratch window, a group of whole pieces at a time; the pieces
// of a window run on every thread of the pool (threads.ts) or on the calling thread alone; each
// piece's float64 sum is kept apart and the sums are added in piece order. So the same pieces, the
// same kernel calls and the same order of additions happen for any thread count and any mix of
// copied and in-place (alloc()) arrays: every result is bitwise the same. See docs/internals.md.

import type { KernelName, Kernels, Ptr } from "./kernels";
import { EXPORTS } from "./kernels";
import { heap, liveView, residentOffset, scratch, WINDOW_BYTES } from "./memory";
import { MAX_ARGS, execute, jobBuffers, threadCount } from "./threads";

/** Elements of the main input per piece: enough work (10–100 µs) that the cost of a kernel call
 *  and of sharing out the pieces is a few percent even for the cheapest loss, and small enough
 *  that a call of 1M elements has 32 pieces to share among threads (docs/benchmarks.md, "Pieces
 *  and the scratch window": 16,384-element pieces cost the cheapest losses 15–20%). */
const PIECE = 32768;
let pieceElements = PIECE;

/** Elements per piece (of the main input). */
export function pieceSize(): number {
  return pieceElements;
}

/** Test hook: smaller pieces cut even small calls into many, so that the test suites exercise
 *  the pool and the piece boundaries on every fixture. Results then differ from the default's
 *  only by the order of their float64 additions. `undefined` restores the default. */
export function setPieceSizeForTests(elements: number | undefined): void {
  pieceElements = elements ?? PIECE;
}

/** Units per piece for units of `size` elements: whole units, about PIECE elements, a multiple
 *  of 4 units when that is more than one (the SIMD kernels group rows by 4). */
export function unitsPerPiece(size: number): number {
  const k = Math.max(1, Math.floor(pieceElements / Math.max(1, size)));
  return k >= 8 ? k & ~3 : k;
}

/** The shape of a call's work: `units` units of which `perPiece` make a piece. With `positions`
 *  (K-dimensional multiclass samples of D positions) a sample larger than a piece is cut into
 *  ranges of `span` positions (the last range takes the rest, so none is shorter than `span`). */
export interface Work {
  units: number;
  perPiece: number;
  positions?: number;
  span?: number;
}

/** Number-parameter markers, resolved per piece. */
export const COUNT = Symbol("units in the piece");
export const SPAN = Symbol("positions per sample in the piece");
export interface FrameMarker {
  readonly frameOf: Arg;
}
type Marker = typeof COUNT | typeof SPAN | FrameMarker;

/** Where the elements of an input come from: a float array, or class indices converted to int32
 *  as they are copied (validated before any copy). */
export interface IndexSource {
  readonly length: number;
  /** Writes its elements [start, start + count) into `heap` from index `at` on. */
  copyTo(heap: Int32Array, at: number, start: number, count: number): void;
}
type Source = Float32Array | Float64Array | IndexSource;

/** One array argument of a kernel call, declared on a Launch. */
export class Arg {
  /** Byte offset of this argument's region in the scratch block (streamed, whole or temp). */
  slot = 0;
  /** A fresh result array (outputs without `into` that do not live in module memory). */
  fresh: Float32Array<ArrayBuffer> | undefined;
  /** Elements of the whole array (set by run()). */
  length = 0;
  /** Byte offset of its region of the scratch block, while run() runs (streamed, whole arrays). */
  at = 0;

  constructor(
    readonly name: string,
    readonly kind: "in" | "out" | "whole" | "temp",
    readonly source: Source | null,
    /** Elements per unit (in, out); elements (whole); bytes per thread (temp). */
    readonly size: number,
    /** Byte offset in module memory when the array lives there (alloc()), else -1. */
    readonly resident: number,
    readonly into: Float32Array | undefined,
    /** Time-major layouts (CTC): a unit is `size` elements in each of `rows` rows of `rowStride`. */
    readonly rows: number,
    readonly rowStride: number,
    readonly int: boolean,
  ) {}

  /** Marker for a kernel's frame parameter: samples per row of this array where it lies now. */
  get frame(): FrameMarker {
    return { frameOf: this };
  }

  get streamed(): boolean {
    return (this.kind === "in" || this.kind === "out") && this.resident < 0;
  }
}

/** The absent optional argument (pointer 0). */
export const NONE = 0;

type Param<P> = P extends Ptr ? Arg | typeof NONE : number | Marker;
type Params<P extends unknown[]> = { [I in keyof P]: Param<P[I]> };
/** The arguments of kernel K in its order: arrays as Args, numbers as numbers or markers. */
export type ArgList<K extends KernelName> = Params<Parameters<Kernels[K]>>;

/**
 * One kernel call: declare its arrays (the only step that looks at where they live), then run()
 * plans the scratch window (the only step that may grow memory; a RangeError then, before any
 * kernel runs), streams, runs the pieces and returns the float64 sum of their results in piece
 * order. Outputs are in each output Arg's `into` or `fresh` afterwards.
 */
export class Launch {
  private readonly args: Arg[] = [];

  /** `inPlace`: the kernel is elementwise, so an output may be exactly one of its inputs (the
   *  same alloc() range); otherwise outputs must not overlap inputs in module memory at all.
   *  `light`: the kernel does a few arithmetic operations per element (L1, MSE, Huber), so when
   *  the call copies plain arrays through the window, the copy costs more than the kernel and the
   *  pool only adds its hand-off: such windows run on the calling thread (measured: 1,235 M
   *  elements/s on 2 threads against 1,900 on one). The pieces and their order are the same. */
  constructor(
    readonly fn: string,
    readonly inPlace = false,
    readonly light = false,
  ) {}

  private add(a: Arg): Arg {
    this.args.push(a);
    return a;
  }

  /** An input of `perUnit` elements per unit, used in place when it lives in module memory. */
  input(
    name: string,
    a: Float32Array | Float64Array,
    perUnit: number,
    layout?: { rows: number; rowStride: number },
  ): Arg {
    const resident = a instanceof Float32Array ? residentOffset(this.fn, name, a) : -1;
    return this.add(
      new Arg(
        name,
        "in",
        a,
        perUnit,
        resident,
        undefined,
        layout?.rows ?? 1,
        layout?.rowStride ?? 0,
        false,
      ),
    );
  }

  /** An int32 input (class indices, lengths), converted as it is copied. */
  indices(name: string, source: IndexSource, perUnit: number): Arg {
    return this.add(new Arg(name, "in", source, perUnit, -1, undefined, 1, 0, true));
  }

  /** A small input every piece reads whole (class weights): copied once per call. */
  whole(name: string, a: Float32Array | IndexSource): Arg {
    const resident = a instanceof Float32Array ? residentOffset(this.fn, name, a) : -1;
    return this.add(
      new Arg(name, "whole", a, a.length, resident, undefined, 1, 0, !(a instanceof Float32Array)),
    );
  }

  /** A float32 result of `perUnit` elements per unit, written to `into` when given. */
  output(
    name: string,
    perUnit: number,
    into?: Float32Array,
    layout?: { rows: number; rowStride: number },
  ): Arg {
    const resident = into ? residentOffset(this.fn, name, into) : -1;
    return this.add(
      new Arg(
        name,
        "out",
        null,
        perUnit,
        resident,
        into,
        layout?.rows ?? 1,
        layout?.rowStride ?? 0,
        false,
      ),
    );
  }

  /** Scratch of `bytes` per thread that the kernel uses internally. */
  temp(bytes: number): Arg {
    return this.add(
      new Arg("scratch", "temp", null, Math.ceil(bytes / 16) * 16, -1, undefined, 1, 0, false),
    );
  }

  /** Runs kernel `k` over `work`; returns Σ of the pieces' results in piece order (0 for void kernels). */
  run<K extends KernelName>(k: K, params: ArgList<K>, work: Work): number {
    const list = params as unknown as ReadonlyArray<Arg | number | Marker>;
    const units = work.units;
    let bytesPerUnit = 0,
      placed = false;
    const streamed: Arg[] = [];
    for (const a of this.args) {
      a.length = a.kind === "whole" ? a.size : a.kind === "temp" ? 0 : units * a.size * a.rows;
      if (a.kind === "out" && a.into === undefined && a.resident < 0)
        a.fresh = new Float32Array(a.length);
      if (a.resident >= 0) placed = true;
      if (a.streamed) {
        streamed.push(a);
        bytesPerUnit += a.size * a.rows * 4;
      }
    }
    if (placed) this.checkApart(work);
    const positions = work.positions ?? 1;
    const span = work.span !== undefined && work.span < positions ? work.span : positions;
    const ranges = span < positions ? Math.max(1, Math.floor(positions / span)) : 1; // pieces per sample
    const pieceUnits = ranges > 1 ? 1 : work.perPiece;
    if (units === 0) return 0;

    // The window: as many whole pieces as their streamed slices fit in WINDOW_BYTES (at least one
    // piece; one whole sample when pieces are ranges of a sample's positions).
    const threads = threadCount();
    let windowUnits = units;
    if (bytesPerUnit > 0) {
      const fit = Math.max(1, Math.floor(WINDOW_BYTES / (bytesPerUnit * pieceUnits)));
      windowUnits = Math.min(units, pieceUnits * fit);
    }
    // Scratch: streamed windows, whole arrays, per-thread temps.
    let bytes = 0;
    for (const a of this.args) {
      if (a.streamed) {
        a.slot = bytes;
        bytes += align(windowUnits * a.size * a.rows * 4);
      } else if (a.kind === "whole" && a.resident < 0) {
        a.slot = bytes;
        bytes += align(a.size * 4);
      } else if (a.kind === "temp") {
        a.slot = bytes;
        bytes += a.size * threads;
      }
    }
    const base = bytes > 0 ? scratch(this.fn, bytes) : 0;
    for (const a of this.args) {
      if (a.kind === "whole" && a.resident < 0) {
        a.at = base + a.slot;
        copyIn(a, 0, 1);
      }
    }
    for (const a of streamed) a.at = base + a.slot;

    // Each parameter of a piece is origin + u0·perUnit + d0·perPosition (bytes), where u0 is the
    // piece's first unit and d0 its first position; the markers' parameters are set after.
    const n = list.length;
    const { args, strides, partials, maxPieces } = jobBuffers();
    let count = -1,
      spanAt = -1,
      frames = 0;
    for (let i = 0; i < n; i++) {
      const v = list[i];
      strides[i] = 0;
      perUnit[i] = 0;
      perPosition[i] = 0;
      origin[i] = 0;
      role[i] = FIXED;
      if (typeof v === "number") origin[i] = v;
      else if (v === COUNT) count = i;
      else if (v === SPAN) spanAt = i;
      else if (!(v instanceof Arg)) {
        role[i] = FRAME;
        frameArgs[i] = v.frameOf;
        frames++;
      } else if (v.kind === "whole") origin[i] = v.resident >= 0 ? v.resident : base + v.slot;
      else if (v.kind === "temp") {
        origin[i] = base + v.slot;
        strides[i] = v.size;
      } else {
        perUnit[i] = v.size * 4;
        perPosition[i] = 4;
        origin[i] = v.resident >= 0 ? v.resident : base + v.slot;
        if (v.streamed) role[i] = WINDOWED;
      }
    }

    const kernelIndex = KERNEL_INDEX.get(k)!;
    let total = 0;
    for (let w0 = 0; w0 < units; w0 += windowUnits) {
      const w1 = Math.min(units, w0 + windowUnits);
      for (const a of streamed) if (a.kind === "in") copyIn(a, w0, w1);
      // Streamed arrays start at their window: unit w0 is at the window's first byte.
      for (let i = 0; i < n; i++)
        if (role[i] === WINDOWED) origin[i] = base + (list[i] as Arg).slot - w0 * perUnit[i];
      // The window's pieces, dispatched in batches that fit the job table.
      const pieces = Math.ceil((w1 - w0) / pieceUnits) * ranges;
      for (let b0 = 0; b0 < pieces; b0 += maxPieces) {
        const b1 = Math.min(pieces, b0 + maxPieces);
        for (let p = b0; p < b1; p++) {
          let u0: number,
            units0: number,
            d0 = 0,
            dn = positions;
          if (ranges > 1) {
            u0 = w0 + Math.floor(p / ranges);
            const r = p % ranges;
            d0 = r * span;
            dn = r === ranges - 1 ? positions - d0 : span;
            units0 = 1;
          } else {
            u0 = w0 + p * pieceUnits;
            units0 = Math.min(pieceUnits, w1 - u0);
          }
          const row = (p - b0) * MAX_ARGS;
          for (let i = 0; i < n; i++)
            args[row + i] = origin[i] + u0 * perUnit[i] + d0 * perPosition[i];
          if (count >= 0) args[row + count] = units0;
          if (spanAt >= 0) args[row + spanAt] = dn;
          if (frames > 0) {
            for (let i = 0; i < n; i++) {
              if (role[i] !== FRAME) continue;
              const a = frameArgs[i]!;
              args[row + i] = a.resident >= 0 ? a.rowStride / a.size : w1 - w0;
            }
          }
        }
        execute(this.fn, kernelIndex, b1 - b0, this.light && streamed.length > 0);
        for (let p = 0; p < b1 - b0; p++) total += partials[p];
      }
      for (const a of streamed) if (a.kind === "out") copyOut(a, w0, w1);
    }
    return total;
  }

  /** The array output `a` holds after run(): the caller's `into` (a live view of it if the
   *  call's scratch detached it), or a fresh array. */
  result(a: Arg): Float32Array {
    if (a.resident >= 0) return liveView(a.into!, a.resident, a.length);
    return (a.into ?? a.fresh)!;
  }

  /** The aliasing policy of every kernel: an output in module memory must not overlap an input
   *  or another output there (kernels re-read inputs after writing), except that an elementwise
   *  kernel (inPlace) may write over exactly the input it reads. */
  private checkApart(work: Work): void {
    const span = (a: Arg): [number, number] => {
      const n =
        a.kind === "whole"
          ? a.size
          : a.rows > 1
            ? a.rowStride * (a.rows - 1) + work.units * a.size
            : work.units * a.size;
      return [a.resident, a.resident + n * 4];
    };
    for (const out of this.args) {
      if (out.kind !== "out" || out.resident < 0) continue;
      const [lo, hi] = span(out);
      for (const other of this.args) {
        if (other === out || other.resident < 0 || hi === lo) continue;
        const [olo, ohi] = span(other);
        if (olo >= hi || lo >= ohi) continue;
        if (this.inPlace && other.kind === "in" && olo === lo && ohi === hi) continue;
        throw new RangeError(
          `${this.fn}: '${out.name}' must not share memory with '${other.name}'; received two overlapping views on one alloc() block ` +
            `(use a separate alloc() view for the output)`,
        );
      }
    }
  }
}

const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

// The per-parameter plan of the call being run (reused: run() is never re-entered).
const FIXED = 0,
  WINDOWED = 1,
  FRAME = 2;
const origin = new Float64Array(MAX_ARGS),
  perUnit = new Float64Array(MAX_ARGS),
  perPosition = new Float64Array(MAX_ARGS);
const role = new Uint8Array(MAX_ARGS);
const frameArgs: Array<Arg | undefined> = new Array(MAX_ARGS);
const KERNEL_INDEX = new Map(EXPORTS.map((name, i) => [name, i]));

/** Copies units [u0, u1) of input `a` into its window (rows after one another). */
function copyIn(a: Arg, u0: number, u1: number): void {
  const n = (u1 - u0) * a.size;
  const src = a.source!;
  const h = heap();
  for (let r = 0; r < a.rows; r++) {
    const from = r * a.rowStride + u0 * a.size;
    const at = (a.at >>> 2) + r * n;
    if (a.int) (src as IndexSource).copyTo(h.i32, at, from, n);
    else {
      const f = src as Float32Array | Float64Array;
      h.f32.set(from === 0 && n === f.length ? f : f.subarray(from, from + n), at);
    }
  }
}

/** Copies units [u0, u1) of output `a` from its window to its result array. */
function copyOut(a: Arg, u0: number, u1: number): void {
  const n = (u1 - u0) * a.size;
  const out = (a.into ?? a.fresh)!;
  const h = heap().f32;
  for (let r = 0; r < a.rows; r++) {
    const at = (a.at >>> 2) + r * n;
    out.set(h.subarray(at, at + n), r * a.rowStride + u0 * a.size);
  }
}
