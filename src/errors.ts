// The error messages of the whole API, in one leaf module (no imports): every message names the
// function, the argument, what was expected and what was received.

/** A short description of any received value, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `an Array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    const len = (value as unknown as { length?: number }).length;
    return len === undefined ? `a ${name}` : `a ${name} of length ${len}`;
  }
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "function") return "a function";
  if (typeof value === "object")
    return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return `${typeof value} ${String(value)}`;
}

export function typeError(fn: string, arg: string, expected: string, received: unknown): TypeError {
  return new TypeError(`${fn}: '${arg}' must be ${expected}; received ${describe(received)}`);
}

export function rangeError(
  fn: string,
  arg: string,
  expected: string,
  received: string,
): RangeError {
  return new RangeError(`${fn}: '${arg}' must be ${expected}; received ${received}`);
}
