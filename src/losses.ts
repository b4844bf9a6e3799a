// Every loss family, in one namespace (LossMeter.addBatch looks losses up here by name).
export * from "./regression";
export * from "./binary";
export * from "./multiclass";
export * from "./divergence";
export * from "./margin";
export * from "./ranking";
export * from "./embedding";
export * from "./ctc";
