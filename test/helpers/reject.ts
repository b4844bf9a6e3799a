// The shape of every bad-input test: the call throws `cls` with a message matching each pattern,
// changes none of `arrays`, and the module still computes correctly afterwards (`stillWorks`).
import { expect } from "vitest";

export function expectRejected(
  call: () => unknown,
  cls: typeof TypeError | typeof RangeError,
  patterns: RegExp | RegExp[],
  arrays: ArrayLike<unknown>[],
  stillWorks: () => void,
): void {
  const before = arrays.map((a) => Array.from(a));
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, "the call must throw").toBeInstanceOf(cls);
  for (const p of Array.isArray(patterns) ? patterns : [patterns])
    expect((error as Error).message).toMatch(p);
  arrays.forEach((a, i) => expect(Array.from(a), `argument ${i} unchanged`).toEqual(before[i]));
  stillWorks();
}
