"""Every tutorial notebook runs top to bottom, and its key numbers are right.

After a notebook's own cells, the test runs a few cells of checks in the same
kernel: each recomputes a number the notebook teaches (by a formula, or with
plain numpy) and compares it with what the notebook's functions give. The
checks are added to an in-memory copy; the committed notebook is unchanged.
"""
import copy
import html
import pathlib
import re

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))

CLOSE = '''
import math
import numpy as _onp
def close(a, b, rtol=1e-12):
    a, b = _onp.asarray(a, dtype=float), _onp.asarray(b, dtype=float)
    assert a.shape == b.shape, (a.shape, b.shape)
    assert _onp.allclose(a, b, rtol=rtol, atol=0), (a, b)
'''

KEY_NUMBERS = {
    "01_what_is_autodiff.ipynb": '''
close(grad(nested)(0.7, 5), evaluate(d(nested_formula(5)), 0.7))
assert grad(np.sin)(1.0) == math.cos(1.0)
assert abs(numeric_grad(np.sin, 1.0) - math.cos(1.0)) < 1e-9
exact = (2.0 * math.cos(2.0) + 2.0, 1.0 * math.cos(2.0))        # f = sin(xy) + x²
close(grad(f, (0, 1))(1.0, 2.0), exact)
close((g_x, g_y), exact)
''',
    "02_first_gradients.ipynb": '''
assert df(2.0) == 10.0                                           # 3·2² - 2
close(grad(sum_of_squares)(np.array([1.0, -2.0, 3.0])), [2.0, -4.0, 6.0])
s = 1 - math.tanh(2.0 * 0.5 - 0.3) ** 2
close(grad(neuron, (0, 1, 2))(2.0, 0.5, -0.3), (0.5 * s, 2.0 * s, s))
assert grad(poly)([1.0, 2.0, 3.0], 0.5) == [1.0, 0.5, 0.25]
assert grad(area)((2.0, 3.0)) == (3.0, 2.0)
w = _onp.array([0.5, -1.0, 2.0])                                 # the 2017 lab: logsumexp(2w + b)
softmax = _onp.exp(2 * w + 0.1) / _onp.sum(_onp.exp(2 * w + 0.1))
g = multigrad_dict(loss)(w, 0.1)
close(g["weights"], 2 * softmax)
close(g["bias"], 1.0)
''',
    "03_several_variables.ipynb": '''
g = multigrad_dict(f)(3.0, 2.0)
assert list(g) == ["x", "y"]
close((g["x"], g["y"]), (2 * 3.0 * 2.0, 3.0 ** 2 + math.cos(2.0)))
assert grad_named(scaled, "scale")(3.0, 2.0) == 9.0
assert sorted(multigrad_dict(scaled)(3.0, 2.0)) == ["scale", "x", "y"]
''',
    "04_higher_order.ipynb": '''
assert (cube(2.0), d1(2.0), d2(2.0), d3(2.0)) == (8.0, 12.0, 12.0, 6.0)
r, theta = 2.0, 0.3
close(jacobian(to_plane)(np.array([r, theta])),
      [[math.cos(theta), -r * math.sin(theta)], [math.sin(theta), r * math.cos(theta)]])
close(np.linalg.det(jacobian(to_plane)(np.array([r, theta]))), r)
''',
    "05_backprop_step_by_step.ipynb": '''
assert grad(f, (0, 1, 2))(2.0, -1.0, 3.0) == (3.0, 3.0, 1.0)    # (c, c, a + b)
assert grad(e, (0, 1))(1.0, 2.0) == (8.0, 5.0)
assert grad(e_power, (0, 1))(1.0, 2.0) == (8.0, 5.0)
assert len(s1.steps) == 2 * len(s1.graph.nodes)
da, dx = grad(scaled_sum, (0, 1))(0.5, _onp.array([1.0, 2.0, 4.0]))  # a broadcast scalar: a sum
assert da == 7.0 and list(dx) == [0.5, 0.5, 0.5]
''',
    "06_custom_gradients.ipynb": '''
for x in (-800.0, -5.0, 0.0, 5.0, 800.0):
    expected = 1.0 / (1.0 + math.exp(-x)) if x > -700 else 0.0
    close(grad(softplus)(x), expected)
    close(softplus(x), _onp.logaddexp(0.0, x))
assert check_grad(softplus, None, 1.5).passed
assert not check_grad(model_wrong, None, 0.7, np.array([1.0, -2.0, 0.5])).passed
assert not check_grad(softplus_wrong, None, 0.0, points=5).passed
''',
    "07_training.ipynb": '''
close(logistic_loss(params0, X, y), math.log(2.0))               # a coin flip
network = accuracy(mlp_logits, mlp, X_new, y_new)
line = accuracy(logistic_logits, logistic, X_new, y_new)
assert network > 0.95 and network > line + 0.05, (network, line)
''',
    "09_build_your_own_engine.ipynb": '''
x, y = Value(0.3), Value(-1.2)                                   # the engine, at another point
backward(f(x, y))
close((x.grad, y.grad), (-1.2 * math.cos(-0.36) + 0.6, 0.3 * math.cos(-0.36)))
w, x, b = Value(-1.0), Value(0.4), Value(0.2)
backward(neuron_ours(w, x, b))
s = 1 - math.tanh(-0.2) ** 2
close((w.grad, x.grad, b.grad), (0.4 * s, -1.0 * s, s))
''',
    "10_pitfalls.ipynb": '''
close(grad(loss_fixed)(_onp.ones(2)), data.sum(axis=0))
from teachgrad.errors import AssignmentError
try:
    grad(loss)(_onp.ones(2))
    raise RuntimeError("refilling the buffer was not refused")
except AssignmentError as error:
    assert "changed after the function had used it" in str(error)
assert buffer.flags.writeable
''',
    "11_forward_and_reverse_mode.ipynb": '''
x0 = _onp.array([0.5, -1.0, 2.0, 0.1])
close(gradient_by_forward_mode(f, x0), grad(f)(x0))
hh = _onp.tanh(A @ x0)
uu = hh * hh + _onp.sin(hh)
by_hand = (2 * uu * (2 * hh + _onp.cos(hh)) * (1 - hh ** 2)) @ A     # chain rule, written out
close(grad(f)(x0), by_hand)
close(make_jvp(curve)(0.3)(1.0)[1], _onp.arange(100.0) * _onp.cos(_onp.arange(100.0) * 0.3) / (1 + _onp.arange(100.0)))
counted = cost(loss, _onp.linspace(-1.0, 1.0, 100))       # sum(tanh(w) ** 2): 3 operations
assert (counted.reverse.passes, counted.reverse.rules) == (1, 3)
assert (counted.forward.passes, counted.forward.evaluations, counted.forward.rules) == (100, 300, 300)
counted = cost(curve, 0.3)                                   # 100 outputs: the other way round
assert (counted.reverse.passes, counted.forward.passes) == (100, 1)
close(s_forward.steps[-1].tangent, grad(neuron)(2.0, 0.5, -0.3))
''',
    "08_exercises.ipynb": '''
assert dsq_dw(1.5, 2.5, 2.0) == 8.75                             # 2 (w x - y) x
assert check_grad(sq_error, dsq_dw, 1.5, 2.5, 2.0).passed
zs = _onp.array([-1.0, 0.0, 2.0])
sig = 1 / (1 + _onp.exp(-zs))
close(dsig(zs), sig * (1 - sig))
Ws = _onp.array([[0.5, -1.0, 2.0], [1.5, 0.2, -0.3], [0.0, 1.0, 1.0]])
xs, ys = _onp.array([1.0, 2.0, -1.0]), _onp.array([0.5, -0.5, 1.0])
close(dW(Ws, xs, ys), 2 * _onp.outer(Ws @ xs - ys, xs))
p = _onp.exp(zs) / _onp.sum(_onp.exp(zs))
close(dL_dz(zs, 2), p - _onp.eye(3)[2])
assert not check_grad(cube, lambda x: 3 * x ** 3, 2.0).passed
''',
}


