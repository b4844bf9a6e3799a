// Strict options: every function refuses an option name it does not know (a typo must never
// compute silently with a default), names the nearest valid option, and says when an option
// belongs to another function. PyTorch raises on an unexpected keyword argument too.
import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { expectRejected } from "./helpers/reject";
import { forEachBackend } from "./helpers/run";

const f = (...v: number[]) => new Float32Array(v);

/** Every function taking options, with arguments and options that are valid on their own. */
const calls: Array<[string, (o: Record<string, unknown>) => unknown, Record<string, unknown>]> = [
  ["l1Loss", (o) => api.l1Loss(f(1, 2), f(0, 0), o as never), {}],
  ["mseLoss", (o) => api.mseLoss(f(1, 2), f(0, 0), o as never), {}],
  ["huberLoss", (o) => api.huberLoss(f(1, 2), f(0, 0), o as never), { delta: 0.5 }],
  ["smoothL1Loss", (o) => api.smoothL1Loss(f(1, 2), f(0, 0), o as never), { beta: 0.5 }],
  [
    "bceWithLogitsLoss",
    (o) => api.bceWithLogitsLoss(f(1, 2), f(0, 1), o as never),
    { posWeight: 2 },
  ],
  ["bceLoss", (o) => api.bceLoss(f(0.5, 0.2), f(0, 1), o as never), { weight: 2 }],
  ["sigmoid", (o) => api.sigmoid(f(1, 2), o as never), {}],
  ["logSigmoid", (o) => api.logSigmoid(f(1, 2), o as never), {}],
  ["crossEntropyLoss", (o) => api.crossEntropyLoss(f(1, 2), [0], o as never), { classes: 2 }],
  ["nllLoss", (o) => api.nllLoss(f(-1, -2), [0], o as never), { classes: 2 }],
  ["softmax", (o) => api.softmax(f(1, 2), o as never), { classes: 2 }],
  ["logSoftmax", (o) => api.logSoftmax(f(1, 2), o as never), { classes: 2 }],
  ["klDivLoss", (o) => api.klDivLoss(f(-1, -2), f(0.5, 0.5), o as never), { logTarget: false }],
  ["poissonNllLoss", (o) => api.poissonNllLoss(f(1, 2), f(0, 1), o as never), { full: true }],
  [
    "gaussianNllLoss",
    (o) => api.gaussianNllLoss(f(1, 2), f(0, 1), f(1, 1), o as never),
    { eps: 1e-6 },
  ],
  ["softMarginLoss", (o) => api.softMarginLoss(f(1, 2), f(1, -1), o as never), {}],
  [
    "multiLabelSoftMarginLoss",
    (o) => api.multiLabelSoftMarginLoss(f(1, 2), f(0, 1), o as never),
    { classes: 2 },
  ],
  [
    "hingeEmbeddingLoss",
    (o) => api.hingeEmbeddingLoss(f(1, 2), f(1, -1), o as never),
    { margin: 1 },
  ],
  [
    "marginRankingLoss",
    (o) => api.marginRankingLoss(f(1, 2), f(0, 1), f(1, -1), o as never),
    { margin: 0 },
  ],
  ["multiMarginLoss", (o) => api.multiMarginLoss(f(1, 2), [0], o as never), { classes: 2 }],
  [
    "multiLabelMarginLoss",
    (o) => api.multiLabelMarginLoss(f(1, 2), [0, -1], o as never),
    { classes: 2 },
  ],
  [
    "cosineEmbeddingLoss",
    (o) => api.cosineEmbeddingLoss(f(1, 2), f(0, 1), [1], o as never),
    { dim: 2 },
  ],
  [
    "tripletMarginLoss",
    (o) => api.tripletMarginLoss(f(1, 2), f(0, 1), f(2, 2), o as never),
    { dim: 2 },
  ],
  [
    "ctcLoss",
    (o) => api.ctcLoss(f(-0.5, -1, -0.7, -0.7), [1], [2], [1], o as never),
    { shape: [2, 1, 2] },
  ],
];

