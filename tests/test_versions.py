"""The fast check nox runs on every Python and numpy teachgrad claims (noxfile.py).

Import, the engine, one gradient per family of functions (each against finite differences,
forward and reverse mode, to second order), and one drawing. Written with names that numpy
1.24 has too (no numpy-2-only aliases such as np.asin), so the oldest numpy runs it unchanged.
It also runs in the main suite, with whatever numpy is installed there.
"""
import sys

import numpy as onp
import pytest

import teachgrad
import teachgrad.numpy as np
from teachgrad import grad, hessian, jacobian, make_jvp, show_graph, value_and_grad
from teachgrad.test_util import check_grads

RNG = onp.random.default_rng(0)


def test_import_and_the_versions_it_runs_on():
    assert sys.version_info >= (3, 10)
    assert tuple(int(p) for p in onp.__version__.split(".")[:2]) >= (1, 24)
    assert callable(teachgrad.grad) and np.sin is not onp.sin


def test_the_engine_reverse_and_forward():
    def f(x, y):
        return np.sin(x * y) + x ** 2
    dx, dy = grad(f, (0, 1))(1.0, 2.0)
    assert dx == pytest.approx(2 * onp.cos(2.0) + 2.0) and dy == pytest.approx(onp.cos(2.0))
    value, dvalue = make_jvp(lambda x: f(x, 2.0))(1.0)(1.0)
    assert value == pytest.approx(onp.sin(2.0) + 1.0) and dvalue == pytest.approx(dx)
    assert hessian(lambda x: x ** 3)(2.0) == pytest.approx(12.0)


FAMILIES = {
    "elementwise": (lambda x: np.sum(np.tanh(x) * np.exp(x) + np.log(np.abs(x) + 1.0) + np.arctan(x)),
                    [RNG.normal(size=4)]),
    "broadcasting": (lambda a, b: np.sum((a[:, None] - b[None, :]) ** 2 / (1.0 + b ** 2)),
                     [RNG.normal(size=3), RNG.normal(size=2)]),
    "reductions": (lambda x: np.mean(x, axis=0).sum() + np.max(x) + np.prod(x[0]) + np.std(x),
                   [onp.array([[0.3, 1.2, -0.7], [2.0, -1.1, 0.4]])]),
    "linalg": (lambda A, v: np.dot(v, np.linalg.solve(A, v)) + np.linalg.det(A)
               + np.trace(np.linalg.inv(A) @ A.T),
               [onp.eye(3) * 2.0 + 0.3 * RNG.normal(size=(3, 3)), RNG.normal(size=3)]),
    "indexing and shapes": (lambda x: np.sum(np.concatenate([x[1:], x[:3] * 2.0]).reshape(2, 3).T
                                             @ np.stack([x[:2], x[2:4]])),
                            [RNG.normal(size=4)]),
    "containers and control flow": (
        lambda p: sum((p["w"][i] * p["x"] if i % 2 else np.cos(p["w"][i])) for i in range(3)),
        [{"w": [0.5, -1.2, 0.8], "x": 1.5}]),
}


@pytest.mark.parametrize("family", FAMILIES)
def test_a_gradient_per_family(family):
    fun, args = FAMILIES[family]
    check_grads(fun, argnum=tuple(range(len(args))) if len(args) > 1 else 0,
                modes=("fwd", "rev"), order=2)(*args)


def test_jacobian_and_value_and_grad():
    J = jacobian(lambda x: np.sin(x) * 2.0)(onp.array([0.1, 0.2]))
    assert onp.allclose(J, onp.diag(2 * onp.cos([0.1, 0.2])))
    value, g = value_and_grad(lambda x: np.sum(x ** 2))(onp.array([1.0, 2.0]))
    assert value == 5.0 and onp.allclose(g, [2.0, 4.0])


def test_one_drawing(tmp_path):
    def neuron(w, x, b):
        return np.tanh(w * x + b)
    picture = show_graph(neuron, 2.0, 0.5, -0.3, display=False)
    svg = picture.save(tmp_path / "neuron.svg").read_text(encoding="utf-8")
    assert "∂neuron/∂w" in svg and "tanh" in svg
    assert picture.save(tmp_path / "neuron.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
