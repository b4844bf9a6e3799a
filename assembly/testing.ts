// Test-only entry (test/math.test.ts): the allocator and the raw vector exp/log of math.ts,
// built beside the shipped binaries (build/test/) so that the shipped ones do not carry them.
export { allocate, release } from "./memory";
export { mathExp4, mathLog4 } from "./math";
