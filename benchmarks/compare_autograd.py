#!/usr/bin/env python
"""Side-by-side timing of teachgrad against HIPS autograd.

Every workload below is written ONCE, as a function that receives the numpy
module (``np``) and the differentiation library (``ag``: something with
``grad``, ``value_and_grad``, ``hessian``, ...) as parameters.  It is then
instantiated twice -- with ``(autograd.numpy, autograd)`` and with
``(teachgrad.numpy, teachgrad)`` -- so both libraries run literally the same
code on literally the same input data (generated with plain numpy and a fixed
seed).

Method:
  * one warm-up call per side (its result is also used for the gradient check);
  * then N timed calls per side, *interleaved* (autograd, teachgrad, autograd,
    teachgrad, ...) so that machine noise hits both sides equally;
  * ``time.perf_counter`` around each call, ``gc.collect()`` before each call
    (so one side's garbage is not collected on the other side's clock; the
    cyclic GC stays enabled during the call, as it would be for a user);
  * the median of the N samples is reported.

This is a report, not a test: it always exits 0.

Usage:
    .venv/bin/python benchmarks/compare_autograd.py            # full run (a few minutes)
    .venv/bin/python benchmarks/compare_autograd.py --quick    # smoke test (well under a minute)
    .venv/bin/python benchmarks/compare_autograd.py --only mlp --only rnn
    .venv/bin/python benchmarks/compare_autograd.py --list
"""

import argparse
import gc
import os
import platform
import statistics
import sys
import time
import traceback

import numpy as onp  # plain numpy: used only for data generation and result checking

# Make the in-repo package importable when the script is run as
# `python benchmarks/compare_autograd.py` (sys.path[0] is then benchmarks/).
_REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _REPO_ROOT not in sys.path:
    sys.path.insert(1, _REPO_ROOT)

SEED = 0


# ---------------------------------------------------------------------------
# Workloads.  Each ``wl_*`` function takes (np, ag, data) and returns a
# zero-argument callable that performs the measured work and returns the
# result to be compared between the two libraries.  Only code inside that
# callable is timed.  ``data`` is produced once (plain numpy, fixed seed) by
# the matching ``data_*`` function and shared by both sides.
# ---------------------------------------------------------------------------

# -- 1 & 6: scalar chain ------------------------------------------------------

CHAIN_OPS_PER_STEP = 5  # sin, tanh, mul, add, add -- see chain_step below


def make_scalar_chain(np, n_ops):
    """f(x) = n_ops/5 repetitions of  x <- x + tanh(sin(x)) * 0.01 + 0.1.

    Each repetition is exactly 5 primitive operations on a Python float:
        np.sin(x)          1  sin
        np.tanh(.)         2  tanh
        (.) * 0.01         3  multiply
        x + (.)            4  add
        (.) + 0.1          5  add
    The map is x + 0.1 + small periodic term (a circle map), so the value
    and the derivative stay O(1) even after 100,000 operations (no
    vanishing/exploding gradient that would make the check trivial).
    """
    assert n_ops % CHAIN_OPS_PER_STEP == 0
    n_steps = n_ops // CHAIN_OPS_PER_STEP

    def f(x):
        for _ in range(n_steps):
            x = x + np.tanh(np.sin(x)) * 0.01 + 0.1
        return x

    return f


def data_scalar_chain():
    return 0.3


def wl_scalar_chain_2k(np, ag, x0):
    g = ag.grad(make_scalar_chain(np, 2000))
    return lambda: g(x0)


def wl_scalar_chain_100k(np, ag, x0):
    g = ag.grad(make_scalar_chain(np, 100_000))
    return lambda: g(x0)


# -- 2: MLP ---------------------------------------------------------------------

