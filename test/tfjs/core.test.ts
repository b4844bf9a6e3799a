// Every twin gives the core API's results bit for bit on the same data: the value (with and
// without tfjs recording a gradient), the gradients of every differentiated input, with dy = 1
// for a reduced loss and dy as the core's gradOutput for "none". On the cpu and wasm backends.
import { describe, expect, it } from "vitest";
import * as core from "../../src/index";
import * as twin from "../../src/tfjs/index";
import { cases, coreCall, coreOf, twinCall, type Case } from "./cases";
import { BACKENDS, seeded, tf, uniform, useBackend } from "./setup";

/** Bits of float32 values, so that -0, NaN payloads and ±Infinity must match exactly. */
const bits = (v: number | ArrayLike<number>): number[] =>
  Array.from(new Uint32Array(Float32Array.from(typeof v === "number" ? [v] : v).buffer));

function checkCase(c: Case, reduction: string): void {
  const { diffTensors, call, owned } = twinCall(c, reduction);
  const { args, options } = coreCall(c, reduction);
  const unreduced = reduction === "none";

  // No gradient recorded: the core's xLoss.
  const plain = call(...diffTensors);
  const expected = coreOf(c.name)(...args, options);
  expect(bits(plain.dataSync()), `${c.name} ${reduction}: value`).toEqual(bits(expected));
  expect(plain.shape, `${c.name} ${reduction}: shape`).toEqual(unreduced ? lossShape(c) : []);

  // Recorded: value and gradients of the core's xLossWithGrad (dy as gradOutput for "none").
  const dy = unreduced ? tf.tensor(uniform(seeded(5), plain.size, -2, 2), plain.shape) : undefined;
  const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => call(...xs))(diffTensors, dy);
  const fused = coreOf(`${c.name}WithGrad`)(
    ...args,
    dy ? { ...options, gradOutput: dy.dataSync() } : options,
  );
  const coreGrads: Float32Array[] = fused.grads ?? [fused.grad];
  expect(bits(value.dataSync()), `${c.name} ${reduction}: value under a gradient`).toEqual(
    bits(fused.loss),
  );
  expect(grads.length).toBe(coreGrads.length);
  grads.forEach((g, i) => {
    expect(g.shape, `${c.name} ${reduction}: gradient ${i} shape`).toEqual(diffTensors[i].shape);
    expect(bits(g.dataSync()), `${c.name} ${reduction}: gradient ${i}`).toEqual(bits(coreGrads[i]));
  });
  tf.dispose([plain, value, ...grads, ...owned, ...(dy ? [dy] : [])]);
}

/** The unreduced loss's shape: per element, or per row of the last axis. */
function lossShape(c: Case): number[] {
  const rowWise = [
    "crossEntropyLoss",
    "nllLoss",
    "multiLabelSoftMarginLoss",
    "multiMarginLoss",
    "multiLabelMarginLoss",
    "cosineEmbeddingLoss",
    "tripletMarginLoss",
  ];
  const shape = c.args[0].shape;
  return rowWise.includes(c.name) ? shape.slice(0, -1) : shape;
}

