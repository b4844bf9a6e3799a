// Shapes of the row-wise losses. tfjs is channels-last, so a row (the classes of a sample, an
// embedding) is the last axis: an input [d0, …, dk, C] is the core's `classes: C` (or `dim`)
// layout with d0·…·dk rows, read in place, and what is per row (class indices, per-row targets,
// the unreduced loss) has the shape [d0, …, dk].

import type * as tf from "@tensorflow/tfjs-core";
import { sameShape, shapeError, shapeText } from "./tensors";

export interface Rows {
  /** The last axis: classes, or the embedding dimension. */
  width: number;
  /** The shape of one value per row: the input's shape without its last axis. */
  shape: number[];
}

export function rows(fn: string, arg: string, x: tf.Tensor, axis = "classes"): Rows {
  if (x.rank < 1) throw shapeError(fn, arg, `rank >= 1 (${axis} on the last axis)`, x);
  return { width: x.shape[x.rank - 1], shape: x.shape.slice(0, -1) };
}

/** Whether `t` holds one value per row: shape [d0, …, dk], or [d0, …, dk, 1] (Keras' habit). */
export function perRow(t: tf.Tensor, r: Rows): boolean {
  return sameShape(t.shape, r.shape) || sameShape(t.shape, [...r.shape, 1]);
}

/** "shape [4] (or [4, 1])", for messages. */
export const perRowText = (r: Rows): string =>
  `shape ${shapeText(r.shape)} (or ${shapeText([...r.shape, 1])})`;
