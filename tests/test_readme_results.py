"""The results README.md's examples document in their comments are the results they give.

Each check names the README line whose comment it verifies (that line must be
in the example, verbatim), runs the example, and recomputes what the comment
claims independently, with plain numpy.
"""
import contextlib
import io
import math
import pathlib
import re

import numpy as onp
import pytest

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def run_block(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "readme"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(BLOCKS[index], str(README), "exec"), namespace)
    return namespace, printed.getvalue().splitlines()


def block_with(line):
    """The index of the one README example containing ``line`` verbatim."""
    found = [i for i, block in enumerate(BLOCKS) if line in block.splitlines()]
    assert len(found) == 1, f"README no longer has exactly one example with the line {line!r}"
    return found[0]


def test_first_gradient(tmp_path, monkeypatch):
    i = block_with("print(df_dx(1.0, 2.0))                # cos(1) * 2 + 2 * 1 = 3.0806...")
    ns, printed = run_block(i, tmp_path, monkeypatch)
    assert printed[0].startswith("3.0806")
    assert float(printed[0]) == pytest.approx(math.cos(1.0) * 2 + 2, abs=1e-12)


def test_several_arguments(tmp_path, monkeypatch):
    i = block_with("multigrad_dict(f)(1.0, 2.0)      # {'x': df/dx, 'y': df/dy}")
    ns, _ = run_block(i, tmp_path, monkeypatch)
    dfdx, dfdy = math.cos(1.0) * 2 + 2, math.sin(1.0)
    ev = lambda code: eval(code, ns)                               # noqa: E731
    assert ev("grad(f)(1.0, 2.0)") == pytest.approx(dfdx, abs=1e-12)
    assert ev("grad(f, 1)(1.0, 2.0)") == pytest.approx(dfdy, abs=1e-12)
    assert ev("grad_named(f, 'y')(1.0, 2.0)") == pytest.approx(dfdy, abs=1e-12)
    for code in ("grad(f, (0, 1))(1.0, 2.0)", "multigrad(f, [0, 1])(1.0, 2.0)"):
        pair = ev(code)
        assert isinstance(pair, tuple) and len(pair) == 2
        assert pair == (pytest.approx(dfdx, abs=1e-12), pytest.approx(dfdy, abs=1e-12))
    by_name = ev("multigrad_dict(f)(1.0, 2.0)")
    assert list(by_name) == ["x", "y"]
    assert by_name == {"x": pytest.approx(dfdx, abs=1e-12), "y": pytest.approx(dfdy, abs=1e-12)}


def test_jacobian_and_hessian(tmp_path, monkeypatch):
    i = block_with("jacobian(lambda x: x ** 2)(np.array([1.0, 2.0]))      # [[2, 0], [0, 4]]")
    assert "hessian(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0]))   # [[6, 0], [0, 12]]" \
        in BLOCKS[i].splitlines()
    ns, _ = run_block(i, tmp_path, monkeypatch)
    x = onp.linspace(-2.0, 2.0, 5)
    onp.testing.assert_allclose(eval("elementwise_grad(np.tanh)(x)", ns), 1 - onp.tanh(x) ** 2,
                                rtol=1e-14, atol=0)
    onp.testing.assert_array_equal(eval("jacobian(lambda x: x ** 2)(np.array([1.0, 2.0]))", ns),
                                   [[2.0, 0.0], [0.0, 4.0]])
    onp.testing.assert_array_equal(
        eval("hessian(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0]))", ns),
        [[6.0, 0.0], [0.0, 12.0]])


def test_third_derivative_of_tanh(tmp_path, monkeypatch):
    i = block_with("print(d3_tanh(0.5))                                   # -0.5652...")
    _, printed = run_block(i, tmp_path, monkeypatch)
    t = math.tanh(0.5)
    exact = -2 * (1 - t ** 2) * (1 - 3 * t ** 2)          # d3/dx3 tanh = -2 sech²(x) (1 - 3 tanh²(x))
    assert printed[0].startswith("-0.5652")
    assert float(printed[0]) == pytest.approx(exact, rel=1e-14)


def test_gradient_has_the_structure_of_the_params(tmp_path, monkeypatch):
    i = block_with("print(g['layers'][0]['W'].shape)      # (3, 4): the same structure as params")
    ns, printed = run_block(i, tmp_path, monkeypatch)
    assert printed == ["(3, 4)"]
    g, params = ns["g"], ns["params"]
    assert list(g) == ["layers"] and len(g["layers"]) == 2
    for got, param in zip(g["layers"], params["layers"]):
        assert list(got) == list(param)
        for key in param:
            assert got[key].shape == param[key].shape


def test_show_graph_example(tmp_path, monkeypatch):
    i = block_with("print(len(picture.graph.nodes))       # the recorded graph: 6 nodes")
    ns, printed = run_block(i, tmp_path, monkeypatch)
    assert printed[0].startswith("digraph")
    assert printed[-1] == "6"
    assert (tmp_path / "f.svg").read_text().lstrip().startswith(("<?xml", "<svg"))


def test_stepper_example(tmp_path, monkeypatch):
    i = block_with("print(s.index, len(s.steps), s.steps[8].title)        # 0 12 backward 3/6")
    _, printed = run_block(i, tmp_path, monkeypatch)
    assert printed == ["0 12 backward 3/6"]
    assert (tmp_path / "backprop.html").stat().st_size > 0


def test_check_grad_example(tmp_path, monkeypatch):
    i = block_with("print(wrong.passed, wrong.diagnoses)   # False, and \"Wrong sign: ...\"")
    ns, printed = run_block(i, tmp_path, monkeypatch)
    assert printed[0] == "True"
    assert printed[1].startswith("False") and "Wrong sign" in printed[1]
    assert ns["report"].passed is True and ns["wrong"].passed is False


def test_custom_gradient_example(tmp_path, monkeypatch):
    i = block_with("print(grad(logsumexp)(np.array([1000.0, 1000.0])))   "
                   "# [0.5 0.5], where exp(1000) would overflow")
    _, printed = run_block(i, tmp_path, monkeypatch)
    assert printed == ["[0.5 0.5]"]


def test_recorded_graph_example(tmp_path, monkeypatch):
    i = block_with("graph = trace(f, 1.0, 2.0)")
    ns, printed = run_block(i, tmp_path, monkeypatch)
    z = 2.0
    expected_nodes = [
        f"  x = input()  value 1.000  grad {math.cos(z) * 2 + 2:.3f}",
        f"  y = input()  value 2.000  grad {math.cos(z) * 1:.3f}",
        f"  z = multiply(x, y)  value 2.000  grad {math.cos(z):.3f}",
    ]
    assert printed[0] == "2.0"                       # graph["z"].value, named by its variable
    assert printed[1:4] == expected_nodes
    assert ns["graph"]["z"].op == "multiply"
    assert ns["graph"]["square"].op == "power"
