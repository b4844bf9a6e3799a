// Bad input: the core's errors (its class and message, under the twin's name, with the tensors'
// dtypes and shapes appended), the adapter's own for what only tensors have (dtype, shape,
// disposal), thrown before any tensor is made: no tensor is left behind, none of the caller's is
// disposed or changed, and the next call works.
import { beforeAll, describe, expect, it } from "vitest";
import * as twin from "../../src/tfjs/index";
import { tf, useBackend } from "./setup";

type Bad = [
  string,
  () => unknown,
  ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor,
  RegExp,
];

describe("wasm-loss/tfjs: bad input", () => {
  let logits: tf.Tensor,
    labels: tf.Tensor,
    probs: tf.Tensor,
    a: tf.Tensor,
    b: tf.Tensor,
    disposed: tf.Tensor;
  let snapshot: Array<[tf.Tensor, number[]]>;
  beforeAll(async () => {
    await useBackend("cpu");
    logits = tf.tensor2d([
      [1, 2, 3, 4, 5],
      [0, 0, 0, 0, 0],
      [5, 4, 3, 2, 1],
      [1, 1, 2, 2, 3],
    ]);
    labels = tf.tensor1d([0, 4, 2, 1], "int32");
    probs = tf.fill([4, 5], 0.2);
    a = tf.tensor1d([1, 2, 3]);
    b = tf.tensor1d([1, 2, 3, 4]);
    disposed = tf.tensor1d([1, 2, 3]);
    disposed.dispose();
    snapshot = [logits, labels, probs, a, b].map((t) => [t, Array.from(t.dataSync())]);
  });

  const bad = (): Bad[] => [
    [
      "a non-tensor input",
      () => twin.crossEntropyLoss([1, 2] as never, labels),
      TypeError,
      /^crossEntropyLoss: 'input' must be a tf\.Tensor that is not disposed; received an Array of length 2$/,
    ],
    [
      "a disposed input",
      () => twin.mseLoss(disposed, a),
      TypeError,
      /^mseLoss: 'input' must be a tf\.Tensor that is not disposed; received a disposed float32 tf\.Tensor of shape \[3\]$/,
    ],
    [
      "an int32 input (it is differentiated)",
      () => twin.mseLoss(tf.tensor1d([1, 2, 3], "int32"), a),
      TypeError,
      /^mseLoss: 'input' must be a float32 tf\.Tensor .*received an int32 tf\.Tensor of shape \[3\] \(use tf\.cast\(input, "float32"\)\)$/,
    ],
    [
      "float32 class indices",
      () => twin.crossEntropyLoss(logits, tf.tensor1d([0, 4, 2, 1])),
      TypeError,
      /^crossEntropyLoss: 'target' holds class indices and must be an int32 tf\.Tensor; received a float32 tf\.Tensor of shape \[4\] \(use tf\.cast\(target, "int32"\)\)$/,
    ],
    [
      "input and target of different shapes",
      () => twin.mseLoss(a, b),
      RangeError,
      /^mseLoss: 'input' and 'target' must have the same shape; received input shape \[3\] and target shape \[4\]$/,
    ],
    [
      "class targets of neither shape",
      () =>
        twin.crossEntropyLoss(
          logits,
          tf.tensor2d(
            [
              [0, 1],
              [1, 0],
              [0, 1],
              [1, 0],
            ],
            [4, 2],
            "int32",
          ),
        ),
      RangeError,
      /^crossEntropyLoss: 'target' must have shape \[4\] \(or \[4, 1\]\) \(class indices, int32\) or \[4, 5\] \(class probabilities\); received shape \[4, 2\]$/,
    ],
    [
      "probabilities for nllLoss",
      () => twin.nllLoss(logits, probs),
      RangeError,
      /^nllLoss: 'target' must have shape \[4\] \(or \[4, 1\]\) \(class indices, int32\); received shape \[4, 5\]$/,
    ],
    [
      "a scalar where classes are needed",
      () => twin.softmax(tf.scalar(1)),
      RangeError,
      /^softmax: 'input' must have rank >= 1 \(classes on the last axis\); received shape \[\]$/,
    ],
    [
      "a class index out of range (the core's check)",
      () => twin.crossEntropyLoss(logits, tf.tensor1d([0, 7, 2, 1], "int32")),
      RangeError,
      /^crossEntropyLoss: 'target' must hold class indices in \[0, 5\).*received 7 at position 1 \(tensors: input float32 \[4, 5\], target int32 \[4\]\)$/,
    ],
    [
      "the same, while tfjs records a gradient (the core's …WithGrad runs)",
      () =>
        tf.grad((x: tf.Tensor) => twin.crossEntropyLoss(x, tf.tensor1d([0, 7, 2, 1], "int32")))(
          logits,
        ),
      RangeError,
      /^crossEntropyLoss: 'target' must hold class indices in \[0, 5\).*received 7 at position 1 \(tensors: input float32 \[4, 5\], target int32 \[4\]\)$/,
    ],
    [
      "an unknown reduction (the core's check)",
      () => twin.l1Loss(a, a, { reduction: "avg" as never }),
      RangeError,
      /^l1Loss: 'reduction' must be one of "mean", "sum", "none"; received the string "avg" \(tensors: input float32 \[3\], target float32 \[3\]\)$/,
    ],
    [
      "an out-of-domain option (the core's check)",
      () => twin.crossEntropyLoss(logits, labels, { labelSmoothing: 2 }),
      RangeError,
      /^crossEntropyLoss: 'labelSmoothing' must be a number in \[0, 1\]; received 2 \(tensors: /,
    ],
    [
      "a class weight tensor of the wrong length (the core's check)",
      () => twin.crossEntropyLoss(logits, labels, { weight: tf.ones([3]) }),
      RangeError,
      /^crossEntropyLoss: 'weight' must be one value per class \(length 5\); received length 3 \(tensors: /,
    ],
    [
      "a layout option",
      () => twin.crossEntropyLoss(logits, labels, { classes: 5 } as never),
      TypeError,
      /^crossEntropyLoss: 'classes' is not an option in wasm-loss\/tfjs: the layout is read from the tensor shapes \(classes on the last axis\); received classes = the number 5$/,
    ],
    [
      "an output option",
      () => twin.mseLoss(a, a, { gradInto: new Float32Array(3) } as never),
      TypeError,
      /^mseLoss: 'gradInto' is not an option in wasm-loss\/tfjs: gradients come from tfjs's backpropagation/,
    ],
    [
      "options that are not an object",
      () => twin.mseLoss(a, a, 3 as never),
      TypeError,
      /^mseLoss: 'options' must be an object; received the number 3$/,
    ],
    [
      "variance of an unusable shape",
      () => twin.gaussianNllLoss(logits, logits, tf.ones([5])),
      RangeError,
      /^gaussianNllLoss: 'variance' must have the input's shape \[4, 5\] or one value per row, shape \[4\] \(or \[4, 1\]\); received shape \[5\]$/,
    ],
    [
      "negative variance (the core's check)",
      () => twin.gaussianNllLoss(a, a, tf.tensor1d([1, -1, 1])),
      RangeError,
      /^gaussianNllLoss: 'variance' must be non-negative everywhere; received -1 at index 1 \(tensors: input float32 \[3\], target float32 \[3\], variance float32 \[3\]\)$/,
    ],
    [
      "ctcLoss log-probabilities of rank 1",
      () => twin.ctcLoss(a, [1], [3], [1]),
      RangeError,
      /^ctcLoss: 'logProbs' must have shape \[N, T, C\] \(batch-major\) or \[T, C\] \(one sequence\); received shape \[3\]$/,
    ],
    [
      "ctcLoss lengths of the wrong shape",
      () => twin.ctcLoss(tf.zeros([2, 3, 4]), [1, 2], tf.tensor1d([3, 3, 3], "int32"), [1, 1]),
      RangeError,
      /^ctcLoss: 'inputLengths' must have shape \[2\] or \[2, 1\] \(one length per sample\); received shape \[3\]$/,
    ],
    [
      "ctcLoss an input length beyond T (the core's check)",
      () => twin.ctcLoss(tf.zeros([2, 3, 4]), [1, 2], [3, 4], [1, 1]),
      RangeError,
      /^ctcLoss: 'inputLengths' must lie in \[0, 3\].*element 1 is 4 \(tensors: logProbs float32 \[2, 3, 4\]; the core's shape \[T, N, C\] = \[3, 2, 4\]\)$/,
    ],
    [
      "a misspelt option (the core's check: the nearest option, and the twin's options only)",
      () => twin.crossEntropyLoss(logits, labels, { labelSmothing: 0.1 } as never),
      TypeError,
      /^crossEntropyLoss: unknown option 'labelSmothing' \(did you mean 'labelSmoothing'\?\); its options are 'reduction', 'weight', 'ignoreIndex', 'labelSmoothing' \(tensors: input float32 \[4, 5\], target int32 \[4\]\)$/,
    ],
    [
      "the same while tfjs records a gradient",
      () =>
        tf.grad((x: tf.Tensor) =>
          twin.crossEntropyLoss(x, labels, { labelSmothing: 0.1 } as never),
        )(logits),
      TypeError,
      /^crossEntropyLoss: unknown option 'labelSmothing' \(did you mean 'labelSmoothing'\?\); its options are 'reduction', 'weight', 'ignoreIndex', 'labelSmoothing' \(tensors: /,
    ],
    [
      "an option of another loss (the core's check)",
      () => twin.mseLoss(a, a, { delta: 1 } as never),
      TypeError,
      /^mseLoss: option 'delta' does not apply to mseLoss \(it is an option of huberLoss\); its options are 'reduction' \(tensors: input float32 \[3\], target float32 \[3\]\)$/,
    ],
    [
      "forLayers of something that is not a loss",
      () => twin.forLayers("crossEntropyLoss" as never),
      TypeError,
      /^forLayers: 'lossFn' must be a loss function of wasm-loss\/tfjs; received string$/,
    ],
  ];

  it("each throws its documented class and message, leaves no tensor behind and changes none of the caller's", () => {
    const cases = bad();
    for (const [what, call, Class, message] of cases) {
      const before = tf.memory().numTensors;
      let error: unknown = null;
      try {
        tf.tidy(() => void call());
      } catch (e) {
        error = e;
      }
      expect(error, what).toBeInstanceOf(Class);
      expect((error as Error).constructor, `${what}: exactly ${Class.name}`).toBe(Class);
      expect((error as Error).message, what).toMatch(message);
      expect(tf.memory().numTensors, `${what}: no tensor left behind`).toBe(before);
    }
    for (const [t, values] of snapshot) {
      expect(t.isDisposed).toBe(false);
      expect(Array.from(t.dataSync())).toEqual(values);
    }
    expect(twin.crossEntropyLoss(logits, labels).dataSync()[0]).toBeGreaterThan(0);
  });

  it("the core's error is the cause of the restated one", () => {
    try {
      twin.crossEntropyLoss(logits, tf.tensor1d([0, 7, 2, 1], "int32"));
      expect.fail("no error");
    } catch (e) {
      expect(((e as Error).cause as Error).message).toMatch(
        /^crossEntropyLoss: 'target' must hold class indices in \[0, 5\).*received 7 at position 1$/,
      );
    }
  });
});
