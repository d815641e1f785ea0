"""Functions that read an array in its memory layout (ravel, flatten and reshape with
order='A' or 'K', copy): forward mode reads the tangent in the input's layout, as numpy
reads the input, and reverse mode is its transpose."""
import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import make_jvp, make_vjp

rng = onp.random.default_rng(3)
LAYOUTS = {
    "C": rng.normal(size=(2, 3)),
    "F": onp.asfortranarray(rng.normal(size=(2, 3))),
    "transposed": rng.normal(size=(3, 2)).T,
    "reversed": rng.normal(size=(2, 3))[:, ::-1],
    "3-d, axes swapped": rng.normal(size=(4, 3, 2)).transpose(1, 0, 2),
}
FUNCTIONS = {}
for _o in "CFAK":
    FUNCTIONS[f"ravel {_o}"] = lambda X, o=_o: np.ravel(X, order=o)
    FUNCTIONS[f"flatten {_o}"] = lambda X, o=_o: X.flatten(o)
    FUNCTIONS[f"ravel method {_o}"] = lambda X, o=_o: X.ravel(o)
    FUNCTIONS[f"copy {_o}"] = lambda X, o=_o: np.copy(X, order=o)
    if _o != "K":                                     # (numpy refuses reshape(order='K'))
        FUNCTIONS[f"reshape {_o}"] = lambda X, o=_o: np.reshape(X, (-1,), order=o)
        FUNCTIONS[f"reshape method {_o}"] = lambda X, o=_o: X.reshape((X.shape[-1], -1), order=o)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_tangent_is_read_in_the_inputs_layout(name, layout):
    f, X = FUNCTIONS[name], LAYOUTS[layout]
    V = rng.normal(size=X.shape)
    laid_out = onp.empty_like(X)                 # V in X's own layout: f is linear, so f(V)
    laid_out[...] = V                             # read that way is the exact tangent
    expected = f(laid_out)
    tangent = make_jvp(f)(X)(V)[1]
    onp.testing.assert_array_equal(tangent, expected)
    vjp, out = make_vjp(f)(X)
    G = rng.normal(size=out.shape)
    onp.testing.assert_allclose(onp.sum(vjp(G) * V), onp.sum(G * expected), rtol=1e-12)


def test_the_example_of_the_bug_report():
    X = onp.asfortranarray(onp.arange(6.0).reshape(2, 3))
    tangent = make_jvp(lambda X: np.ravel(X, order="K"))(X)(onp.arange(6.0).reshape(2, 3) * 10)[1]
    onp.testing.assert_array_equal(tangent, [0, 30, 10, 40, 20, 50])
