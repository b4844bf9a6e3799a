"""Each wasm-loss function as a torch call: CALLS[fn](args, options, dtype) gives
(f, tensors, wrt): f(*tensors) is PyTorch's result for the JS call fn(*args, options), and wrt
lists the positions of the differentiable tensors, in the order of the JS gradients.

args and options are decoded JSON (see reference.py): float arrays as float32 tensors, integer
arrays as int64 tensors, numbers and strings as themselves. Every tensor is computed in `dtype`
(float32 for PyTorch's own answer, float64 for the exact one).

Where the project follows PyTorch 2.x and Debian's torch 1.13 differs, the reference is the one
the fixture generators use (scripts/fixtures/*.py), imported from there:
- smoothL1Loss with beta 0 is l1_loss (2.x; 1.13's gradient at 0 is -1);
- bceWithLogitsLoss is 2.x's formula `(1 - y) x - lw log_sigmoid(x)` in float64 for both answers
  (binary.py), evaluated without cancellation, and its gradient `lw sigmoid(x) - pw y` likewise;
- bceLoss's loss is 2.x's log1p(-x) formula (binary.py), the gradient torch's autograd; inputs
  and targets outside [0, 1] are refused as 2.x refuses them (1.13 checks the input only);
- sigmoid and logSigmoid are float64 for both answers (binary.py);
- softMarginLoss's exact answer is a softplus free of overflow and underflow (catalogue_a.py's
  logaddexp form, like PyTorch's float64 log(1 + exp(z)), rounds exp(z) away below z = -37);
- ctcLoss is 2.x's handling of inputLength 0 (ctc.py).
"""
import torch
import torch.nn.functional as F

from ctc import ctc_2x


def red(o, extra=()):
    """The reduction, refused as torch refuses it (the 2.x formulas below take it themselves)."""
    r = o.get("reduction", "mean")
    if r not in ("mean", "sum", "none", *extra):
        raise ValueError(f"{r} is not a valid value for reduction")
    return r


def flat(fn):
    """A loss that is elementwise in torch: its "none" output, whatever its shape, flattened."""
    def f(*t):
        out = fn(*t)
        return out.reshape(-1) if out.dim() > 0 else out
    return f


