// Every bad argument throws before any WebAssembly call, with a message naming the function,
// the argument and what was received; no caller array changes; the module keeps working.
import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { forEachBackend } from "./helpers/run";

const REGRESSION = ["l1Loss", "mseLoss", "huberLoss", "smoothL1Loss"] as const;
type Fn = (...a: unknown[]) => unknown;
const fn = (name: string) => (api as unknown as Record<string, Fn>)[name];

function expectThrowsUntouched(
  call: () => unknown,
  error: new (...a: never[]) => Error,
  message: RegExp,
  arrays: Float32Array[],
): void {
  const before = arrays.map((a) => a.slice());
  expect(call).toThrow(error);
  expect(call).toThrow(message);
  arrays.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(before[i])));
  expect(api.mseLoss([1, 2], [1, 4])).toBe(2); // still usable
}

forEachBackend(() => {
  describe("regression losses: bad arguments", () => {
    for (const name of REGRESSION) {
      for (const suffix of ["", "WithGrad"]) {
        const f = `${name}${suffix}`;
        it(`${f}: rejects each bad argument with a clear error and writes nothing`, () => {
          const x = new Float32Array([1, 2, 3]),
            y = new Float32Array([0, 0, 0]);
          const g = new Float32Array([7, 7, 7]),
            l = new Float32Array([9, 9, 9]);
          const all = [x, y, g, l];
          const call =
            (...a: unknown[]) =>
            () =>
              fn(f)(...a);
          expectThrowsUntouched(
            call("abc", y),
            TypeError,
            new RegExp(`${f}: 'input' must be a Float32Array.*received the string`),
            all,
          );
          expectThrowsUntouched(
            call(x, new Int32Array(3)),
            TypeError,
            new RegExp(`${f}: 'target' must be .*received a Int32Array of length 3`),
            all,
          );
          expectThrowsUntouched(
            call(x, [1, "2", 3]),
            TypeError,
            /'target' must contain only numbers; element 1/,
            all,
          );
          expectThrowsUntouched(
            call(x, new Float32Array(4)),
            RangeError,
            /input.length = 3 and target.length = 4/,
            all,
          );
          expectThrowsUntouched(
            call(x, y, { reduction: "avg" }),
            RangeError,
            /'reduction' must be one of "mean", "sum", "none"; received the string "avg"/,
            all,
          );
          expectThrowsUntouched(call(x, y, 5), TypeError, /'options' must be an object/, all);
          expectThrowsUntouched(
            call(x, y, { reduction: "none", lossInto: new Float32Array(2) }),
            RangeError,
            /'lossInto' must be a Float32Array of length 3; received length 2/,
            all,
          );
          expectThrowsUntouched(
            call(x, y, { reduction: "mean", lossInto: l }),
            RangeError,
            /'lossInto' applies to reduction "none" only/,
            all,
          );
          if (suffix) {
            expectThrowsUntouched(
              call(x, y, { gradInto: new Float32Array(2) }),
              RangeError,
              /'gradInto' must be a Float32Array of length 3/,
              all,
            );
            expectThrowsUntouched(
              call(x, y, { gradInto: [0, 0, 0] }),
              TypeError,
              /'gradInto' must be a Float32Array/,
              all,
            );
            expectThrowsUntouched(
              call(x, y, { reduction: "none", gradOutput: new Float32Array(2), gradInto: g }),
              RangeError,
              /'gradOutput' must be of length 3/,
              all,
            );
            expectThrowsUntouched(
              call(x, y, { reduction: "sum", gradOutput: new Float32Array(3), gradInto: g }),
              RangeError,
              /'gradOutput' applies to reduction "none" only/,
              all,
            );
          }
        });
      }
    }

    it("huberLoss: delta <= 0, NaN or -Infinity is a RangeError; smoothL1Loss: beta < 0 or NaN is a RangeError (+Infinity is accepted, as PyTorch)", () => {
      const x = new Float32Array([1]);
      expect(() => api.huberLoss(x, x, { delta: 0 })).toThrow(
        /huberLoss: 'delta' must be a number > 0; received 0/,
      );
      expect(() => api.huberLossWithGrad(x, x, { delta: -1 })).toThrow(RangeError);
      expect(() => api.huberLoss(x, x, { delta: NaN })).toThrow(RangeError);
      expect(() => api.huberLoss(x, x, { delta: -Infinity })).toThrow(RangeError);
      expect(() => api.huberLoss(x, x, { delta: "1" as unknown as number })).toThrow(TypeError);
      expect(() => api.smoothL1Loss(x, x, { beta: -0.5 })).toThrow(
        /smoothL1Loss: 'beta' must be a number >= 0; received -0.5/,
      );
      expect(() => api.smoothL1LossWithGrad(x, x, { beta: NaN })).toThrow(RangeError);
      expect(() => api.smoothL1LossWithGrad(x, x, { beta: -Infinity })).toThrow(RangeError);
    });
  });
});
