// The typed table of the WebAssembly exports (assembly/index.ts): every kernel with its
// parameters named, and the mode flags as named constants. Families call kernels through a
// Launch (dispatch.ts) with this table's names, so a wrong argument count or kind is a compile
// error. Conventions of every kernel (see docs/internals.md):
//   - pointers (Ptr) are unsigned byte offsets into linear memory; 0 means "absent" for the
//     optional outputs (lossOut, grad) and gradOut; they never alias an input unless the
//     kernel is elementwise (Launch's inPlace);
//   - `scale` multiplies the gradient where there is no gradOut (1/divisor for "mean");
//   - the return value is the float64 sum of the losses the call computed (void: transforms).

/** A byte offset in linear memory, unsigned: 0 ≤ Ptr < 2^32. */
export type Ptr = number & { readonly __ptr: unique symbol };

export interface Kernels {
  allocate(bytes: number): Ptr;
  release(ptr: Ptr): void;
  setThreadScratch(ptr: Ptr): void;
  threadScratchBytes(): number;

  // assembly/regression.ts
  l1(x: Ptr, y: Ptr, n: number, lossOut: Ptr, grad: Ptr, gradOut: Ptr, scale: number): number;
  mse(x: Ptr, y: Ptr, n: number, lossOut: Ptr, grad: Ptr, gradOut: Ptr, scale: number): number;
  /** Huber (mode PIECEWISE.huber, a = delta) or SmoothL1 (mode PIECEWISE.smoothL1, a = beta). */
  piecewise(
    x: Ptr,
    y: Ptr,
    n: number,
    lossOut: Ptr,
    grad: Ptr,
    gradOut: Ptr,
    scale: number,
    a: number,
    mode: number,
  ): number;

  // assembly/binary.ts: w (pw) = 0 means every weight is wScalar (pwScalar).
  bceWithLogits(
    x: Ptr,
    y: Ptr,
    n: number,
    lossOut: Ptr,
    grad: Ptr,
    gradOut: Ptr,
    scale: number,
    w: Ptr,
    wScalar: number,
    pw: Ptr,
    pwScalar: number,
  ): number;
  bce(
    x: Ptr,
    y: Ptr,
    n: number,
    lossOut: Ptr,
    grad: Ptr,
    gradOut: Ptr,
    scale: number,
    w: Ptr,
    wScalar: number,
  ): number;
  sigmoid(x: Ptr, out: Ptr, n: number): void;
  logSigmoid(x: Ptr, out: Ptr, n: number): void;

  // assembly/multiclass.ts: N samples of D positions, class stride `stride` (see there).
  crossEntropy(
    x: Ptr,
    tgt: Ptr,
    probs: Ptr,
    w: Ptr,
    N: number,
    C: number,
    D: number,
    stride: number,
    lossOut: Ptr,
    grad: Ptr,
    gradOut: Ptr,
    scale: number,
    eps: number,
    wAll: number,
  ): number;
  nll(
    x: Ptr,
    tgt: Ptr,
    w: Ptr,
    N: number,
    C: number,
    D: number,
    stride: number,
    lossOut: Ptr,
    grad: Ptr,
    gradOut: Ptr,
    scale: number,
  ): number;
  softmax(x: Ptr, out: Ptr, N: number, C: number, D: number, stride: number, log: number): void;

  // assembly/divergence.ts
  /** KL or Poisson NLL, by `mode` (DIVERGENCE); a = eps of Poisson without logInput. */
  divergence(
    x: Ptr,
    t: Ptr,
    n: number,
    lossOut: Ptr,
    grad: Ptr,
    gradOut: Ptr,
    scale: number,
    eps: number,
    mode: number,
  ): number;

  // assembly/margin.ts
  multiLabelSoftMargin(
    x: Ptr,
    t: Ptr,
    w: Ptr,
    rows: number,
    C: number,
    lossOut: Ptr,
    grad: Ptr,
    gradOut: Ptr,
    scale: number,
  ): number;
  /** SoftMargin or HingeEmbedding, by `mode` (MARGIN). */
  marginPointwise(
    x: Ptr,
    y: Ptr,
    n: number,
    lossOut: Ptr,
    grad: Ptr,
    gradOut: Ptr,
    scale: number,
    margin: number,
    mode: number,
  ): number;

