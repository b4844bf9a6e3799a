"""PyTorch's answers for the differential fuzzer (test/fuzz/): reads one JSON call per line on
stdin, writes one JSON answer per line on stdout, in order. Run with /usr/bin/python3 (Debian's
torch 1.13); one process serves a whole campaign.

Call:   {"fn": "crossEntropyLoss", "grad": true, "args": [...], "options": {...}}
        Float arrays are {"f32": base64 of little-endian float32}, integer arrays {"int": [...]};
        the numbers NaN and ±Infinity are the strings "NaN", "Infinity", "-Infinity".
Answer: {"raised": "ValueError: ..."} when torch refuses the call, else
        {"t32": result, "t64": result}: PyTorch in float32 (its own answer, autograd gradients)
        and the same call in float64 on the same float32 inputs (the exact answer), each
        {"loss": value, "grads": [value, ...]} with arrays as {"f32": ...} / {"f64": ...} base64
        and scalars as numbers (or the strings above); t64 also has "mag", for a reduced loss
        the same reduction of its terms' absolute values (null otherwise).

Which reference each function uses where Debian's 1.13 differs from the 2.x behaviour that the
project follows: see calls.py.
"""
import base64
import json
import math
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from calls import CALLS  # noqa: E402

torch.set_num_threads(1)
warnings.simplefilter("ignore")  # broadcasting warnings: a call that only warns is accepted


def number(v):
    if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
        return float(v.replace("Infinity", "inf").replace("NaN", "nan"))
    return v


def decode(v):
    if isinstance(v, dict) and "f32" in v:
        return torch.from_numpy(np.frombuffer(base64.b64decode(v["f32"]), dtype="<f4").copy())
    if isinstance(v, dict) and "int" in v:
        return torch.tensor(v["int"], dtype=torch.int64)
    if isinstance(v, dict):
        return {k: decode(x) for k, x in v.items()}
    return number(v)


def num(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def encode(t, dtype):
    t = t.detach()
    if t.dim() == 0:
        return num(t.item())
    np_type, key = ("<f4", "f32") if dtype == torch.float32 else ("<f8", "f64")
    return {key: base64.b64encode(t.reshape(-1).to(dtype).numpy().astype(np_type).tobytes()).decode()}


def magnitude(call):
    """For a reduced loss: the same reduction of |per-element losses| (float64), the size of the
    terms whose sum may cancel (the comparison's floor for the scalar loss is 1e-6 of it)."""
    o = call["options"]
    r = o.get("reduction", "mean")
    if call["fn"] in ("softmax", "logSoftmax", "sigmoid", "logSigmoid") or r not in ("mean", "sum", "batchmean"):
        return None
    f, tensors, _ = CALLS[call["fn"]](call["args"], {**o, "reduction": "none"}, torch.float64)
    with torch.no_grad():
        l = f(*tensors).abs().reshape(-1)
    if r == "sum":
        return num(l.sum())
    if call["fn"] == "ctcLoss":
        return num((l / call["args"][3].clamp_min(1)).mean())
    if r == "batchmean":
        return num(l.sum() / (l.numel() // int(o.get("classes", 1))))
    t = call["args"][1] if len(call["args"]) > 1 else None
    if call["fn"] in ("crossEntropyLoss", "nllLoss") and t is not None and not t.is_floating_point():
        w = o.get("weight")
        kept = t[t != int(o.get("ignoreIndex", -100))]
        return num(l.sum() / (w.double()[kept].sum() if w is not None else kept.numel()))
    return num(l.mean())


# Every option name of the JavaScript API. Any other name is a keyword argument PyTorch does not
# know, which it refuses with a TypeError: so does this reference.
OPTIONS = {
    "reduction", "lossInto", "gradOutput", "gradInto", "gradsInto", "out", "classes", "shape", "dim",
    "weight", "posWeight", "ignoreIndex", "labelSmoothing", "delta", "beta", "logTarget", "logInput",
    "full", "eps", "margin", "p", "swap", "blank", "zeroInfinity",
}


def run(call, dtype):
    for key in call["options"]:
        if key not in OPTIONS:
            raise TypeError(f"{call['fn']}() got an unexpected keyword argument '{key}'")
    f, tensors, wrt = CALLS[call["fn"]](call["args"], call["options"], dtype)
    leaves = [t.detach().clone().requires_grad_(i in wrt) if t.is_floating_point() else t for i, t in enumerate(tensors)]
    grad = call.get("grad", False) and wrt
    with torch.set_grad_enabled(bool(grad)):
        out = f(*leaves)
    result = {"loss": encode(out, dtype), "grads": []}
    if grad:
        go = call["options"].get("gradOutput")
        go = torch.ones_like(out) if go is None else go.to(out.dtype).reshape(out.shape)
        if out.requires_grad:
            grads = torch.autograd.grad(out, [leaves[i] for i in wrt], grad_outputs=go, allow_unused=True)
        else:  # nothing depends on the inputs (e.g. CTC without frames)
            grads = [None] * len(wrt)
        result["grads"] = [encode(torch.zeros_like(leaves[i]) if g is None else g, dtype) for i, g in zip(wrt, grads)]
    return result


def answer(line):
    call = json.loads(line)
    call["args"] = [decode(a) for a in call["args"]]
    call["options"] = decode(call.get("options", {}))
    try:
        t32 = run(call, torch.float32)
    except (KeyError, AttributeError, NameError):
        raise  # a bug of this script, not torch refusing the call
    except Exception as e:  # torch refuses the call: that is the answer
        return {"raised": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"}
    t64 = run(call, torch.float64)
    try:
        t64["mag"] = magnitude(call)
    except (RuntimeError, ValueError, IndexError):  # no "none" form of this call: no floor
        t64["mag"] = None
    return {"t32": t32, "t64": t64}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = answer(line)
        except Exception as e:  # a bug of this script, not torch refusing: say so
            out = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out, separators=(",", ":")) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
