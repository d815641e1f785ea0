#!/usr/bin/env python
"""Synthetic workloads: teachgrad against HIPS autograd and against numpy by hand.

Every workload is written ONCE, as a function of the numpy module (``np``) and
the differentiation library (``ag``), and instantiated with
``(autograd.numpy, autograd)`` and ``(teachgrad.numpy, teachgrad)``; beside it
stands the same gradient derived by hand in plain numpy (``hand_*``), the
limit an engine can approach. All three run on the same seeded data, must
agree (see harness.py) and are timed interleaved; medians are reported.

This is a report, not a test: it always exits 0.

Usage:
    .venv/bin/python benchmarks/compare_autograd.py            # full run (a few minutes)
    .venv/bin/python benchmarks/compare_autograd.py --quick    # smoke test
    .venv/bin/python benchmarks/compare_autograd.py --only mlp --only rnn
    .venv/bin/python benchmarks/compare_autograd.py --list
"""
from __future__ import annotations

import argparse
import sys

import numpy as onp  # plain numpy: data, the hand-written gradients, checking

import harness
from harness import AUTOGRAD, HAND, TEACHGRAD, Workload

SEED = 0


# -- scalar chain (2k and 100k operations) ------------------------------------

CHAIN_OPS_PER_STEP = 5  # sin, tanh, mul, add, add


def make_scalar_chain(np, n_ops):
    """f(x) = n_ops/5 repetitions of  x <- x + tanh(sin(x)) * 0.01 + 0.1.

    Five primitive operations per repetition, on a Python float. The map is a
    circle map, so value and derivative stay O(1) even after 100,000
    operations (no vanishing gradient that would make the check trivial).
    """
    assert n_ops % CHAIN_OPS_PER_STEP == 0
    n_steps = n_ops // CHAIN_OPS_PER_STEP

    def f(x):
        for _ in range(n_steps):
            x = x + np.tanh(np.sin(x)) * 0.01 + 0.1
        return x

    return f


def chain_data(n_ops, small_ops):
    return lambda small: (0.3, small_ops if small else n_ops)


def wl_scalar_chain(np, ag, data):
    x0, n_ops = data
    g = ag.grad(make_scalar_chain(np, n_ops))
    return lambda: g(x0)


def hand_scalar_chain(data):
    x0, n_ops = data
    n_steps = n_ops // CHAIN_OPS_PER_STEP
    sin, tanh, cos = onp.sin, onp.tanh, onp.cos

    def g():
        x, saved = x0, []
        for _ in range(n_steps):
            t = tanh(sin(x))
            saved.append((x, t))
            x = x + t * 0.01 + 0.1
        d = 1.0
        for x, t in reversed(saved):
            d = d * (1.0 + 0.01 * (1.0 - t * t) * cos(x))
        return d

    return g


# -- MLP ------------------------------------------------------------------------

def data_mlp(small):
    rng = onp.random.default_rng(SEED)
    n, d_in, d_h, d_out = (8, 12, 6, 3) if small else (256, 784, 256, 10)
    X = rng.standard_normal((n, d_in))
    Y = onp.zeros((n, d_out))
    Y[onp.arange(n), rng.integers(0, d_out, size=n)] = 1.0
    params = {
        "W1": rng.standard_normal((d_in, d_h)) / onp.sqrt(d_in),
        "b1": rng.standard_normal(d_h) * 0.1,
        "W2": rng.standard_normal((d_h, d_out)) / onp.sqrt(d_h),
        "b2": rng.standard_normal(d_out) * 0.1,
    }
    return X, Y, params


def wl_mlp(np, ag, data):
    X, Y, params = data

    def logsumexp(z):
        m = np.max(z, axis=1, keepdims=True)
        return m + np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))

    def loss(p):
        h = np.tanh(np.dot(X, p["W1"]) + p["b1"])
        logits = np.dot(h, p["W2"]) + p["b2"]
        logprobs = logits - logsumexp(logits)
        return -np.mean(np.sum(Y * logprobs, axis=1))

    vg = ag.value_and_grad(loss)
    return lambda: vg(params)


def hand_mlp(data):
    X, Y, p = data
    n = X.shape[0]

    def vg():
        h = onp.tanh(X @ p["W1"] + p["b1"])
        logits = h @ p["W2"] + p["b2"]
        m = onp.max(logits, axis=1, keepdims=True)
        logprobs = logits - (m + onp.log(onp.sum(onp.exp(logits - m), axis=1, keepdims=True)))
        loss = -onp.mean(onp.sum(Y * logprobs, axis=1))
        d_logprobs = Y * (-1.0 / n)
        d_logits = d_logprobs - onp.exp(logprobs) * onp.sum(d_logprobs, axis=1, keepdims=True)
        d_pre = (d_logits @ p["W2"].T) * (1.0 - h * h)
        return loss, {"W1": X.T @ d_pre, "b1": d_pre.sum(axis=0),
                      "W2": h.T @ d_logits, "b2": d_logits.sum(axis=0)}

    return vg


# -- elementwise on 1e6 numbers -------------------------------------------------

def data_elementwise(small):
    return onp.random.default_rng(SEED).standard_normal(50 if small else 1_000_000)


