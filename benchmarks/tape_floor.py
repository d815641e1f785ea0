#!/usr/bin/env python
"""The elementwise workload's floor: its reverse mode written out by hand, operation for operation.

``grad`` of ``sum(tanh(x) * exp(-x**2) + sin(x))`` on 10⁶ numbers is
memory-bound: each numpy operation reads and writes whole 8 MB arrays. Any
reverse mode that records operations and applies one gradient rule per
operation (teachgrad, autograd) makes the same passes over memory: the
forward pass's seven, then each rule's (``g * cos(x)``, ``g * (1 - t**2)``,
...) and the sums where gradients meet. A gradient derived and simplified by
hand, ``(1 - t² - 2xt) e^(-x²) + cos(x)``, makes about half as many and
skips the forward value. This script times four sides, each in a process of
its own pinned to one CPU (CPU time, median of one call, the last result kept
while the next is made, as in harness.py):

* ``autograd`` and ``teachgrad``: the benchmark's ``grad`` call;
* ``tape``: plain numpy making the very operations teachgrad's gradient rules
  make, in the same order, with no graph (the floor for reverse mode without
  fusing operations);
* ``numpy``: the hand-simplified gradient (the benchmark's "numpy by hand").

teachgrad / tape is what the engine adds; tape / numpy is what reverse mode
without fusion costs here.

    .venv/bin/python benchmarks/tape_floor.py
    .venv/bin/python benchmarks/tape_floor.py --repeats 41
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time

if __name__ == "__main__":        # BLAS on one thread, as in the benchmarks' workload processes
    for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_name, "1")

import numpy as onp  # noqa: E402

import harness  # noqa: E402

SIDES = ["autograd", "teachgrad", "tape", "numpy"]


def tape(x):
    """grad of sum(tanh(x) * exp(-x**2) + sin(x)) as teachgrad computes it, rule by rule."""
    def g():
        # forward pass: every value kept, as the graph keeps them
        t = onp.tanh(x)
        square = x ** 2
        minus = -square
        e = onp.exp(minus)
        product = t * e
        s = onp.sin(x)
        total = product + s
        onp.sum(total)
        # backward pass, in reverse order of computation
        seed = onp.broadcast_to(1.0, x.shape)           # sum: the seed, not copied
        g_product, g_s = seed, seed                     # add: passed on
        g_x = g_s * onp.cos(x)                          # sin
        g_t = e * g_product                             # multiply, both arguments
        g_e = t * g_product
        g_minus = g_e * e                               # exp
        g_square = -g_minus                             # negative
        g_x = g_x + g_square * (2.0 * x)                # power 2, added to x's gradient
        g_x += g_t * (1.0 - t ** 2)                     # tanh: x's third gradient, in place
        return g_x
    return g


def side(name: str):
    import compare_autograd
    x = compare_autograd.data_elementwise(False)
    if name == "tape":
        return tape(x)
    if name == "numpy":
        return compare_autograd.hand_elementwise(x)
    if name == "teachgrad":
        import teachgrad
        import teachgrad.numpy as np
        return compare_autograd.wl_elementwise(np, teachgrad, x)
    import autograd
    import autograd.numpy as anp
    return compare_autograd.wl_elementwise(anp, autograd, x)


def time_side(name: str, repeats: int) -> float:
    """Median CPU time of one call of side ``name``, in this process (which times nothing else)."""
    fn = side(name)
    kept = fn()
    kept = fn()                                 # the heap settles into this side's state
    samples = []
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.process_time()
            kept = fn()                         # the last result lives on while the next is made
            samples.append(time.process_time() - start)
    finally:
        gc.enable()
    del kept
    return statistics.median(samples)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=21)
    ap.add_argument("--serve", choices=SIDES, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        cpu = harness._timing_cpu()
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})
        print(time_side(args.serve, args.repeats))
        return 0
    harness.print_machine(harness.machine(), harness.libraries()[1])
    check = side("tape")()
    onp.testing.assert_allclose(check, side("numpy")(), rtol=1e-12, atol=1e-12)
    onp.testing.assert_array_equal(check, side("teachgrad")())    # the same operations, bit for bit
    times = {}
    for name in SIDES:
        command = [sys.executable, os.path.abspath(__file__), "--serve", name,
                   "--repeats", str(args.repeats)]
        times[name] = float(subprocess.run(command, capture_output=True, text=True,
                                           check=True).stdout.split()[-1])
    print("elementwise_1e6 (tape and teachgrad agree bit for bit, numpy to 1e-12); median of one call:")
    for name in SIDES:
        print(f"  {name:<10} {harness.fmt_time(times[name]):>10}")
    print(f"teachgrad / tape {times['teachgrad'] / times['tape']:.2f}   "
          f"tape / numpy {times['tape'] / times['numpy']:.2f}   "
          f"teachgrad / autograd {times['teachgrad'] / times['autograd']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