for (const backend of BACKENDS) {
  describe(`wasm-loss/tfjs on the tfjs ${backend} backend: bitwise the core API`, () => {
    const all = cases();

    it("the cases cover every loss of the core API", () => {
      const losses = Object.keys(core).filter(
        (k) => k.endsWith("Loss") && typeof (core as Record<string, unknown>)[k] === "function",
      );
      expect(losses.length).toBe(20);
      expect(new Set([...all.map((c) => c.name), "ctcLoss"])).toEqual(new Set(losses));
      for (const name of losses)
        expect(typeof (twin as Record<string, unknown>)[name], name).toBe("function");
    });

    for (const c of all) {
      for (const reduction of c.reductions) {
        it(`${c.name} (${c.args.map((a) => `[${a.shape}] ${a.dtype}`).join(", ")}${c.tensorOption ? `, ${c.tensorOption.key} as a tensor` : ""}), reduction "${reduction}"`, async () => {
          await useBackend(backend);
          checkCase(c, reduction);
        });
      }
    }

    it("a reduced loss's gradient scaled by an upstream dy other than 1 is the float32 product, as tf.mul gives", async () => {
      await useBackend(backend);
      const x = tf.tensor2d(uniform(seeded(3), 12, -2, 2), [4, 3]);
      const y = tf.tensor1d([0, 2, 1, 1], "int32");
      const [g] = tf.grads((a: tf.Tensor) => twin.crossEntropyLoss(a, y))([x], tf.scalar(2.5));
      const base = core.crossEntropyLossWithGrad(
        x.dataSync() as Float32Array,
        new Int32Array([0, 2, 1, 1]),
        { classes: 3 },
      ).grad;
      const product = tf.mul(tf.tensor(base, [4, 3]), tf.scalar(2.5));
      expect(bits(g.dataSync())).toEqual(bits(product.dataSync()));
      tf.dispose([x, y, g, product]);
    });

    it("ctcLoss: batch-major [N, T, C] equals the core on the time-major [T, N, C] copy, gradient transposed back", async () => {
      await useBackend(backend);
      const N = 3,
        T = 7,
        C = 5;
      const random = seeded(9);
      const lpBatch = tf.tidy(() =>
        tf.logSoftmax(tf.tensor3d(uniform(random, N * T * C, -2, 2), [N, T, C])),
      );
      const lpTime = tf.tidy(() => tf.transpose(lpBatch, [1, 0, 2]));
      const targets = tf.tensor2d([1, 2, 2, 3, 4, 0, 1, 0, 0], [3, 3], "int32");
      const inputLengths = [7, 6, 5],
        targetLengths = tf.tensor1d([3, 2, 1], "int32");
      for (const reduction of ["mean", "sum", "none"] as const) {
        for (const zeroInfinity of [false, true]) {
          const options = { reduction, zeroInfinity, blank: 0 };
          const coreArgs = [
            lpTime.dataSync(),
            targets.dataSync(),
            inputLengths,
            targetLengths.dataSync(),
          ] as const;
          const coreOptions = { ...options, shape: [T, N, C] };
          const plain = twin.ctcLoss(lpBatch, targets, inputLengths, targetLengths, options);
          expect(bits(plain.dataSync())).toEqual(
            bits(
              core.ctcLoss(
                ...(coreArgs as [Float32Array, Int32Array, number[], Int32Array]),
                coreOptions,
              ),
            ),
          );
          const dy = reduction === "none" ? tf.tensor1d([0.5, -1, 2]) : undefined;
          const { value, grad } = tf.valueAndGrad((lp: tf.Tensor) =>
            twin.ctcLoss(lp, targets, inputLengths, targetLengths, options),
          )(lpBatch, dy);
          const fused = core.ctcLossWithGrad(
            ...(coreArgs as [Float32Array, Int32Array, number[], Int32Array]),
            dy ? { ...coreOptions, gradOutput: dy.dataSync() as Float32Array } : coreOptions,
          );
          expect(bits(value.dataSync())).toEqual(bits(fused.loss));
          const back = tf.tidy(() => tf.transpose(tf.tensor3d(fused.grad, [T, N, C]), [1, 0, 2]));
          expect(grad.shape).toEqual([N, T, C]);
          expect(bits(grad.dataSync())).toEqual(bits(back.dataSync()));
          tf.dispose([plain, value, grad, back, ...(dy ? [dy] : [])]);
        }
      }
      tf.dispose([lpBatch, lpTime, targets, targetLengths]);
    });

    it("crossEntropyLoss on channels-last [N, d1, d2, C] with labels [N, d1, d2] is PyTorch's K-dimensional loss on [N, C, d1, d2]", async () => {
      await useBackend(backend);
      const [N, d1, d2, C] = [2, 3, 2, 4];
      const random = seeded(12);
      const x = tf.tensor4d(uniform(random, N * d1 * d2 * C, -3, 3), [N, d1, d2, C]);
      const y = tf.tensor3d(
        Int32Array.from({ length: N * d1 * d2 }, () => Math.floor(random() * C)),
        [N, d1, d2],
        "int32",
      );
      const pytorchLayout = tf.tidy(() => tf.transpose(x, [0, 3, 1, 2]));
      const options = { weight: [1, 2, 0.5, 1.5], labelSmoothing: 0.05 };
      for (const reduction of ["mean", "none"] as const) {
        const { value, grad } = tf.valueAndGrad((a: tf.Tensor) =>
          twin.crossEntropyLoss(a, y, { ...options, reduction }),
        )(x);
        const fused = core.crossEntropyLossWithGrad(
          pytorchLayout.dataSync() as Float32Array,
          y.dataSync() as Int32Array,
          { ...options, reduction, shape: [N, C, d1, d2] },
        );
        expect(value.shape).toEqual(reduction === "none" ? [N, d1, d2] : []);
        const close = (a: ArrayLike<number>, b: ArrayLike<number>) =>
          Array.from(a).every((v, i) => Math.abs(v - b[i]) <= 1e-6 * (1 + Math.abs(b[i])));
        expect(
          close(value.dataSync(), typeof fused.loss === "number" ? [fused.loss] : fused.loss),
        ).toBe(true);
        const back = tf.tidy(() =>
          tf.transpose(tf.tensor4d(fused.grad, [N, C, d1, d2]), [0, 2, 3, 1]),
        );
        expect(close(grad.dataSync(), back.dataSync())).toBe(true);
        tf.dispose([value, grad, back]);
      }
      tf.dispose([x, y, pytorchLayout]);
    });

    it("the transforms' values are the core's softmax, logSoftmax (last axis), sigmoid and logSigmoid", async () => {
      await useBackend(backend);
      const values = uniform(seeded(4), 24, -30, 30);
      const x = tf.tensor3d(values, [2, 3, 4]);
      expect(bits(twin.softmax(x).dataSync())).toEqual(bits(core.softmax(values, { classes: 4 })));
      expect(bits(twin.logSoftmax(x).dataSync())).toEqual(
        bits(core.logSoftmax(values, { classes: 4 })),
      );
      expect(bits(twin.sigmoid(x).dataSync())).toEqual(bits(core.sigmoid(values)));
      expect(bits(twin.logSigmoid(x).dataSync())).toEqual(bits(core.logSigmoid(values)));
      expect(twin.softmax(x).shape).toEqual([2, 3, 4]);
    });
  });
}