# What may differ between two runs of the same notebook: ids, addresses, timings, paths.
VOLATILE = [
    (re.compile(r"0x[0-9a-fA-F]+"), "0x…"),
    (re.compile(r"tg[0-9a-f]{10}"), "tg…"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "…uuid…"),
    (re.compile(r"[0-9a-f]{32}"), "…id…"),
    (re.compile(r"d\d{12,}"), "d…"),                       # a data node's id: its Python id()
    (re.compile(r"\s*\d+(?:\.\d+)?\s?(?:µs|ms|s)\b"), " …time…"),
    (re.compile(r"/tmp/[^\s'\"]+"), "/tmp/…"),
    (re.compile(r"ipykernel_\d+/\d+"), "ipykernel…"),
]
TEXT = ("text/plain", "text/html", "text/markdown", "text/latex")


def steady(text: str) -> str:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def shown(cell) -> list:
    """What a cell shows, comparable between runs: text exactly (volatile parts masked),
    pictures by kind only (their bytes depend on fonts and library versions)."""
    result = []
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        if kind == "stream":
            if result and result[-1][:2] == ("stream", output["name"]):
                result[-1] = ("stream", output["name"], result[-1][2] + steady(output["text"]))
            else:
                result.append(("stream", output["name"], steady(output["text"])))
        elif kind == "error":
            result.append(("error", output["ename"], steady(output["evalue"])))
        else:
            data = output.get("data", {})
            result.append((kind, tuple(sorted(data)),
                           tuple(steady(data[m]) for m in sorted(data) if m in TEXT)))
    return result