def expand(w, n):
    """A weight as the JS API takes it (number, or array of length n or K repeated over rows of K)
    as a float tensor of length n."""
    if w is None:
        return None
    if not torch.is_tensor(w):
        return torch.full((n,), float(w), dtype=torch.float64)
    return w.repeat(n // w.numel()) if w.numel() != n and w.numel() > 0 else w


def regression(kind):
    def build(a, o, dt):
        x, y = (t.to(dt) for t in a)
        if kind == "l1Loss" or (kind == "smoothL1Loss" and float(o.get("beta", 1.0)) == 0.0):
            f = lambda x, y: F.l1_loss(x, y, reduction=red(o))
        elif kind == "mseLoss":
            f = lambda x, y: F.mse_loss(x, y, reduction=red(o))
        elif kind == "huberLoss":
            f = lambda x, y: F.huber_loss(x, y, reduction=red(o), delta=float(o.get("delta", 1.0)))
        else:
            f = lambda x, y: F.smooth_l1_loss(x, y, reduction=red(o), beta=float(o.get("beta", 1.0)))
        return f, [x, y], [0]
    return build


def reduce(l, r):
    return l.mean() if r == "mean" else l.sum() if r == "sum" else l


def bce_with_logits(a, o, dt):
    # Both answers in float64 (see the module docstring): dt is ignored. 2.x's formula
    # (1 - y) x - lw log_sigmoid(x), lw = (pw - 1) y + 1, and its gradient lw sigmoid(x) - pw y,
    # evaluated without cancellation (even float64 loses (pw - 1) + 1 for pw = 1e-30, (1 - y) x - x
    # for y = 1e-30 at x = -1e38, and sigmoid(98) - 1): lw = pw y + (1 - y), for x < 0 the loss
    # -pw y x + lw log1p(exp(x)), for x >= 0 the gradient (1 - y) - lw sigmoid(-x).
    x, y = (t.double() for t in a)
    red(o)
    n = x.numel()
    w, pw = expand(o.get("weight"), n), expand(o.get("posWeight"), n)
    w = torch.ones_like(x) if w is None else w.double()
    pw = torch.ones_like(x) if pw is None else pw.double()

    class Loss2x(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            lw = pw * y + (1 - y)
            sp = torch.log1p(torch.exp(-x.abs()))
            l = torch.where(x < 0, -pw * y * x, (1 - y) * x) + lw * sp
            return reduce(l * w, red(o))

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            lw = pw * y + (1 - y)  # lw sigmoid(x) - pw y, for x >= 0 as (1 - y) - lw sigmoid(-x)
            gx = torch.where(x >= 0, (1 - y) - lw * torch.sigmoid(-x), lw * torch.sigmoid(x) - pw * y) * w
            return gx * (g / n if red(o) == "mean" else g), None
    return Loss2x.apply, [x, y], [0]


def bce(a, o, dt):
    x, y = (t.to(dt) for t in a)
    red(o)
    # 2.x refuses inputs and targets outside [0, 1], NaN included (1.13 checks the input only).
    for name, t in (("input", x), ("target", y)):
        if not bool(((t >= 0) & (t <= 1)).all()):
            raise RuntimeError(f"all elements of {name} should be between 0 and 1")
    w = expand(o.get("weight"), x.numel())
    w = None if w is None else w.to(dt)

    class Loss2x(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            l = (y - 1) * torch.clamp(torch.log1p(-x), min=-100) - y * torch.clamp(torch.log(x), min=-100)
            return reduce(l if w is None else l * w, red(o))

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            with torch.enable_grad():
                xx = x.detach().requires_grad_(True)
                out = F.binary_cross_entropy(xx, y, weight=w, reduction=red(o))
                (gx,) = torch.autograd.grad(out, [xx], grad_outputs=g)
            return gx, None
    return Loss2x.apply, [x, y], [0]


def transform(kind):
    def build(a, o, dt):
        x = a[0].double()  # float64 for both answers (binary.py)
        return (torch.sigmoid if kind == "sigmoid" else F.logsigmoid), [x], []
    return build


def layout(x, o):
    """The input's torch shape and its class dim, from `classes` or `shape`."""
    if "classes" in o:
        C = integer(o["classes"])
        return [x.numel() // C if C > 0 else -1, C], 1
    shape = [integer(d) for d in o["shape"]]
    return shape, 0 if len(shape) == 1 else 1


def multiclass(kind):
    def build(a, o, dt):
        shape, cdim = layout(a[0], o)
        x = a[0].to(dt).reshape(shape)
        if kind in ("softmax", "logSoftmax"):
            f = torch.softmax if kind == "softmax" else torch.log_softmax
            return (lambda x: f(x, cdim).reshape(-1)), [x], []
        t = a[1]
        if t.is_floating_point():
            t = t.to(dt).reshape(shape)
        else:
            t = t.reshape([shape[0]] + shape[2:] if len(shape) > 1 else [])
        w = o.get("weight")
        w = None if w is None else w.to(dt)
        ig = int(o.get("ignoreIndex", -100))
        if kind == "nllLoss":
            f = lambda x, t: F.nll_loss(x, t, weight=w, reduction=red(o), ignore_index=ig)
        else:
            ls = float(o.get("labelSmoothing", 0.0))
            f = lambda x, t: F.cross_entropy(x, t, weight=w, reduction=red(o), ignore_index=ig, label_smoothing=ls)
        # "none" is one loss per position, also for the unbatched [C] (PyTorch: a 0-dim tensor).
        return (lambda x, t: f(x, t).reshape(-1) if red(o) == "none" else f(x, t)), [x, t], [0]
    return build


def integer(v):
    """An option that must be an integer (as the JS API requires; int() would truncate 2.5)."""
    if float(v) != int(v):
        raise ValueError(f"not an integer: {v}")
    return int(v)


def rows(t, o, key):
    w = integer(o[key])
    return t.reshape(-1, w)


def kl_div(a, o, dt):
    x, t = (v.to(dt) for v in a)
    if "classes" in o:
        x, t = rows(x, o, "classes"), rows(t, o, "classes")
    f = lambda x, t: F.kl_div(x, t, reduction=red(o, ("batchmean",)), log_target=bool(o.get("logTarget", False)))
    return flat(f), [x, t], [0]


def poisson(a, o, dt):
    x, t = (v.to(dt) for v in a)
    f = lambda x, t: F.poisson_nll_loss(x, t, log_input=bool(o.get("logInput", True)), full=bool(o.get("full", False)),
                                        eps=float(o.get("eps", 1e-8)), reduction=red(o))
    return f, [x, t], [0]


def gaussian(a, o, dt):
    x, t, v = (u.to(dt) for u in a)
    if "classes" in o:
        x, t = rows(x, o, "classes"), rows(t, o, "classes")
        v = v.reshape(x.shape) if v.numel() == x.numel() else v
    f = lambda x, t, v: F.gaussian_nll_loss(x, t, v, full=bool(o.get("full", False)), eps=float(o.get("eps", 1e-6)),
                                            reduction=red(o))
    return flat(f), [x, t, v], [0, 2]


def softplus64(z):
    """log(1 + exp(z)) without overflow or underflow: PyTorch's own float64 soft_margin_loss (and
    the fixtures' logaddexp) round 1 + exp(z) to 1 below z = -37 and give 0 for 1e-21."""
    return torch.where(z > 0, z + torch.log1p(torch.exp(-z.abs())), torch.log1p(torch.exp(-z.abs())))


def soft_margin(a, o, dt):
    x, y = (v.to(dt) for v in a)
    if dt == torch.float64:
        return (lambda x, y: reduce(softplus64(-x * y), red(o))), [x, y], [0]
    return (lambda x, y: F.soft_margin_loss(x, y, reduction=red(o))), [x, y], [0]


def mlsm(a, o, dt):
    x, t = (rows(v.to(dt), o, "classes") for v in a)
    w = o.get("weight")
    w = None if w is None else w.to(dt)
    return (lambda x, t: F.multilabel_soft_margin_loss(x, t, weight=w, reduction=red(o))), [x, t], [0]


def hinge(a, o, dt):
    x, y = (v.to(dt) for v in a)
    return (lambda x, y: F.hinge_embedding_loss(x, y, margin=float(o.get("margin", 1.0)), reduction=red(o))), [x, y], [0]


def ranking(a, o, dt):
    x1, x2, y = (v.to(dt) for v in a)
    f = lambda a, b, y: F.margin_ranking_loss(a, b, y, margin=float(o.get("margin", 0.0)), reduction=red(o))
    return f, [x1, x2, y], [0, 1]


def multi_margin(a, o, dt):
    x = rows(a[0].to(dt), o, "classes")
    w = o.get("weight")
    w = None if w is None else w.to(dt)
    f = lambda x, y: F.multi_margin_loss(x, y, p=o.get("p", 1), margin=float(o.get("margin", 1.0)), weight=w,
                                         reduction=red(o))
    return f, [x, a[1]], [0]


def multi_label_margin(a, o, dt):
    x = rows(a[0].to(dt), o, "classes")
    return (lambda x, y: F.multilabel_margin_loss(x, y, reduction=red(o))), [x, a[1].reshape(x.shape)], [0]


def cosine(a, o, dt):
    x1, x2 = (rows(v.to(dt), o, "dim") for v in a[:2])
    y = a[2].to(dt)
    f = lambda a, b, y: F.cosine_embedding_loss(a, b, y, margin=float(o.get("margin", 0.0)), reduction=red(o))
    return f, [x1, x2, y], [0, 1]


def triplet(a, o, dt):
    t = [rows(v.to(dt), o, "dim") for v in a]
    f = lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=float(o.get("margin", 1.0)), p=float(o.get("p", 2.0)),
                                              eps=float(o.get("eps", 1e-6)), swap=bool(o.get("swap", False)),
                                              reduction=red(o))
    return f, t, [0, 1, 2]


def ctc(a, o, dt):
    T, N, C = (int(d) for d in o["shape"])
    lp = a[0].to(dt).reshape(T, N, C)
    tg, il, tl = a[1], a[2], a[3]
    if tg.numel() != int(tl.sum()) and N > 0:
        tg = tg.reshape(N, -1)  # padded rows (the JS API decides the layout by the length)
    blank, zi = int(o.get("blank", 0)), bool(o.get("zeroInfinity", False))
    if not 0 <= blank < C:  # checked by torch even when no sample has frames (ctc_2x skips the call then)
        raise RuntimeError("blank must be in label range")
    return (lambda lp: ctc_2x(lp, tg, il, tl, blank, red(o), zi)), [lp], [0]


CALLS = {
    **{k: regression(k) for k in ("l1Loss", "mseLoss", "huberLoss", "smoothL1Loss")},
    "bceWithLogitsLoss": bce_with_logits,
    "bceLoss": bce,
    "sigmoid": transform("sigmoid"),
    "logSigmoid": transform("logSigmoid"),
    **{k: multiclass(k) for k in ("crossEntropyLoss", "nllLoss", "softmax", "logSoftmax")},
    "klDivLoss": kl_div,
    "poissonNllLoss": poisson,
    "gaussianNllLoss": gaussian,
    "softMarginLoss": soft_margin,
    "multiLabelSoftMarginLoss": mlsm,
    "hingeEmbeddingLoss": hinge,
    "marginRankingLoss": ranking,
    "multiMarginLoss": multi_margin,
    "multiLabelMarginLoss": multi_label_margin,
    "cosineEmbeddingLoss": cosine,
    "tripletMarginLoss": triplet,
    "ctcLoss": ctc,
}
