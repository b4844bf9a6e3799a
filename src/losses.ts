// Every loss family (re-exported by index.ts).
export * from "./regression";
export * from "./binary";
export * from "./multiclass";
export * from "./divergence";
export * from "./margin";
export * from "./ranking";
export * from "./embedding";
export * from "./ctc";