const withGrad = (name: string) =>
  (api as unknown as Record<string, (...a: unknown[]) => unknown>)[`${name}WithGrad`];

forEachBackend(() => {
  describe("every function refuses an option it does not know", () => {
    for (const [name, call, valid] of calls) {
      it(`${name}: a typo of 'reduction' names it and the nearest option; the module keeps working`, () => {
        const before = call(valid);
        const expected =
          name === "sigmoid" || name === "logSigmoid" || name === "softmax" || name === "logSoftmax"
            ? new RegExp(
                `^${name}: unknown option 'outt' \\(did you mean 'out'\\?\\); its options are `,
              )
            : new RegExp(
                `^${name}: unknown option 'reducton' \\(did you mean 'reduction'\\?\\); its options are 'reduction', 'lossInto'`,
              );
        const typo = /softmax|sigmoid/i.test(name)
          ? { outt: new Float32Array(2) }
          : { reducton: "sum" };
        expectRejected(
          () => call({ ...valid, ...typo }),
          TypeError,
          expected,
          [],
          () => expect(call(valid)).toEqual(before),
        );
        expectRejected(
          () => call({ ...valid, zzz: 1 }),
          TypeError,
          new RegExp(`^${name}: unknown option 'zzz'; its options are`),
          [],
          () => undefined,
        );
      });
    }
    it("an option of another function says whose it is", () => {
      expect(() => api.bceLoss(f(0.5), f(1), { posWeight: 2 } as never)).toThrow(
        /^bceLoss: option 'posWeight' does not apply to bceLoss \(it is an option of bceWithLogitsLoss\); its options are 'reduction', 'lossInto', 'weight', 'classes'$/,
      );
      expect(() => api.mseLoss(f(1), f(0), { delta: 2 } as never)).toThrow(
        /option 'delta' does not apply to mseLoss \(it is an option of huberLoss/,
      );
      expect(() => api.l1Loss(f(1), f(0), { classes: 1 } as never)).toThrow(
        /option 'classes' does not apply to l1Loss \(it is an option of /,
      );
    });
    it("a gradient option on the loss alone points to its …WithGrad twin", () => {
      for (const [name, call, valid] of calls) {
        if (withGrad(name) === undefined) continue;
        const key = [
          "gaussianNllLoss",
          "marginRankingLoss",
          "cosineEmbeddingLoss",
          "tripletMarginLoss",
        ].includes(name)
          ? "gradsInto"
          : "gradInto";
        expect(() => call({ ...valid, [key]: [] }), name).toThrow(
          new RegExp(
            `^${name}: option '${key}' does not apply to ${name} \\(use ${name}WithGrad\\)`,
          ),
        );
      }
    });
    it("the …WithGrad twins refuse unknown options too, and accept their gradient options", () => {
      expect(() =>
        api.mseLossWithGrad(f(1, 2), f(0, 0), {
          gradInto: new Float32Array(2),
          gradIntoo: 1,
        } as never),
      ).toThrow(/^mseLossWithGrad: unknown option 'gradIntoo' \(did you mean 'gradInto'\?\)/);
      expect(() => api.crossEntropyLossWithGrad(f(1, 2), [0], { clases: 2 } as never)).toThrow(
        /unknown option 'clases' \(did you mean 'classes'\?\)/,
      );
      expect(
        api.crossEntropyLossWithGrad(f(1, 2), [0], { classes: 2, gradInto: new Float32Array(2) })
          .grad.length,
      ).toBe(2);
    });
    it("init and LossMeter.addBatch are strict too", async () => {
      await expect(api.init({ simdd: true } as never)).rejects.toThrow(
        /^init: unknown option 'simdd' \(did you mean 'simd'\?\)/,
      );
      const m = new api.LossMeter();
      expect(() =>
        m.addBatch(api.crossEntropyLoss, f(1, 2), [0], { classes: 2, weigth: f(1, 1) } as never),
      ).toThrow(
        /^LossMeter.addBatch\(crossEntropyLoss\): unknown option 'weigth' \(did you mean 'weight'\?\)/,
      );
      expect(m.batchCount).toBe(0);
    });
  });
});
