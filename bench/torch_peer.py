"""PyTorch peer of bench/index.mjs, on the benchmark's own data: one thread, or TORCH_THREADS.

Protocol: one JSON request per line on stdin, one JSON answer per line on stdout.
  {"op": "load", "id", "arrays": [{"file", "dtype": "f32"|"i32", "shape"}], "warmup_s"}
      -> {"id", "forward": {"loss"}, "grad": {"loss", "grads"}}   (first calls, then warm-up)
  {"op": "repeat", "mode": "forward"|"grad", "repeat_s"}
      -> {"time", "calls"}   one repeat of >= repeat_s on the loaded data: seconds per call
The benchmark interleaves these repeats with those of the JavaScript peers, so that a change in
the machine's load affects every implementation alike. The arrays are raw little-endian files
written by the benchmark; they are loaded (and integer class targets widened to int64, which
PyTorch requires) before timing. Timed: the loss with read-back (.item()); for "grad" also
autograd backward.
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

# One thread unless TORCH_THREADS says otherwise (the "every core" peer: os.cpu_count()).
torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))


def repeat(call, repeat_s):
    k = 0
    s = time.perf_counter()
    while True:
        call()
        k += 1
        e = time.perf_counter()
        if e - s >= repeat_s:
            return {"time": (e - s) / k, "calls": k}


def warm(call, warmup_s):
    t0 = time.perf_counter()
    calls = 0
    while calls < 2 or time.perf_counter() - t0 < warmup_s:
        call()
        calls += 1


def checksum(g):
    g = g.detach().reshape(-1).double()
    w = (torch.arange(g.numel(), dtype=torch.int64) % 5 - 2).double()
    return {"dot": float((g * w).sum()), "abs": float(g.abs().sum())}


# id -> (function of the loaded tensors, indices of the differentiable ones)
LOSSES = {
    "l1": (lambda x, y: F.l1_loss(x, y), [0]),
    "mse": (lambda x, y: F.mse_loss(x, y), [0]),
    "bcelogits": (lambda x, y: F.binary_cross_entropy_with_logits(x, y), [0]),
    "ce10": (lambda x, t: F.cross_entropy(x, t), [0]),
    "ce1000": (lambda x, t: F.cross_entropy(x, t), [0]),
    "huber": (lambda x, y: F.huber_loss(x, y), [0]),
    "smoothl1": (lambda x, y: F.smooth_l1_loss(x, y), [0]),
    "bce": (lambda x, y: F.binary_cross_entropy(x, y), [0]),
    "nll": (lambda x, t: F.nll_loss(x, t), [0]),
    "kldiv": (lambda x, y: F.kl_div(x, y, reduction="mean"), [0]),
    "poissonnll": (lambda x, y: F.poisson_nll_loss(x, y), [0]),
    "gaussiannll": (lambda x, y, v: F.gaussian_nll_loss(x, y, v), [0, 2]),
    "softmargin": (lambda x, y: F.soft_margin_loss(x, y), [0]),
    "multilabelsoftmargin": (lambda x, y: F.multilabel_soft_margin_loss(x, y), [0]),
    "hingeembedding": (lambda x, y: F.hinge_embedding_loss(x, y), [0]),
    "multimargin": (lambda x, t: F.multi_margin_loss(x, t), [0]),
    "multilabelmargin": (lambda x, t: F.multilabel_margin_loss(x, t), [0]),
    "marginranking": (lambda a, b, t: F.margin_ranking_loss(a, b, t), [0, 1]),
    "cosineembedding": (lambda a, b, t: F.cosine_embedding_loss(a, b, t), [0, 1]),
    "tripletmargin": (lambda a, p, n: F.triplet_margin_loss(a, p, n), [0, 1, 2]),
    "ctc": (lambda lp, tg, il, tl: F.ctc_loss(lp, tg, il, tl), [0]),
}


def load(spec):
    dtype = np.float32 if spec["dtype"] == "f32" else np.int32
    t = torch.from_numpy(np.fromfile(spec["file"], dtype=dtype))
    if spec["dtype"] == "i32":
        t = t.long()
    return t.reshape(spec["shape"])


class Loaded:
    """One workload's tensors and its two timed calls."""

    def __init__(self, req):
        fn, diff = LOSSES[req["id"]]
        args = [load(a) for a in req["arrays"]]

        def forward():
            with torch.no_grad():
                return fn(*args).item()

        def grad():
            a = list(args)
            for i in diff:
                a[i] = args[i].detach().requires_grad_(True)
            loss = fn(*a)
            loss.backward()
            return loss.item(), [a[i].grad for i in diff]

        self.calls = {"forward": forward, "grad": grad}
        value, grads = grad()
        self.first = {"id": req["id"], "forward": {"loss": forward()},
                      "grad": {"loss": value, "grads": [checksum(g) for g in grads]}}
        warm(forward, req["warmup_s"])
        warm(grad, req["warmup_s"])


def handle(req, state):
    if req["op"] == "load":
        state["loaded"] = None
        state["loaded"] = Loaded(req)
        return state["loaded"].first
    if req["op"] == "repeat":
        return repeat(state["loaded"].calls[req["mode"]], req["repeat_s"])
    raise ValueError(f"unknown op {req['op']!r}")


def main():
    sys.stdout.write(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}) + "\n")
    sys.stdout.flush()
    state = {"loaded": None}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        try:
            out = handle(req, state)
        except Exception as e:  # reported, not fatal: the table shows the error
            out = {"id": req.get("id"), "error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
