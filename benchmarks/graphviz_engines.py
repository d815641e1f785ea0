"""System Graphviz `dot` against graphviz-pure on every kind of picture teachgrad draws.

    .venv/bin/python benchmarks/graphviz_engines.py [OUT_DIR] [--repeat N] [--hub 16,49]

Writes each picture's DOT, SVG and PNG from both engines into OUT_DIR (default
/tmp/teachgrad-engines) so they can be looked at side by side, and prints a
Markdown table: layout time (median of N runs of `-Tsvg`, process start included,
as teachgrad runs it), picture size, and what each engine printed on stderr.
The results are written down in benchmarks/graphviz_engines.md.
"""
from __future__ import annotations

import argparse
import pathlib
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time

import numpy as onp

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import teachgrad.numpy as np                      # noqa: E402
from teachgrad import grad, show_graph, step_through  # noqa: E402
import make_assets                                 # noqa: E402


def pictures() -> dict[str, str]:
    """name -> DOT source, for every kind of drawing the project makes."""
    rng = onp.random.default_rng(0)
    params = {'W1': rng.normal(size=(3, 2)).round(2), 'b1': onp.zeros(3),
              'W2': rng.normal(size=(1, 3)).round(2), 'b2': onp.zeros(1)}
    out = {
        # the README's assets (scripts/make_assets.py)
        "asset_scalar": show_graph(make_assets.scalar_example, 1.0, 2.0, display=False),
        "asset_network": show_graph(make_assets.network, params, onp.array([0.5, -1.0]),
                                    onp.array([0.3]), wrt="params", digits=3, display=False),
        "asset_gradient": show_graph(grad(np.tanh), 0.5, display=False),
    }

    # notebook 04: the graph of a second derivative (backward nodes, dashed)
    def h(x):
        return x ** 4 - 3 * x ** 2 + x
    out["notebook_grad_grad"] = show_graph(grad(grad(h)), 1.1, display=False)

    # tests/viz/test_show_graph.py: data leaves, nan/inf marks, a big array summarised
    def loss(w, X, y):
        return np.sum((X @ w - y) ** 2)
    out["test_data_leaves"] = show_graph(loss, onp.ones(2), onp.ones((3, 2)), onp.zeros(3),
                                         wrt="w", display=False)
    with onp.errstate(all="ignore"):
        out["test_nan_inf"] = show_graph(lambda x: np.sum(np.log(x)), onp.array([1.0, -1.0]),
                                         display=False)

    def chain(x):                        # about 200 nodes, drawn in full
        y = x
        for _ in range(66):
            y = np.tanh(y * 0.9 + 0.1)
        return y
    out["nodes_200"] = show_graph(chain, 0.5, node_limit=300, display=False)

    def long_loop(x):                    # 1e5 operations, drawn as a summary
        y = x
        for _ in range(50_000):
            y = np.sin(y) * 0.99
        return y
    out["summary_1e5_ops"] = show_graph(long_loop, 0.5, display=False)

    # one frame of the stepper's GIF: the same layout, recoloured
    stepper = step_through(make_assets.scalar_example, 1.0, 2.0)
    out["stepper_frame"] = stepper._redraw(stepper.steps[len(stepper.steps) // 2].style)
    return {name: (p if hasattr(p, "pipe") and not hasattr(p, "graph") else p.digraph).source
            for name, p in out.items()}


def graphviz_pure() -> str:
    scripts = pathlib.Path(sysconfig.get_path("scripts"))
    found = [p for p in (scripts / "graphviz-pure", scripts / "graphviz-pure.exe") if p.exists()]
    return str(found[0]) if found else (shutil.which("graphviz-pure") or "graphviz-pure")


def run(program: str, source: str, fmt: str, timeout: float | None = None) -> tuple[float, bytes, str]:
    start = time.perf_counter()
    done = subprocess.run([program, f"-T{fmt}"], input=source.encode("utf-8"),
                          capture_output=True, check=False, timeout=timeout)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{program} failed: {done.stderr.decode()}")
    return seconds, done.stdout, done.stderr.decode("utf-8", "replace").strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="/tmp/teachgrad-engines")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--hub", default="", help="also time hub graphs of these many loop steps "
                        "(comma-separated, e.g. 16,49,100), each run limited to 120 s")
    options = parser.parse_args()
    out = pathlib.Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    engines = {"dot": shutil.which("dot"), "pure": graphviz_pure()}
    for label, program in engines.items():
        version = subprocess.run([program, "-V"], capture_output=True, text=True).stderr.strip()
        print(f"{label}: {program}: {version}")
    print()
    print("| picture | DOT lines | dot s | pure s | dot SVG w x h pt | pure SVG w x h pt | pure stderr |")
    print("| --- | ---: | ---: | ---: | --- | --- | --- |")
    for name, source in pictures().items():
        (out / f"{name}.gv").write_text(source, encoding="utf-8")
        row = [name, str(source.count("\n"))]
        sizes, warnings = [], ""
        for label, program in engines.items():
            times = []
            for _ in range(options.repeat):
                seconds, svg, err = run(program, source, "svg")
                times.append(seconds)
            (out / f"{name}.{label}.svg").write_bytes(svg)
            _, png, _ = run(program, source, "png")
            (out / f"{name}.{label}.png").write_bytes(png)
            row.append(f"{statistics.median(times):.3f}")
            head = svg.decode().split("<svg", 1)[1].split(">", 1)[0]
            attrs = dict(part.split("=", 1) for part in head.split() if "=" in part)
            sizes.append(f"{attrs['width'].strip(chr(34))} x {attrs['height'].strip(chr(34))}")
            if label == "pure":
                warnings = " / ".join(sorted(set(err.splitlines())))[:120]
        print("| " + " | ".join(row + sizes + [warnings or "-"]) + " |")
    for steps in filter(None, options.hub.split(",")):
        source = hub_graph(int(steps))
        row = [str(source.count(" [label=<"))]
        for program in engines.values():
            try:
                row.append(f"{run(program, source, 'svg', timeout=120)[0]:.2f}")
            except subprocess.TimeoutExpired:
                row.append("> 120")
        print("| hub graph, nodes: " + " | ".join(row) + " |")


def hub_graph(steps: int) -> str:
    """Every loop step uses x again: one node with an edge into every step, a hard layout."""
    def f(x):
        y = x
        for _ in range(steps):
            y = np.sin(y) * x + 0.5
        return y
    return show_graph(f, 0.5, node_limit=10 ** 6, display=False).source


if __name__ == "__main__":
    main()