def wl_elementwise(np, ag, x):
    def f(x):
        return np.sum(np.tanh(x) * np.exp(-x ** 2) + np.sin(x))

    g = ag.grad(f)
    return lambda: g(x)


def hand_elementwise(x):
    def g():
        t = onp.tanh(x)
        return (1.0 - t * t - 2.0 * x * t) * onp.exp(-x * x) + onp.cos(x)

    return g


# -- vanilla RNN ------------------------------------------------------------------

RNN_STEPS = 100
RNN_OPS = 5 * RNN_STEPS + 2   # per step dot, dot, add, add, tanh; then power, sum


def data_rnn(small):
    rng = onp.random.default_rng(SEED)
    T, B, D, H = (4, 3, 2, 5) if small else (RNN_STEPS, 32, 16, 64)
    xs = rng.standard_normal((T, B, D))
    params = [rng.standard_normal((D, H)) / onp.sqrt(D),
              rng.standard_normal((H, H)) * (0.9 / onp.sqrt(H)),
              rng.standard_normal(H) * 0.1]
    return xs, params


def rnn_loss(np, data):
    """The RNN's loss as a function of its parameters [Wx, Wh, b], written with ``np``."""
    xs, params = data
    h0 = onp.zeros((xs.shape[1], params[1].shape[0]))

    def loss(p):
        Wx, Wh, b = p
        h = h0
        for t in range(xs.shape[0]):
            h = np.tanh(np.dot(xs[t], Wx) + np.dot(h, Wh) + b)
        return np.sum(h ** 2)
    return loss


def wl_rnn(np, ag, data):
    g = ag.grad(rnn_loss(np, data))
    return lambda: g(data[1])


def hand_rnn(data):
    xs, (Wx, Wh, b) = data

    def g():
        hs = [onp.zeros((xs.shape[1], Wh.shape[0]))]
        for t in range(xs.shape[0]):
            hs.append(onp.tanh(xs[t] @ Wx + hs[-1] @ Wh + b))
        dWx, dWh, db = onp.zeros_like(Wx), onp.zeros_like(Wh), onp.zeros_like(b)
        dh = 2.0 * hs[-1]
        for t in range(xs.shape[0] - 1, -1, -1):
            da = dh * (1.0 - hs[t + 1] * hs[t + 1])
            dWx += xs[t].T @ da
            dWh += hs[t].T @ da
            db += da.sum(axis=0)
            dh = da @ Wh.T
        return [dWx, dWh, db]

    return g


# -- Hessian ------------------------------------------------------------------------

def data_hessian(small):
    rng = onp.random.default_rng(SEED)
    n = 4 if small else 50
    return rng.standard_normal((n, n)) / onp.sqrt(n), rng.standard_normal(n)


def wl_hessian(np, ag, data):
    A, x = data

    def f(x):
        return np.sum(np.tanh(A @ x) ** 2) + np.sum(x ** 4)

    H = ag.hessian(f)
    return lambda: H(x)


def hand_hessian(data):
    A, x = data

    def H():
        t = onp.tanh(A @ x)
        curvature = (2.0 - 6.0 * t * t) * (1.0 - t * t)   # d²/dz² of tanh(z)²
        return (A.T * curvature) @ A + onp.diag(12.0 * x * x)

    return H


# -- logistic regression, 200 gradient steps --------------------------------------

LOGREG_STEPS = 200


def data_logreg(small):
    rng = onp.random.default_rng(SEED)
    n, d = (20, 3) if small else (1000, 20)
    X = onp.hstack([rng.standard_normal((n, d)), onp.ones((n, 1))])
    p = 1.0 / (1.0 + onp.exp(-X @ rng.standard_normal(d + 1)))
    y = (rng.random(n) < p).astype(float) * 2.0 - 1.0
    return X, y, (5 if small else LOGREG_STEPS)


LOGREG_LR, LOGREG_LAMBDA = 0.5, 1e-3


def logreg_loss(np, data):
    """The logistic regression's loss as a function of its weights, written with ``np``."""
    X, y, _ = data

    def loss(w):
        margins = y * np.dot(X, w)
        return np.mean(np.log(1.0 + np.exp(-margins))) + LOGREG_LAMBDA * np.sum(w ** 2)
    return loss


def wl_logreg(np, ag, data):
    X, _, steps = data
    g = ag.grad(logreg_loss(np, data))

    def train():
        w = onp.zeros(X.shape[1])
        for _ in range(steps):
            w = w - LOGREG_LR * g(w)
        return w

    return train


def hand_logreg(data):
    X, y, steps = data
    n = X.shape[0]

    def train():
        w = onp.zeros(X.shape[1])
        for _ in range(steps):
            s = onp.exp(-(y * (X @ w)))
            w = w - LOGREG_LR * (X.T @ (y * (-s / (1.0 + s)) / n) + 2.0 * LOGREG_LAMBDA * w)
        return w

    return train


# ---------------------------------------------------------------------------

