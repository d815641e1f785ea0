#!/usr/bin/env python
"""Where teachgrad's time goes: cProfile of the overhead-bound workloads.

For each workload it prints

  * the median time of one call for teachgrad, autograd and numpy by hand
    (interleaved, as in the benchmarks), and
  * teachgrad's profile: the functions with the most own time (cProfile's
    tottime), per call of the workload, with how often each ran per call and
    its share of the profiled total.

cProfile adds a fixed cost to every Python function call, so a profiled run
is slower than a plain one and the shares favour code that makes many small
calls; read shares as where to look, and confirm a change with the benchmark.

    .venv/bin/python benchmarks/profile_hotpaths.py                 # all workloads
    .venv/bin/python benchmarks/profile_hotpaths.py --only one_op --top 15
    .venv/bin/python benchmarks/profile_hotpaths.py --rev HEAD      # teachgrad as committed
    .venv/bin/python benchmarks/profile_hotpaths.py --library autograd   # autograd's profile
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import statistics
import sys
import time

if __name__ == "__main__":        # BLAS on one thread, as in the benchmarks' workload processes
    for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_name, "1")

import numpy as onp  # noqa: E402

import harness  # noqa: E402

# name -> (compare_autograd workload name or None, calls to profile, description)
TARGETS = {
    "one_op": "grad of a one-operation function, np.sin at a float: the per-call overhead",
    "one_op_array": "grad of np.sum(np.sin(x)) at a 3-vector: per-call overhead with arrays",
    "scalar_chain_2k": "grad of the 2,000-operation scalar chain",
    "rnn": "grad of the 100-step RNN",
    "logreg_step": "one gradient call of the logistic regression (one of the loop's 200)",
    "logreg_train": "the whole 200-step logistic regression loop",
    "hessian": "hessian of the 50-vector function",
}
# and every workload of both benchmark families, by name (ex_ica, mlp, ...)


def builders():
    """name -> (make(np, ag) -> callable, hand() -> callable or None)."""
    import autograd_examples
    import compare_autograd as ca

    def from_workload(name):
        wl = next(w for w in ca.WORKLOADS + autograd_examples.WORKLOADS if w.name == name)
        data = wl.data(False)
        return ((lambda np, ag: wl.make(np, ag, data)),
                (lambda: wl.hand(data)) if wl.hand else None)

    def one_op(np, ag):
        g = ag.grad(np.sin)
        return lambda: g(0.3)

    x3 = onp.array([0.1, 0.2, 0.3])

    def one_op_array(np, ag):
        g = ag.grad(lambda x: np.sum(np.sin(x)))
        return lambda: g(x3)

    logreg_data = ca.data_logreg(False)

    def logreg_step(np, ag):
        X, y, _ = logreg_data

        def loss(w):
            margins = y * np.dot(X, w)
            return np.mean(np.log(1.0 + np.exp(-margins))) + ca.LOGREG_LAMBDA * np.sum(w ** 2)

        g, w = ag.grad(loss), onp.full(X.shape[1], 0.01)
        return lambda: g(w)

    def logreg_step_hand():
        X, y, _ = logreg_data
        w, n = onp.full(X.shape[1], 0.01), X.shape[0]

        def g():
            s = onp.exp(-(y * (X @ w)))
            return X.T @ (y * (-s / (1.0 + s)) / n) + 2.0 * ca.LOGREG_LAMBDA * w
        return g

    made = {w.name: from_workload(w.name) for w in ca.WORKLOADS + autograd_examples.WORKLOADS}
    return made | {
        "one_op": (one_op, lambda: (lambda: onp.cos(0.3))),
        "one_op_array": (one_op_array, lambda: (lambda: onp.cos(x3))),
        "logreg_step": (logreg_step, logreg_step_hand),
    }


def median_times(fns: dict, seconds: float) -> dict:
    """Interleaved medians; calls are batched so each sample lasts at least ~1 ms."""
    batch = {}
    for label, fn in fns.items():
        fn()
        start, k = time.perf_counter(), 0
        while time.perf_counter() - start < 0.01:
            fn()
            k += 1
        batch[label] = max(1, int(k / 10))
    samples = {label: [] for label in fns}
    deadline = time.perf_counter() + seconds
    rounds = 0
    while time.perf_counter() < deadline or rounds < 5:
        for label, fn in fns.items():
            n = batch[label]
            gc.collect()
            start = time.perf_counter()
            for _ in range(n):
                fn()
            samples[label].append((time.perf_counter() - start) / n)
        rounds += 1
    return {label: statistics.median(s) for label, s in samples.items()}


def page_faults(fn, calls: int = 20) -> float:
    """Minor page faults per call: first touches of memory the process got from the OS.

    Each costs a trap into the kernel (about 0.1-0.3 µs on bare metal, a few
    µs in a virtual machine); a gradient that allocates fresh temporaries for
    every call pays it on every page they span.
    """
    import resource
    fn()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(calls):
        fn()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / calls


def profile(fn, seconds: float):
    """(pstats.Stats, number of calls profiled)."""
    fn()
    start, calls = time.perf_counter(), 0
    profiler = cProfile.Profile()
    while time.perf_counter() - start < seconds or calls < 3:
        profiler.enable()
        fn()
        profiler.disable()
        calls += 1
    return pstats.Stats(profiler), calls


def where(key) -> str:
    filename, line, func = key
    if filename == "~":
        return func                                   # a builtin: {method 'append' ...}
    parts = filename.replace(os.sep, "/").split("/")
    for anchor in ("teachgrad", "autograd", "numpy"):
        if anchor in parts:
            i = len(parts) - 1 - parts[::-1].index(anchor)
            return f"{'/'.join(parts[i:])}:{line} {func}"
    return f"{parts[-1]}:{line} {func}"


def report(stats: pstats.Stats, calls: int, top: int) -> None:
    rows = [(tt, nc, ct, key) for key, (cc, nc, tt, ct, _) in stats.stats.items()]
    total = sum(tt for tt, *_ in rows)
    print(f"    profiled {calls} calls; {total / calls * 1e6:.1f} µs per call under cProfile")
    print(f"    {'own µs/call':>11s} {'share':>6s} {'calls/call':>10s} {'cum µs/call':>11s}  function")
    for tt, nc, ct, key in sorted(rows, reverse=True)[:top]:
        print(f"    {tt / calls * 1e6:11.1f} {tt / total:6.1%} {nc / calls:10.1f} "
              f"{ct / calls * 1e6:11.1f}  {where(key)}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", action="append", metavar="NAME",
                    help=f"one of {', '.join(TARGETS)}, or any benchmark workload's name")
    ap.add_argument("--top", type=int, default=20, help="rows of each profile")
    ap.add_argument("--seconds", type=float, default=4.0, help="timing and profiling time each")
    ap.add_argument("--library", choices=["teachgrad", "autograd"], default="teachgrad",
                    help="whose profile to print (both are timed)")
    ap.add_argument("--rev", metavar="REV",
                    help="profile teachgrad as committed at this git revision, not the working tree")
    args = ap.parse_args(argv)
    if args.rev:
        harness.use_teachgrad_at(args.rev)
    libs, status = harness.libraries()
    harness.print_machine(harness.machine(), status)
    made = builders()
    for name in args.only or list(TARGETS):
        if name not in made:
            raise SystemExit(f"no workload called {name!r}; known: {', '.join(made)}")
        make, hand = made[name]
        print(f"\n=== {name}: {TARGETS.get(name, '')}")
        fns = {label: make(np_mod, lib) for label, np_mod, lib in libs}
        if hand is not None:
            fns[harness.HAND] = hand()
        times = median_times(fns, args.seconds)
        print("    " + "   ".join(f"{label} {harness.fmt_time(t)}" for label, t in times.items())
              + (f"   teachgrad/autograd {times['teachgrad'] / times['autograd']:.2f}"
                 if "teachgrad" in times else ""))
        print("    minor page faults per call: " + "   ".join(
            f"{label} {page_faults(fn):.0f}" for label, fn in fns.items()))
        gc.collect()
        stats, calls = profile(fns[args.library], args.seconds)
        report(stats, calls, args.top)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
