// The core's errors as a twin reports them: the twin's name in front (a `…WithGrad` call made on
// the twin's behalf is the twin's call), a list of valid options without those a twin does not
// have, and the tensors' dtypes and shapes after the core's message, which speaks of array
// lengths. The class (TypeError, RangeError, Error) is kept, and the core's error is the cause.

import { NOT_OPTIONS } from "./options";

/** Runs one core call for the twin `fn`; what it throws comes out with `context()` appended. */
export function coreCall<T>(fn: string, context: () => string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    throw restate(fn, e, context);
  }
}

function restate(fn: string, e: unknown, context: () => string): unknown {
  if (!(e instanceof Error)) return e;
  const Class = e instanceof RangeError ? RangeError : e instanceof TypeError ? TypeError : Error;
  let message = e.message.startsWith(`${fn}WithGrad:`)
    ? `${fn}:${e.message.slice(fn.length + "WithGrad:".length)}`
    : e.message;
  // An unknown option: the core lists its own options, layout and outputs included.
  message = message.replace(
    /(its options are )((?:'[^']+'(?:, )?)+)/,
    (_, head: string, list: string) =>
      head +
      list
        .split(", ")
        .filter((o) => !Object.hasOwn(NOT_OPTIONS, o.slice(1, -1)))
        .join(", "),
  );
  const tensors = context();
  if (Class !== Error && tensors) message += ` (tensors: ${tensors})`;
  return new Class(message, { cause: e });
}
