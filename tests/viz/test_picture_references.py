"""Pictures compared with committed references, so a change in a drawing is seen in review.

graphviz-pure writes the same SVG on every machine, so each drawing below must match its file
in tests/viz/references/ byte for byte. When a picture changes on purpose (a new label, a colour),
regenerate the references and commit them; the diff of the .svg files is the review:

    TEACHGRAD_UPDATE_REFERENCES=1 .venv/bin/python -m pytest tests/viz/test_picture_references.py

(The functions drawn are at the top of this file: their line numbers appear in the summary.)
"""
import difflib
import os
import pathlib
import subprocess

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad, show_graph
from teachgrad.viz import layout


def scalar(x, y):
    z = x * y
    h = np.sin(z)
    return h + x ** 2


def layer(W, b, x):
    return np.tanh(W @ x + b)


def loss(W, b, x):
    return np.sum(layer(W, b, x) ** 2)


def long_loop(x):
    y = x
    for _ in range(100):
        y = np.sin(y) * 0.99
    return y


REFERENCES = pathlib.Path(__file__).resolve().parent / "references"
UPDATE = os.environ.get("TEACHGRAD_UPDATE_REFERENCES") == "1"
DRAWINGS = {
    "scalar": lambda: show_graph(scalar, 1.0, 2.0, display=False),
    "array": lambda: show_graph(loss, onp.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]]),
                                onp.zeros(3), onp.array([1.0, -2.0]), digits=3, display=False),
    "gradient": lambda: show_graph(grad(np.tanh), 0.5, display=False),
    "summary": lambda: show_graph(long_loop, 0.5, node_limit=50, display=False),
}


def pure_version() -> str:
    done = subprocess.run([layout.find_pure(), "-V"], capture_output=True, text=True, check=True)
    return (done.stderr or done.stdout).strip()


@pytest.fixture(autouse=True)
def one_layout_program(monkeypatch):
    if layout.find_pure() is None:
        pytest.skip("graphviz-pure has no build for this machine: the references are its pictures")
    monkeypatch.setenv(layout.ENV, layout.PURE)


@pytest.mark.parametrize("name", DRAWINGS)
def test_picture_matches_its_reference(name, tmp_path):
    svg = DRAWINGS[name]().svg()
    reference = REFERENCES / f"{name}.svg"
    if UPDATE:
        REFERENCES.mkdir(exist_ok=True)
        reference.write_text(svg, encoding="utf-8")
        (REFERENCES / "VERSION").write_text(pure_version() + "\n", encoding="utf-8")
    expected = reference.read_text(encoding="utf-8")
    if svg != expected:
        (tmp_path / reference.name).write_text(svg, encoding="utf-8")
        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), svg.splitlines(True),
                                                 str(reference), "now"))[:40])
        made_with = (REFERENCES / "VERSION").read_text().strip()
        pytest.fail(f"The {name} picture changed (references made with {made_with}; this is "
                    f"{pure_version()}). If the change is intended, regenerate the references "
                    f"(see this file's docstring) and commit them. New picture: "
                    f"{tmp_path / reference.name}\n{diff}")


def test_the_references_show_what_each_drawing_is_for():
    """The references themselves are real pictures of their kind (not, say, an error page)."""
    texts = {name: (REFERENCES / f"{name}.svg").read_text(encoding="utf-8") for name in DRAWINGS}
    assert "∂scalar/∂x = 1.168" in texts["scalar"]
    assert "local ∂h/∂z = cos(z) = &#45;0.4161" in texts["scalar"] and ">Key<" in texts["scalar"]
    assert "np.outer(g, x)" in texts["array"] and "(3,) and (2,) &#45;&gt; (3, 2)" in texts["array"]
    assert "layer()" in texts["array"] and "value [[0.5, &#45;1], [2, 0.25]" in texts["array"]
    assert "computed by a backward pass" in texts["gradient"]
    assert "Summary: 201 nodes" in texts["summary"] and "long_loop(), line" in texts["summary"]
    assert all("graphviz-pure" in t for t in texts.values())