def data_mlp():
    rng = onp.random.default_rng(SEED)
    n, d_in, d_h, d_out = 256, 784, 256, 10
    X = rng.standard_normal((n, d_in))
    labels = rng.integers(0, d_out, size=n)
    Y = onp.zeros((n, d_out))
    Y[onp.arange(n), labels] = 1.0
    params = {
        "W1": rng.standard_normal((d_in, d_h)) / onp.sqrt(d_in),
        "b1": onp.zeros(d_h),
        "W2": rng.standard_normal((d_h, d_out)) / onp.sqrt(d_h),
        "b2": onp.zeros(d_out),
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
    return lambda: vg(params)  # (loss value, dict of gradients)


# -- 3: elementwise on 1e6 elements ------------------------------------------

def data_elementwise():
    return onp.random.default_rng(SEED).standard_normal(1_000_000)


def wl_elementwise_1e6(np, ag, x):
    def f(x):
        return np.sum(np.tanh(x) * np.exp(-x ** 2) + np.sin(x))

    g = ag.grad(f)
    return lambda: g(x)


# -- 4: vanilla RNN -----------------------------------------------------------

RNN_STEPS = 100
# per step: dot, dot, add, add, tanh = 5; loss: power, sum = 2
RNN_OPS = 5 * RNN_STEPS + 2


def data_rnn():
    rng = onp.random.default_rng(SEED)
    T, B, D, H = RNN_STEPS, 32, 16, 64
    xs = rng.standard_normal((T, B, D))
    params = [
        rng.standard_normal((D, H)) / onp.sqrt(D),        # Wx
        rng.standard_normal((H, H)) * (0.9 / onp.sqrt(H)),  # Wh
        onp.zeros(H),                                      # b
    ]
    return xs, params


def wl_rnn(np, ag, data):
    xs, params = data
    T, B = xs.shape[0], xs.shape[1]
    H = params[1].shape[0]
    h0 = onp.zeros((B, H))

    def loss(p):
        Wx, Wh, b = p
        h = h0
        for t in range(T):
            h = np.tanh(np.dot(xs[t], Wx) + np.dot(h, Wh) + b)
        return np.sum(h ** 2)

    g = ag.grad(loss)
    return lambda: g(params)  # list [dWx, dWh, db]


# -- 5: Hessian -----------------------------------------------------------------

def data_hessian():
    rng = onp.random.default_rng(SEED)
    A = rng.standard_normal((50, 50)) / onp.sqrt(50)
    x = rng.standard_normal(50)
    return A, x


def wl_hessian(np, ag, data):
    A, x = data

    def f(x):
        return np.sum(np.tanh(A @ x) ** 2) + np.sum(x ** 4)

    H = ag.hessian(f)
    return lambda: H(x)  # (50, 50)


# -- 7: logistic-regression training loop -------------------------------------

LOGREG_STEPS = 200


def data_logreg():
    rng = onp.random.default_rng(SEED)
    n, d = 1000, 20
    X = rng.standard_normal((n, d))
    X = onp.hstack([X, onp.ones((n, 1))])  # bias column
    w_true = rng.standard_normal(d + 1)
    p = 1.0 / (1.0 + onp.exp(-X @ w_true))
    y = (rng.random(n) < p).astype(float) * 2.0 - 1.0  # labels in {-1, +1}
    return X, y


def wl_logreg_train(np, ag, data):
    X, y = data
    lr, lam = 0.5, 1e-3

    def loss(w):
        margins = y * np.dot(X, w)
        return np.mean(np.log(1.0 + np.exp(-margins))) + lam * np.sum(w ** 2)

    g = ag.grad(loss)
    w0 = onp.zeros(X.shape[1])

    def train():
        w = w0
        for _ in range(LOGREG_STEPS):
            w = w - lr * g(w)
        return w  # final weights

    return train


# ---------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------

class Workload:
    def __init__(self, name, make, data, desc, n_ops=None, unit=None,
                 repeats=15, quick_repeats=3, overhead_bound=False, gc_diag=False):
        self.name = name
        self.make = make
        self.data = data
        self.desc = desc
        self.n_ops = n_ops          # exact number of primitive ops (for us/op)
        self.unit = unit            # label for the us/op column
        self.repeats = repeats
        self.quick_repeats = quick_repeats
        self.overhead_bound = overhead_bound
        self.gc_diag = gc_diag      # also time a few runs with the cyclic GC disabled


WORKLOADS = [
    Workload("scalar_chain_2k", wl_scalar_chain_2k, data_scalar_chain,
             "grad of a 2,000-op scalar chain (sin/tanh/mul/add on floats)",
             n_ops=2000, unit="op", repeats=51, quick_repeats=5,
             overhead_bound=True, gc_diag=True),
    Workload("mlp", wl_mlp, data_mlp,
             "value_and_grad of 784-256-10 tanh MLP softmax-xent, batch 256, dict params",
             repeats=31, quick_repeats=3),
    Workload("elementwise_1e6", wl_elementwise_1e6, data_elementwise,
             "grad of sum(tanh(x)*exp(-x**2)+sin(x)), x of 1e6 elements",
             repeats=21, quick_repeats=3),
    Workload("rnn", wl_rnn, data_rnn,
             "grad of 100-step tanh RNN (B=32, D=16, H=64), loss=sum(h_T**2), list params",
             n_ops=RNN_OPS, unit="op", repeats=31, quick_repeats=3,
             overhead_bound=True),
    Workload("hessian", wl_hessian, data_hessian,
             "hessian of sum(tanh(A@x)**2)+sum(x**4), x of 50 elements",
             repeats=31, quick_repeats=3, overhead_bound=True),
    Workload("scalar_chain_100k", wl_scalar_chain_100k, data_scalar_chain,
             "grad of the same scalar chain with 100,000 ops",
             n_ops=100_000, unit="op", repeats=9, quick_repeats=1,
             overhead_bound=True, gc_diag=True),
    Workload("logreg_train", wl_logreg_train, data_logreg,
             "200 steps of GD on logistic regression, 1000x20 (+bias), grad each step",
             n_ops=LOGREG_STEPS, unit="step", repeats=21, quick_repeats=2,
             overhead_bound=True),
]
WORKLOADS_BY_NAME = {w.name: w for w in WORKLOADS}

# Per-workload wall-clock budget for the timed loop (both sides together).
# If one round of (autograd + teachgrad) is slow, fewer repeats are done,
# but never fewer than MIN_REPEATS.
BUDGET_S = {"full": 40.0, "quick": 4.0}
MIN_REPEATS = {"full": 3, "quick": 1}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def flatten(obj, prefix="out"):
    """Flatten a (possibly nested) gradient structure into [(path, ndarray)]."""
    if isinstance(obj, dict):
        out = []
        for k in sorted(obj):
            out += flatten(obj[k], f"{prefix}[{k!r}]")
        return out
    if isinstance(obj, (list, tuple)):
        out = []
        for i, v in enumerate(obj):
            out += flatten(v, f"{prefix}[{i}]")
        return out
    return [(prefix, onp.asarray(obj, dtype=float))]


def compare(ref, res):
    """Return (ok, max_abs_diff, message)."""
    try:
        a, b = flatten(ref), flatten(res)
    except Exception as e:  # noqa: BLE001
        return False, float("nan"), f"cannot convert result to arrays: {e!r}"
    if [p for p, _ in a] != [p for p, _ in b]:
        return False, float("nan"), (
            f"structure differs: autograd {[p for p, _ in a]} vs teachgrad {[p for p, _ in b]}")
    ok, maxdiff, msgs = True, 0.0, []
    for (path, x), (_, y) in zip(a, b):
        if x.shape != y.shape:
            ok = False
            msgs.append(f"{path}: shape {x.shape} vs {y.shape}")
            continue
        d = float(onp.max(onp.abs(x - y))) if x.size else 0.0
        if not onp.isfinite(d) and not onp.array_equal(x, y, equal_nan=True):
            d = float("inf")
        maxdiff = max(maxdiff, d)
        if not onp.allclose(x, y, equal_nan=True):
            ok = False
            msgs.append(f"{path}: max abs diff {d:.3e}")
    return ok, maxdiff, "; ".join(msgs)


def fmt_time(t):
    if t is None:
        return "-"
    if t >= 1.0:
        return f"{t:.3f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.2f} ms"
    return f"{t * 1e6:.1f} us"


def short_exc(e):
    tb = traceback.extract_tb(e.__traceback__)
    where = f" (at {os.path.relpath(tb[-1].filename, _REPO_ROOT)}:{tb[-1].lineno})" if tb else ""
    msg = "".join(traceback.format_exception_only(type(e), e)).strip()
    if len(msg) > 300:
        msg = msg[:300] + "..."
    return msg + where


def timed(fn, gc_off=False):
    gc.collect()
    if gc_off:
        gc.disable()
    try:
        t0 = time.perf_counter()
        res = fn()
        t1 = time.perf_counter()
    finally:
        gc.enable()
    return t1 - t0, res


def print_env(tg_status):
    print("=" * 78)
    print("teachgrad vs HIPS autograd")
    print("=" * 78)
    print(f"python      {sys.version.split()[0]} ({platform.python_implementation()}) on "
          f"{platform.machine()}, {os.cpu_count()} CPUs")
    print(f"numpy       {onp.__version__}")
    try:
        import autograd
        ver = getattr(autograd, "__version__", None)
        if ver is None:
            from importlib.metadata import version
            ver = version("autograd")
        print(f"autograd    {ver}")
    except Exception as e:  # noqa: BLE001
        print(f"autograd    ? ({e!r})")
    print(f"teachgrad   {tg_status}")
    try:
        blas = onp.show_config(mode="dicts")["Build Dependencies"]["blas"]
        print(f"numpy BLAS  {blas.get('name')} {blas.get('version')}")
    except Exception:  # noqa: BLE001
        pass
    try:
        import threadpoolctl
        for info in threadpoolctl.threadpool_info():
            print(f"threadpool  {info.get('internal_api')} {info.get('version')} "
                  f"num_threads={info.get('num_threads')} "
                  f"arch={info.get('architecture')} ({os.path.basename(info.get('filepath', ''))})")
    except ImportError:
        print("threadpool  (threadpoolctl not installed; no thread-pool info)")
    except Exception as e:  # noqa: BLE001
        print(f"threadpool  (threadpoolctl failed: {e!r})")
    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS",
                                       "OMP_NUM_THREADS", "MKL_NUM_THREADS")
           if k in os.environ}
    print(f"env         {env if env else '(no BLAS/OpenMP thread env vars set)'}")
    try:
        load = os.getloadavg()
        note = ""
        if load[0] > 0.5:
            note = "  <- other processes are busy; timings will be noisier"
        print(f"load avg    {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1/5/15 min){note}")
    except (OSError, AttributeError):
        pass
    print()


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def run_workload(wl, sides, mode, repeats_override):
    """sides: list of (label, np_module, lib_module). Returns a result dict."""
    res = {"name": wl.name, "times": {}, "times_nogc": {}, "errors": {}, "ok": None,
           "maxdiff": None, "cmp_msg": "", "n": 0}
    print(f"--- {wl.name}: {wl.desc}")
    data = wl.data()

    # Build + warm up each side; the warm-up result is what gets compared.
    fns, outs, warm = {}, {}, {}
    for label, np_mod, lib in sides:
        try:
            fn = wl.make(np_mod, lib, data)
            t, out = timed(fn)
            fns[label], outs[label], warm[label] = fn, out, t
        except Exception as e:  # noqa: BLE001
            res["errors"][label] = short_exc(e)
            print(f"    {label:9s} ERROR: {res['errors'][label]}")
    if not fns:
        return res

    if "autograd" in outs and "teachgrad" in outs:
        ok, md, msg = compare(outs["autograd"], outs["teachgrad"])
        res["ok"], res["maxdiff"], res["cmp_msg"] = ok, md, msg

    # Number of repeats: the nominal count, capped by a time budget.
    nominal = repeats_override or (wl.quick_repeats if mode == "quick" else wl.repeats)
    per_round = sum(warm.values())
    n = nominal
    if not repeats_override and per_round > 0:
        n = min(nominal, max(MIN_REPEATS[mode], int(BUDGET_S[mode] / per_round)))
    res["n"] = n

    samples = {label: [] for label in fns}
    for _ in range(n):  # interleaved: A, T, A, T, ...
        for label in list(fns):
            try:
                t, _ = timed(fns[label])
                samples[label].append(t)
            except Exception as e:  # noqa: BLE001 (warm-up passed but a later run failed)
                res["errors"][label] = short_exc(e)
                del fns[label]
    for label, s in samples.items():
        if s and label not in res["errors"]:
            res["times"][label] = statistics.median(s)

    # Diagnostic only: a few interleaved runs with the cyclic GC disabled, to
    # tell graph-size-dependent engine cost apart from Python's GC passes
    # (which scan every live object, so they cost more the bigger the graph).
    if wl.gc_diag and fns:
        nd = min(n, 3)
        diag = {label: [] for label in fns}
        for _ in range(nd):
            for label in list(fns):
                try:
                    diag[label].append(timed(fns[label], gc_off=True)[0])
                except Exception:  # noqa: BLE001
                    del fns[label]
        for label, s in diag.items():
            if s and label not in res["errors"]:
                res["times_nogc"][label] = statistics.median(s)

    ta, tt = res["times"].get("autograd"), res["times"].get("teachgrad")
    line = [f"    n={n:<3d}", f"autograd {fmt_time(ta):>10s}", f"teachgrad {fmt_time(tt):>10s}"]
    if ta and tt:
        line.append(f"ratio {tt / ta:6.3f}")
    if wl.n_ops:
        for label, t in (("autograd", ta), ("teachgrad", tt)):
            if t:
                line.append(f"{label} {t / wl.n_ops * 1e6:.2f} us/{wl.unit}")
    print("  ".join(line))
    if res["times_nogc"]:
        parts = [f"{label} {t / wl.n_ops * 1e6:.2f} us/{wl.unit}" for label, t in res["times_nogc"].items()]
        print(f"    (diagnostic, gc disabled, n={min(n, 3)}: {', '.join(parts)})")
    if res["ok"] is not None:
        status = "agree" if res["ok"] else "DIFFER"
        print(f"    gradients {status} (np.allclose), max abs diff {res['maxdiff']:.3e}"
              + (f"  [{res['cmp_msg']}]" if res["cmp_msg"] else ""))
    sys.stdout.flush()
    return res