WORKLOADS = [
    Workload("scalar_chain_2k", "grad of a 2,000-op scalar chain (sin/tanh/mul/add on floats)",
             chain_data(2000, 50), wl_scalar_chain, hand_scalar_chain,
             label="scalar chain, 2,000 operations", n_ops=2000, repeats=51, quick_repeats=5,
             target=(AUTOGRAD, 0.15)),
    Workload("mlp", "value_and_grad of a 784-256-10 tanh MLP, softmax cross-entropy, batch 256",
             data_mlp, wl_mlp, hand_mlp, label="784-256-10 MLP, batch 256, dict of parameters",
             repeats=31, target=(HAND, 1.05)),
    Workload("elementwise_1e6", "grad of sum(tanh(x)*exp(-x**2) + sin(x)), x of 1e6 numbers",
             data_elementwise, wl_elementwise, hand_elementwise,
             label="elementwise function of 10⁶ numbers", repeats=21, target=(HAND, 1.10)),
    Workload("rnn", "grad of a 100-step tanh RNN (batch 32, input 16, hidden 64), list of params",
             data_rnn, wl_rnn, hand_rnn, label="RNN, 100 steps, hidden 64, batch 32",
             n_ops=RNN_OPS, repeats=31, target=(AUTOGRAD, 0.30)),
    Workload("hessian", "hessian of sum(tanh(A@x)**2) + sum(x**4), x of 50 numbers",
             data_hessian, wl_hessian, hand_hessian, label="Hessian of a function of a 50-vector",
             repeats=31, target=(AUTOGRAD, 0.35)),
    Workload("scalar_chain_100k", "grad of the same scalar chain with 100,000 ops",
             chain_data(100_000, 100), wl_scalar_chain, hand_scalar_chain,
             label="scalar chain, 100,000 operations", n_ops=100_000, repeats=9, quick_repeats=1,
             target=(AUTOGRAD, 0.16)),
    Workload("logreg_train", "200 gradient-descent steps of logistic regression, 1000x21, grad each",
             data_logreg, wl_logreg, hand_logreg, label="200 steps of logistic regression",
             n_ops=LOGREG_STEPS, unit="step", repeats=21, quick_repeats=2,
             target=(AUTOGRAD, 0.30)),
]
GEOMEAN_TARGET = 0.30   # geometric mean of teachgrad/autograd over this family (issue 15)

BUDGET_S = {"full": 40.0, "quick": 4.0}


def print_summary(workloads, results, title):
    by_name = {w.name: w for w in workloads}
    print()
    print(f"{title} (medians; ratio = teachgrad / reference, lower is better)")
    header = (f"{'workload':19s} {'n':>3s} {'autograd':>10s} {'teachgrad':>10s} {'numpy':>10s} "
              f"{'tg/ag':>6s} {'tg/np':>6s}  target")
    print(header)
    print("-" * len(header))
    for r in results:
        wl = by_name[r.name]
        verdict = harness.target_verdict(wl, r)
        target = f"{verdict[0]} {'met' if verdict[1] else 'NOT met'}" if verdict else ""
        if r.agree is False:
            target = f"DIFFER: {r.disagreement}"
        print(f"{r.name:19s} {r.n:3d} {harness.fmt_time(r.times.get(AUTOGRAD)):>10s} "
              f"{harness.fmt_time(r.times.get(TEACHGRAD)):>10s} "
              f"{harness.fmt_time(r.times.get(HAND)):>10s} "
              f"{harness.fmt_ratio(r.ratio(TEACHGRAD, AUTOGRAD)):>6s} "
              f"{harness.fmt_ratio(r.ratio(TEACHGRAD, HAND)):>6s}  {target}")
        for side, message in r.errors.items():
            print(f"    {side} ERROR: {message}")
    g = harness.geometric_mean([r.ratio(TEACHGRAD, AUTOGRAD) for r in results])
    if g is not None:
        print(f"geometric mean of teachgrad/autograd: {g:.2f}")


def run(workloads, mode="full", repeats=None, isolate=True, blas_threads=None,
        fake_teachgrad=False):
    """Run the workloads, each in its own process unless ``isolate`` is False (see harness)."""
    return harness.run_family(workloads, "compare_autograd", mode, repeats, BUDGET_S[mode],
                              isolate, blas_threads, fake_teachgrad)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="few repeats (smoke test)")
    ap.add_argument("--only", action="append", metavar="NAME", choices=[w.name for w in WORKLOADS])
    ap.add_argument("--repeats", type=int, default=None, help="timed calls per side")
    ap.add_argument("--list", action="store_true", help="list workloads and exit")
    harness.add_run_arguments(ap)
    ap.add_argument("--fake-teachgrad", action="store_true",
                    help="time autograd in teachgrad's place too: an A/A check of the harness, "
                         "whose ratios should come out 1.00")
    args = ap.parse_args(argv)
    if args.list:
        for w in WORKLOADS:
            print(f"{w.name:18s} {w.desc}")
        return 0
    harness.run_script(args, WORKLOADS,
                       lambda *how: run(*how, fake_teachgrad=args.fake_teachgrad),
                       lambda selected, results: print_summary(selected, results,
                                                               "Synthetic workloads"),
                       args.fake_teachgrad)
    return 0


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
    sys.exit(0)