  // assembly/threeinput.ts: rows of C elements; z per row when zPerRow.
  threeInput(
    x: Ptr,
    z: Ptr,
    y: Ptr,
    rows: number,
    C: number,
    zPerRow: number,
    lossOut: Ptr,
    gx: Ptr,
    gz: Ptr,
    gradOut: Ptr,
    scale: number,
    a: number,
    mode: number,
  ): number;

  // assembly/ranking.ts
  multiMargin(
    x: Ptr,
    y: Ptr,
    rows: number,
    C: number,
    w: Ptr,
    lossOut: Ptr,
    grad: Ptr,
    gradOut: Ptr,
    scale: number,
    p: number,
    margin: number,
  ): number;
  /** `mask`: C·4 bytes of per-thread scratch. */
  multiLabelMargin(
    x: Ptr,
    y: Ptr,
    rows: number,
    C: number,
    mask: Ptr,
    lossOut: Ptr,
    grad: Ptr,
    gradOut: Ptr,
    scale: number,
  ): number;

  // assembly/embedding.ts
  cosineEmbedding(
    a: Ptr,
    b: Ptr,
    y: Ptr,
    rows: number,
    dim: number,
    lossOut: Ptr,
    ga: Ptr,
    gb: Ptr,
    gradOut: Ptr,
    scale: number,
    margin: number,
  ): number;
  tripletMargin(
    a: Ptr,
    p: Ptr,
    n: Ptr,
    rows: number,
    dim: number,
    lossOut: Ptr,
    gA: Ptr,
    gP: Ptr,
    gN: Ptr,
    gradOut: Ptr,
    scale: number,
    margin: number,
    power: number,
    eps: number,
    swap: number,
  ): number;

  // assembly/ctc.ts: lp/grad [T, frame, C] (frames of lpFrame / gradFrame samples); meta: per
  // sample i32 [inputLength, targetLength, targetOffset]; alpha/beta/ext/skip per-thread scratch.
  ctc(
    lp: Ptr,
    lpFrame: number,
    T: number,
    N: number,
    C: number,
    blank: number,
    tgt: Ptr,
    meta: Ptr,
    nll: Ptr,
    grad: Ptr,
    gradFrame: number,
    gr: Ptr,
    zeroInf: number,
    alpha: Ptr,
    beta: Ptr,
    ext: Ptr,
    skip: Ptr,
  ): void;
}

export type KernelName = Exclude<
  keyof Kernels,
  "allocate" | "release" | "setThreadScratch" | "threadScratchBytes"
>;

/** Every export the wrapper calls; a binary missing one is refused at instantiation. */
export const EXPORTS: ReadonlyArray<keyof Kernels> = [
  "allocate",
  "release",
  "setThreadScratch",
  "threadScratchBytes",
  "l1",
  "mse",
  "piecewise",
  "bceWithLogits",
  "bce",
  "sigmoid",
  "logSigmoid",
  "crossEntropy",
  "nll",
  "softmax",
  "divergence",
  "multiLabelSoftMargin",
  "marginPointwise",
  "threeInput",
  "multiMargin",
  "multiLabelMargin",
  "cosineEmbedding",
  "tripletMargin",
  "ctc",
];

/** The typed table of an instance's exports, after checking that every kernel is there. */
export function kernelTable(exports: WebAssembly.Exports): Kernels {
  for (const name of EXPORTS) {
    if (typeof exports[name] !== "function")
      throw new Error(`wasm-loss: the WebAssembly module lacks the export '${name}'`);
  }
  return exports as unknown as Kernels;
}

/** `mode` of piecewise. */
export const PIECEWISE = { huber: 0, smoothL1: 1 } as const;

/** `mode` of divergence: KL (target as probabilities or as log-probabilities), Poisson NLL. */
export const DIVERGENCE = {
  kl: (logTarget: boolean): number => (logTarget ? 1 : 0),
  /** Input as rate (2) or as log-rate (4); +1 adds the Stirling term (`full`). */
  poisson: (logInput: boolean, full: boolean): number => (logInput ? 4 : 2) + (full ? 1 : 0),
} as const;

/** `mode` of marginPointwise. */
export const MARGIN = { softMargin: 0, hingeEmbedding: 1 } as const;

/** `mode` of threeInput. */
export const THREE_INPUT = {
  gaussianNll: (full: boolean): number => (full ? 1 : 0),
  marginRanking: 2,
} as const;