def print_summary(results, have_tg):
    print()
    print("=" * 78)
    print("Summary (median wall time per call; ratio = teachgrad / autograd, lower is better)")
    print("=" * 78)
    hdr = (f"{'workload':18s} {'n':>3s} {'autograd':>10s} {'teachgrad':>10s} {'ratio':>7s} "
           f"{'ag us/op':>9s} {'tg us/op':>9s} {'grads':>6s} {'max|diff|':>9s}")
    print(hdr)
    print("-" * len(hdr))
    for r in results:
        wl = WORKLOADS_BY_NAME[r["name"]]
        ta, tt = r["times"].get("autograd"), r["times"].get("teachgrad")
        ratio = f"{tt / ta:7.3f}" if ta and tt else ("  ERROR" if "teachgrad" in r["errors"] else "      -")
        if wl.n_ops:
            pa = f"{ta / wl.n_ops * 1e6:9.2f}" if ta else f"{'-':>9s}"
            pt = f"{tt / wl.n_ops * 1e6:9.2f}" if tt else f"{'-':>9s}"
        else:
            pa = pt = f"{'-':>9s}"
        grads = "-" if r["ok"] is None else ("ok" if r["ok"] else "DIFFER")
        md = f"{r['maxdiff']:9.1e}" if r["maxdiff"] is not None else f"{'-':>9s}"
        print(f"{r['name']:18s} {r['n']:3d} {fmt_time(ta):>10s} {fmt_time(tt):>10s} {ratio} "
              f"{pa} {pt} {grads:>6s} {md}")
    print("(us/op: total time / exact number of primitive ops; for logreg_train it is us per GD step)")
    errs = [(r["name"], side, msg) for r in results for side, msg in r["errors"].items()]
    if errs:
        print()
        print("Errors:")
        for name, side, msg in errs:
            print(f"  {name} [{side}]: {msg}")

    # ---- targets ---------------------------------------------------------
    print()
    print("Targets")
    print("-" * 78)
    if not have_tg:
        print("  (teachgrad not available: targets not evaluated)")
        return
    by = {r["name"]: r for r in results}

    def ratio_of(name):
        r = by.get(name)
        if r is None:
            return None, "not run"
        if "teachgrad" in r["errors"]:
            return None, "teachgrad error"
        if "autograd" in r["errors"]:
            return None, "autograd error"
        ta, tt = r["times"].get("autograd"), r["times"].get("teachgrad")
        return tt / ta, None

    def verdict(cond):
        return "PASS" if cond else "FAIL"

    def line(v, text):
        print(f"  [{v}] {text}")

    # 1. no workload slower than autograd
    parts, all_ok, any_run = [], True, False
    for r in results:
        q, why = ratio_of(r["name"])
        if q is None:
            all_ok = False
            parts.append(f"{r['name']}={why}")
        else:
            any_run = True
            all_ok &= q <= 1.0
            parts.append(f"{r['name']}={q:.2f}")
    line(verdict(all_ok and any_run), "no workload slower than autograd (ratio <= 1.0): " + ", ".join(parts))
    for r in results:
        q, why = ratio_of(r["name"])
        line("PASS" if (q is not None and q <= 1.0) else "FAIL",
             f"    {r['name']}: " + (f"ratio {q:.3f}" if q is not None else why))

    # 2. overhead-bound workloads at least 2x faster
    ob = [w.name for w in WORKLOADS if w.overhead_bound]
    for name in ob:
        q, why = ratio_of(name)
        if why == "not run":
            line("N/A ", f"overhead-bound {name}: ratio <= 0.5 (not run)")
        else:
            line(verdict(q is not None and q <= 0.5),
                 f"overhead-bound {name}: ratio <= 0.5 (" + (f"{q:.3f}" if q is not None else why) + ")")

    # 3. < 5 us/op on the 2k chain
    r2 = by.get("scalar_chain_2k")
    tt2 = r2["times"].get("teachgrad") if r2 else None
    if r2 is None:
        line("N/A ", "scalar_chain_2k under 5 us/op (not run)")
    else:
        us2 = tt2 / 2000 * 1e6 if tt2 else None
        line(verdict(us2 is not None and us2 < 5.0),
             "scalar_chain_2k under 5 us/op (" + (f"{us2:.2f} us/op" if us2 else "teachgrad error") + ")")

    # 4. cost per op does not grow with graph size
    r100 = by.get("scalar_chain_100k")
    if r2 is None or r100 is None:
        line("N/A ", "cost per op not growing with graph size (needs scalar_chain_2k and _100k)")
    else:
        tt100 = r100["times"].get("teachgrad")
        if tt2 and tt100:
            def growth(key, side):
                a, b = r2[key].get(side), r100[key].get(side)
                return (b / 100_000) / (a / 2000) if a and b else None
            g_tg = growth("times", "teachgrad")
            g_ag = growth("times", "autograd")
            ref = f"; autograd: {g_ag:.2f}x" if g_ag else ""
            line(verdict(g_tg <= 1.25),
                 f"cost per op not growing with graph size: us/op(100k) / us/op(2k) = "
                 f"{g_tg:.2f}x (PASS if <= 1.25){ref}")
            n_tg, n_ag = growth("times_nogc", "teachgrad"), growth("times_nogc", "autograd")
            if n_tg or n_ag:
                print("         (same ratio with the cyclic GC disabled: "
                      + (f"teachgrad {n_tg:.2f}x" if n_tg else "teachgrad -")
                      + (f", autograd {n_ag:.2f}x" if n_ag else "") + ")")
        else:
            line("FAIL", "cost per op not growing with graph size (teachgrad error)")

    # 5. (informational) gradients agree
    bad = [r["name"] for r in results if r["ok"] is False]
    unchecked = [r["name"] for r in results if r["ok"] is None]
    txt = "all gradients agree with autograd (np.allclose)"
    if bad:
        txt += f"; DIFFER: {', '.join(bad)}"
    if unchecked:
        txt += f"; not checked (error): {', '.join(unchecked)}"
    line(verdict(not bad and not unchecked), txt)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="few repeats (smoke test: well under a minute)")
    ap.add_argument("--only", action="append", metavar="NAME", choices=[w.name for w in WORKLOADS],
                    help="run only this workload (may be given several times)")
    ap.add_argument("--repeats", type=int, default=None,
                    help="override the number of timed repeats per side")
    ap.add_argument("--list", action="store_true", help="list workloads and exit")
    # hidden: develop/test the harness without teachgrad
    ap.add_argument("--autograd-only", action="store_true", help=argparse.SUPPRESS)
    # hidden: exercise the comparison/summary code by using autograd on both sides
    ap.add_argument("--fake-teachgrad", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.list:
        for w in WORKLOADS:
            print(f"{w.name:18s} {w.desc}")
        return 0

    import autograd
    import autograd.numpy as anp

    sides = [("autograd", anp, autograd)]
    have_tg = False
    if args.autograd_only:
        tg_status = "skipped (--autograd-only)"
    elif args.fake_teachgrad:
        sides.append(("teachgrad", anp, autograd))
        have_tg = True
        tg_status = "FAKE: autograd is timed on both sides (--fake-teachgrad)"
    else:
        try:
            import teachgrad
            if getattr(teachgrad, "__file__", None) is None:
                # a bare directory (no __init__.py yet) imports as a namespace package
                raise ImportError("teachgrad is only a namespace package (no teachgrad/__init__.py)")
            missing = [n for n in ("grad", "value_and_grad", "hessian") if not hasattr(teachgrad, n)]
            if "grad" in missing:
                raise ImportError(f"teachgrad has no {', '.join(missing)}")
            import teachgrad.numpy as tnp
            if missing:
                print(f"note: teachgrad lacks {', '.join(missing)}; workloads using it will error")
            sides.append(("teachgrad", tnp, teachgrad))
            have_tg = True
            tg_status = f"{getattr(teachgrad, '__version__', '(no __version__)')} from " \
                        f"{os.path.dirname(os.path.abspath(teachgrad.__file__))}"
        except Exception as e:  # noqa: BLE001
            tg_status = f"NOT AVAILABLE ({short_exc(e)}) -- running the autograd side only"

    print_env(tg_status)
    if not have_tg:
        print(f"*** teachgrad could not be imported; timing autograd only. ***\n")

    mode = "quick" if args.quick else "full"
    selected = [w for w in WORKLOADS if not args.only or w.name in args.only]
    print(f"mode: {mode}; workloads: {', '.join(w.name for w in selected)}")
    print()

    t_start = time.perf_counter()
    results = []
    for wl in selected:
        try:
            results.append(run_workload(wl, sides, mode, args.repeats))
        except Exception as e:  # noqa: BLE001  (harness bug; keep going)
            print(f"    harness error in {wl.name}: {short_exc(e)}")
    print_summary(results, have_tg)
    print()
    print(f"total wall time {time.perf_counter() - t_start:.1f} s")
    return 0


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
    sys.exit(0)
