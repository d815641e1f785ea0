"""Lists, tuples and dicts as arguments: gradients come back in the same shape."""
from collections import namedtuple

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad, trace
from gradcheck import numeric_grad

rng = onp.random.default_rng(0)
W1, b1, W2 = rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=(1, 3))
X = rng.normal(size=(2, 5))


def loss(params, X):
    h = np.tanh(params['layers'][0]['W'] @ X + params['layers'][0]['b'][:, None])
    out = params['layers'][1] @ h
    return np.mean(out ** 2) + params['scale'] * np.sum(params['layers'][0]['b'] ** 2)


def make_params():
    return {'layers': [{'W': W1.copy(), 'b': b1.copy()}, W2.copy()], 'scale': 0.1}


def test_nested_dict_list_gradient_has_same_structure_and_values():
    params = make_params()
    g = grad(loss)(params, X)
    assert set(g) == {'layers', 'scale'}
    assert isinstance(g['layers'], list) and len(g['layers']) == 2
    assert g['layers'][0]['W'].shape == W1.shape
    assert g['layers'][1].shape == W2.shape

    def with_leaf(path_value, setter):
        def fn(v):
            p = make_params()
            setter(p, v)
            return loss(p, X)
        return numeric_grad(fn, path_value)
    onp.testing.assert_allclose(
        g['layers'][0]['W'], with_leaf(W1, lambda p, v: p['layers'][0].__setitem__('W', v)), rtol=1e-6)
    onp.testing.assert_allclose(
        g['layers'][0]['b'], with_leaf(b1, lambda p, v: p['layers'][0].__setitem__('b', v)), rtol=1e-6)
    onp.testing.assert_allclose(
        g['layers'][1], with_leaf(W2, lambda p, v: p['layers'].__setitem__(1, v)), rtol=1e-6)
    assert g['scale'] == pytest.approx(onp.sum(b1 ** 2))


def test_tuples_and_namedtuples():
    Point = namedtuple('Point', 'x y')
    g = grad(lambda t: t[0] * t[1] ** 2)((2.0, 3.0))
    assert isinstance(g, tuple) and g == pytest.approx((9.0, 12.0))
    g = grad(lambda p: p.x * p.y)(Point(2.0, 3.0))
    assert isinstance(g, Point) and (g.x, g.y) == pytest.approx((3.0, 2.0))


def test_unused_leaf_gets_zero_of_its_shape():
    with pytest.warns(UserWarning, match="does not depend on p\\['unused'\\]"):
        g = grad(lambda p: np.sum(p['used'] ** 2))({'used': onp.ones(2), 'unused': onp.ones((2, 3))})
    onp.testing.assert_array_equal(g['unused'], onp.zeros((2, 3)))
    onp.testing.assert_array_equal(g['used'], [2.0, 2.0])


def test_input_names_follow_the_structure():
    g = trace(loss, make_params(), X, wrt='params')
    names = [n.name for n in g.inputs]
    assert names == ["params['layers'][0]['W']", "params['layers'][0]['b']",
                     "params['layers'][1]", "params['scale']"]


def test_lists_of_traced_values_inside_the_function():
    def g(x):
        values = [x, x ** 2, np.sin(x)]
        total = 0.0
        for v in values:
            total = total + v
        return total + np.sum(np.array(values)) + sum(values)
    expected = 3 * (1 + 2 * 0.4 + onp.cos(0.4))
    assert grad(g)(0.4) == pytest.approx(expected)