BLANK_TAGS = {"solution", "no-output"}     # saved without outputs: they would give answers away


def is_blank(cell) -> bool:
    return cell.cell_type == "code" and bool(BLANK_TAGS & set(cell.metadata.get("tags", [])))


def readable(cell) -> str:
    """All a cell's outputs as a reader sees them: markup removed, entities decoded."""
    parts = [part for output in shown(cell) for part in output[2:]]
    text = " ".join(p if isinstance(p, str) else " ".join(p) for p in parts)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


# Each exercise's answer as its solution prints it: no output above the solution may show it.
ANSWERS = {
    "01_what_is_autodiff.ipynb": ["4.648721270700128"],
    "02_first_gradients.ipynb": ["13.5 = 13.5"],
    "03_several_variables.ipynb": ["-1.3646868585473906", "w = 2.399"],
    "04_higher_order.ipynb": ["1.1309011226"],
    "05_backprop_step_by_step.ipynb": ["(8.0, 5.0)", "∂e/∂x = 8"],
    "06_custom_gradients.ipynb": ["0.0451767", "-0.09085774767294841"],
    "07_training.ipynb": ["0.7049 -> 0.0217", "highest loss 285"],
    "09_build_your_own_engine.ipynb": ["x³ + 2x: 8.75 = 8.75"],
    "10_pitfalls.ipynb": ["= s0 (e0 - s)"],
    "11_forward_and_reverse_mode.ipynb": ["forward mode wins"],
    "08_exercises.ipynb": ["PASS — check_grad(sq_error, dsq_dw)", "PASS — check_grad(net, node by node)"],
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
@pytest.mark.timeout(240)
def test_notebook_runs_and_teaches_the_right_numbers(path, tmp_path):
    assert path.name in KEY_NUMBERS, f"{path.name} has no key-number checks in this test"
    committed = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(committed)
    n_own = len(nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell(CLOSE + KEY_NUMBERS[path.name]))
    # run in a scratch folder so that files a notebook saves do not land in the repository
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [(i, o) for i, cell in enumerate(nb.cells) for o in cell.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, [(i, o["ename"], o["evalue"]) for i, o in errors]
    assert len(nb.cells) == n_own + 1
    blank = [i for i, cell in enumerate(committed.cells) if is_blank(cell)]
    assert not [i for i in blank if committed.cells[i].outputs], \
        f"{path.name}: solution cells must be saved without outputs (scripts/execute_notebooks.py)"
    for answer in ANSWERS[path.name]:
        where = [i for i in blank if answer in readable(nb.cells[i])]
        assert where, f"{path.name}: no solution cell prints {answer!r}: update ANSWERS"
        early = [i for i, cell in enumerate(committed.cells[:where[0]])
                 if cell.cell_type == "code" and answer in readable(cell)]
        assert not early, (f"{path.name}: cells {early} show the answer {answer!r} before the "
                           "student tries: tag them no-output")
    stale = [i for i, (old, new) in enumerate(zip(committed.cells, nb.cells))
             if old.cell_type == "code" and i not in blank and shown(old) != shown(new)]
    assert not stale, (f"{path.name}: the committed outputs of cells {stale} are not what the "
                       "code gives now; run .venv/bin/python scripts/execute_notebooks.py")


def test_there_are_tutorials():
    assert len(NOTEBOOKS) >= 1, "notebooks/ has no tutorial notebooks"
