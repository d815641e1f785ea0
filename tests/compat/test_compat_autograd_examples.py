"""autograd 1.9.1's examples that use its internals run on teachgrad with only the imports changed.

The examples come from the autograd sdist (fetched once, as for autograd's test
suite; skipped when it cannot be had); their imports are rewritten to
teachgrad and each is run as a script.
"""
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as onp
import pytest

from autograd_suite import prepare


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    try:
        sdist = prepare.sdist_path()
    except prepare.Unavailable as why:
        pytest.skip(f"autograd's sdist is not available: {why}")
    folder = tmp_path_factory.mktemp("autograd_examples")
    with tarfile.open(sdist) as archive:
        for name in ("print_trace.py", "dot_graph.py", "rkhs.py"):
            member = archive.extractfile(f"autograd-{prepare.VERSION}/examples/{name}")
            source = member.read().decode("utf-8")
            (folder / name).write_text(prepare.rewrite_imports(source))
    return folder


def run(folder: Path, name: str) -> str:
    done = subprocess.run([sys.executable, str(folder / name)], capture_output=True, text=True,
                          timeout=300, cwd=folder)
    assert done.returncode == 0, f"{name} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_print_trace_prints_the_computation(examples):
    lines = run(examples, "print_trace.py").splitlines()
    first = lines[:lines.index("")]
    assert first[0] == "A = 1.23"
    assert first[1] == "B = add(A,A) = 2.46"
    assert re.fullmatch(r"C = sin\(B\) = (\S+)", first[2])
    assert float(first[2].split(" = ")[-1]) == pytest.approx(onp.sin(2.46))
    assert first[3].startswith("D = add(C,C) = ")
    assert float(first[-1].split(" = ")[-1]) == pytest.approx(onp.sin(2.46))
    # the trace of grad(fun) shows the backward computation, ending in d fun / dx = 2 cos(2x)
    second = lines[lines.index("") + 1:]
    assert any(re.match(r"\w = cos\(B\)", line) for line in second)
    assert float([l for l in second if l][-1].split(" = ")[-1]) == pytest.approx(2 * onp.cos(2.0))


def test_dot_graph_writes_the_graph(examples):
    dot = run(examples, "dot_graph.py")
    labels = re.findall(r'label="([^"]+)", shape=box', dot)
    assert sorted(labels) == sorted(["sin", "exp", "add", "sub", "mul"])
    assert dot.startswith("digraph G {") and 'label="0.5"' in dot
    rendered = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=60)
    assert rendered.returncode == 0 and "<svg" in rendered.stdout


def test_rkhs_fits_the_data(examples):
    # rkhs.py grows a function in a reproducing-kernel Hilbert space by gradient steps on
    # a user-defined vector space (Box.register, VSpace.register); it prints x, y, f(x)
    rows = [line.split("\t") for line in run(examples, "rkhs.py").splitlines() if line]
    assert [int(x) for x, _, _ in rows] == [0, 1, 2, 3, 4]
    fitted = onp.array([float(fx) for _, _, fx in rows])
    targets = onp.array([float(y) for _, y, _ in rows])
    assert onp.all(onp.abs(fitted - targets) < 0.25), fitted
    assert onp.allclose(fitted, fitted[::-1])          # symmetric data, symmetric fit
