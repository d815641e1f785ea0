#!/usr/bin/env python
"""The fixed cost of one ``grad`` call, piece by piece (timeit: the best of 300 runs of 1,000 calls, short enough to fit between other processes on a shared machine).

``grad(np.sin)(0.3)`` does almost no arithmetic, so its time is the engine's
per-call overhead. This script times that call and then each piece of the
path it takes, called on its own, so a change can be aimed at the biggest
piece. The pieces are teachgrad's internals as of the commit named in
benchmarks/PROFILE.md; when the engine is reorganised, a piece that moved is
reported as "moved" and the names below need updating.

    .venv/bin/python benchmarks/overhead_breakdown.py              # working tree
    .venv/bin/python benchmarks/overhead_breakdown.py --rev HEAD   # as committed
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import timeit

if __name__ == "__main__":        # BLAS on one thread, as in the benchmarks' workload processes
    for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_name, "1")

import numpy as onp  # noqa: E402

import harness  # noqa: E402


def best_us(fn, number=1_000, repeat=300) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def pieces():
    """[(label, zero-argument callable or None if the internals moved)]."""
    import teachgrad
    import teachgrad.numpy as np
    from teachgrad import containers, differential_operators as ops, graph, tracing

    x = 0.3
    g = teachgrad.grad(np.sin)
    sig = ops.Signature(np.sin)

    # a recorded sin node to run the later pieces on
    rec = graph.Graph()
    tracing._active[rec.level] = rec
    try:
        node_x = tracing.new_input(rec, onp.float64(x), "x")
        out = np.sin(node_x)
    finally:
        del tracing._active[rec.level]
    grads = ops.input_gradients(rec, out, 1.0)

    def record_sin():
        tracing._active[rec.level] = rec
        del rec.nodes[2:]
        np.sin(node_x)
        del tracing._active[rec.level]

    if "chain_rule" in type(np.sin).__dict__:          # the one entry point, once it exists
        def maker_and_vjp():
            return np.sin.chain_rule(1.0, [0], out.value, out.args, None)
    else:
        maker = np.sin.vjp_makers[0]

        def maker_and_vjp():
            return maker(out.value, *out.args)(1.0)

    def paused_gc():
        with tracing.cycle_collection_paused():
            pass

    def recording():
        with tracing.recording(graph.Graph()):
            pass

    return [
        ("grad(np.sin)(0.3), the whole call", lambda: g(x)),
        ("numpy.sin(0.3) + numpy.cos(0.3) (the arithmetic)", lambda: onp.cos(onp.sin(x))),
        ("tracing.cycle_collection_paused(): enter + exit", paused_gc),
        ("    of which gc.disable() + gc.enable()", lambda: (gc.disable(), gc.enable())),
        ("graph.Graph() + tracing.recording(): enter + exit", recording),
        ("    of which graph.Graph()", graph.Graph),
        ("differential_operators.trace_call (all of recording)",
         lambda: ops.trace_call(sig, (x,), {}, [0])),
        ("containers.box_leaves(0.3) into a new Graph",
         lambda: containers.box_leaves(x, "x", graph.Graph(), True)),
        ("tracing.Primitive.__call__: np.sin(node), recorded", record_sin),
        ("differential_operators.scalar_output", lambda: ops.scalar_output(out, rec, "sin")),
        ("differential_operators.ones_like", lambda: ops.ones_like(out.value)),
        ("differential_operators.input_gradients (backward, 2 steps)",
         lambda: ops.input_gradients(rec, out, 1.0)),
        ("    of which sin's vjp: maker + call", maker_and_vjp),
        ("    of which teachgrad.numpy.cos(0.3), not traced", lambda: np.cos(x)),
        ("differential_operators.gather", lambda: ops.gather(rec, node_x, grads, "sin")),
    ]


def phases():
    """[(workload, ops, {phase: callable})]: recording and the backward pass timed apart.

    For the scalar chain, the RNN and one logistic-regression gradient:
    numpy's forward computation alone, teachgrad's recording of it (the
    forward pass plus the graph), and the backward pass over a graph already
    recorded; each divided by the number of recorded operations.
    """
    import teachgrad
    import teachgrad.numpy as tnp
    from teachgrad import differential_operators as ops
    import compare_autograd as ca

    def chain(np):
        return ca.make_scalar_chain(np, 2000), (0.3,)

    rnn_data = ca.data_rnn(False)

    def rnn(np):
        return ca.rnn_loss(np, rnn_data), (rnn_data[1],)

    logreg_data = ca.data_logreg(False)
    w = onp.full(logreg_data[0].shape[1], 0.01)

    def logreg(np):
        return ca.logreg_loss(np, logreg_data), (w,)

    rows = []
    for name, build in (("scalar_chain_2k", chain), ("rnn", rnn), ("logreg_step", logreg)):
        plain_fun, args = build(onp)
        fun, _ = build(tnp)
        sig = ops.Signature(fun)
        graph, _, out = ops.trace_call(sig, args, {}, [0])
        n_ops = sum(1 for node in graph.nodes if node.fun is not None)
        seed = onp.ones_like(out.value)
        g = teachgrad.grad(fun)
        rows.append((name, n_ops, {
            "numpy forward alone": lambda f=plain_fun, a=args: f(*a),
            "teachgrad recording (forward + graph)": lambda s=sig, a=args: ops.trace_call(s, a, {}, [0]),
            "teachgrad backward pass (graph recorded)":
                lambda gr=graph, o=out, sd=seed: ops.input_gradients(gr, o, sd),
            "teachgrad grad, the whole call": lambda g=g, a=args: g(*a),
        }))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rev", metavar="REV", help="teachgrad as committed at this revision")
    args = ap.parse_args(argv)
    if args.rev:
        harness.use_teachgrad_at(args.rev)
    libs, status = harness.libraries()
    harness.print_machine(harness.machine(), status)
    import autograd
    import autograd.numpy as anp
    ag = autograd.grad(anp.sin)
    try:
        rows = pieces()
    except (AttributeError, ImportError, TypeError) as error:
        print(f"the internals moved ({harness.short_exc(error)}); update pieces()")
        rows = []
    rows.insert(1, ("autograd.grad(anp.sin)(0.3), for comparison", lambda: ag(0.3)))
    for label, fn in rows:
        try:
            print(f"{best_us(fn):8.2f} µs  {label}")
        except Exception as error:  # noqa: BLE001
            print(f"   moved     {label} ({harness.short_exc(error)})")
        sys.stdout.flush()
    print()
    print("Recording and the backward pass apart (µs per recorded operation; with the cyclic")
    print("GC paused, as grad pauses it; the graph's memory is fresh on every call, so page")
    print("faults count where the process gets memory from the kernel):")
    try:
        rows = phases()
    except (AttributeError, ImportError, TypeError) as error:
        print(f"the internals moved ({harness.short_exc(error)}); update phases()")
        rows = []
    for name, n_ops, fns in rows:
        print(f"  {name} ({n_ops} operations)")
        for label, fn in fns.items():
            gc.disable()
            try:
                t = min(timeit.repeat(fn, number=2, repeat=80)) / 2
            finally:
                gc.enable()
            print(f"    {t / n_ops * 1e6:8.2f} µs/op  {t * 1e3:8.3f} ms  {label}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
