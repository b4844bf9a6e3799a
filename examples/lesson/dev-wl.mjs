export * from "../../build/browser.mjs";
import { jsBceWithLogitsWithGrad, jsCrossEntropyWithGrad } from "./naive.mjs";
const f = Math.fround;
export function bceWithLogitsLoss(x, y, o = {}) {
  const out = Float32Array.from(x, (v, i) => Math.max(v, 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v))));
  return o.reduction === "none" ? out : out.reduce((a, b) => a + b, 0) / out.length;
}
export function bceLoss(p, y) { return f(-(y[0] * Math.max(Math.log(p[0]), -100) + (1 - y[0]) * Math.max(Math.log(1 - p[0]), -100))); }
export function crossEntropyLoss(x, t, o) {
  const C = o.classes, out = new Float32Array(t.length);
  for (let r = 0; r < t.length; r++) { let m = -Infinity; for (let c = 0; c < C; c++) m = Math.max(m, x[r*C+c]); let s = 0; for (let c = 0; c < C; c++) s += Math.exp(x[r*C+c]-m); out[r] = m + Math.log(s) - x[r*C+t[r]]; }
  return o.reduction === 'none' ? out : out.reduce((a, b) => a + b, 0) / out.length;
}
export function bceWithLogitsLossWithGrad(x, y, o) { return { loss: f(jsBceWithLogitsWithGrad(x, y, o.gradInto)), grad: o.gradInto }; }
export function crossEntropyLossWithGrad(x, t, o) { return { loss: f(jsCrossEntropyWithGrad(x, t, o.classes, o.gradInto)), grad: o.gradInto }; }
