// The module's exports: one line per kernel family. Kernels take byte offsets into linear memory
// (see pointwise.ts for the shared calling convention) and assume validated input.
export { allocate, release } from "./memory";
export { setThreadScratch, threadScratchBytes } from "./scratch";
export * from "./regression";
export * from "./binary";
export * from "./multiclass";
export * from "./divergence";
export * from "./margin";
export * from "./threeinput";
export * from "./ranking";
export * from "./embedding";
export * from "./ctc";
