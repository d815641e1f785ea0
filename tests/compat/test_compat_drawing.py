"""Old code can be drawn and checked: a defgrad primitive is one named node; check_grad sees its gradient."""
import warnings

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import check_grad, show_graph, trace
from teachgrad.core import primitive


@pytest.fixture
def softplus():
    @primitive
    def softplus(x):
        return np.log1p(np.exp(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        softplus.defgrad(lambda ans, x: lambda g: g / (1.0 + np.exp(-x)))
    return softplus


def test_defgrad_primitive_is_one_named_node(softplus):
    picture = show_graph(lambda x: softplus(x) * 2.0, 0.5, display=False)
    ops = [node.op for node in picture.graph.nodes]
    assert ops == ["input", "softplus", "multiply"]      # one node, not log1p and exp inside
    assert "softplus(x)" in picture.source
    node = picture.graph.nodes[1]
    assert node.grad == pytest.approx(2.0)
    assert picture.graph.nodes[0].grad == pytest.approx(2.0 / (1.0 + onp.exp(-0.5)))


def test_defvjp_1_1_primitive_is_one_named_node_in_the_trace():
    @primitive
    def cube(x):
        return x ** 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cube.defvjp(lambda g, ans, vs, gvs, x: g * 3 * x ** 2)
    graph = trace(lambda x: cube(x) + 1.0, 2.0)
    assert [n.op for n in graph.nodes] == ["input", "cube", "add"]
    assert graph.nodes[0].grad == pytest.approx(12.0)


def test_check_grad_checks_a_gradient_registered_with_defgrad(softplus):
    report = check_grad(lambda x: np.sum(softplus(x) ** 2), None, onp.array([0.3, -1.2]))
    assert report.passed, report
    assert "softplus" in str(report)


def test_check_grad_finds_a_wrong_defgrad():
    @primitive
    def square(x):
        return x ** 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        square.defgrad(lambda ans, x: lambda g: g * 3 * x)       # should be 2 * x
    report = check_grad(lambda x: np.sum(square(x)), None, onp.array([0.5, 1.5]))
    assert not report.passed
    assert "square: gradient for x" in str(report) and "wrong" in str(report)
