"""teachgrad.scipy.special: values against SciPy, gradients against finite
differences (first and second order) and against autograd's own.

Run with TEACHGRAD_TEST_BACKEND=autograd to check the tests on autograd.scipy.
"""
import importlib

import numpy as onp
import pytest

scipy_special = pytest.importorskip("scipy.special")   # scipy is in the dev extra

from gradcheck import BACKEND, autograd_lacks, check_grads, grad, np, rand

special = importlib.import_module(f"{BACKEND}.scipy.special")

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


def positive(shape, low=0.5, high=3.0, seed=0):
    return rand(shape, low, high, seed)


# (name, function of the differentiable arguments, inputs, argnums checked)
UNARY = [
    ("gamma", positive((3,))),
    ("gammaln", positive((3,))),
    ("rgamma", positive((3,))),
    ("psi", positive((3,))),
    ("digamma", positive((3,))),
    ("j0", rand((3,), -3, 3)),
    ("j1", rand((3,), -3, 3)),
    ("y0", positive((3,))),
    ("y1", positive((3,))),
    ("i0", rand((3,), -2, 2)),
    ("i1", rand((3,), -2, 2)),
    ("erf", rand((3,), -1.5, 1.5)),
    ("erfc", rand((3,), -1.5, 1.5)),
    ("erfinv", rand((3,), -0.8, 0.8)),
    ("erfcinv", rand((3,), 0.2, 1.8)),
    ("expit", rand((3,), -3, 3)),
    ("logit", rand((3,), 0.1, 0.9)),
]


@pytest.mark.parametrize("name, x", UNARY, ids=[u[0] for u in UNARY])
def test_unary(name, x):
    f = getattr(special, name)
    onp.testing.assert_allclose(f(x), getattr(scipy_special, name)(x), rtol=1e-12)
    check_grads(f, x)
    check_grads(f, float(x[0]))


def test_polygamma_and_orders():
    x = positive((3,))
    check_grads(lambda x: special.polygamma(2, x), x)
    check_grads(lambda x: special.jn(2, x), rand((3,), -3, 3))
    check_grads(lambda x: special.yn(2, x), positive((3,)))
    check_grads(lambda x: special.iv(1.5, x), positive((3,)))
    check_grads(lambda x: special.ive(2.0, x), rand_nonzero())
    check_grads(lambda a: special.multigammaln(a, 3), positive((2,), 2.0, 4.0))
    check_grads(lambda a: special.multigammaln(a, 2), 2.5)


def rand_nonzero():
    return onp.array([-1.3, -0.4, 0.6, 1.7])


def test_two_argument_functions():
    a, b = positive((3,), seed=1), positive((3,), seed=2)
    check_grads(special.beta, a, b)
    check_grads(special.betaln, a, b)
    check_grads(special.beta, a, 1.5)                 # broadcasting: the gradient is summed
    x = rand((3,), 0.2, 0.8, seed=3)
    check_grads(special.betainc, a, b, x, argnums=[2])
    check_grads(special.gammainc, a, x, argnums=[1])
    check_grads(special.gammaincc, a, x, argnums=[1])


def test_logsumexp():
    x = rand((3, 4), seed=4)
    check_grads(special.logsumexp, x)
    check_grads(lambda x: special.logsumexp(x, axis=1), x)
    check_grads(lambda x: special.logsumexp(x, axis=(0, 1), keepdims=True), x)
    check_grads(lambda x: special.logsumexp(x, axis=0, keepdims=True), x)
    b = positive((4,), seed=5)
    check_grads(lambda x: special.logsumexp(x, axis=1, b=b), x)
    onp.testing.assert_allclose(special.logsumexp(x, axis=1, b=b),
                                scipy_special.logsumexp(x, axis=1, b=b))


@autograd_lacks("a gradient of logsumexp with respect to the weights b")
def test_logsumexp_weights():
    x, b = rand((3, 4), seed=4), positive((3, 4), seed=5)
    check_grads(lambda x, b: special.logsumexp(x, axis=1, b=b), x, b)


@autograd_lacks("traced values given in a list")
def test_logsumexp_of_a_list_of_traced_numbers():
    f = lambda a, b: special.logsumexp([a, b])      # noqa: E731
    assert abs(grad(f)(0.3, 1.2) - 1.0 / (1.0 + onp.exp(0.9))) < 1e-12


def test_gradients_equal_autograds():
    ag_special = pytest.importorskip("autograd.scipy.special")
    import autograd

    x = positive((4,), seed=6)
    for name in ["gamma", "gammaln", "psi", "rgamma", "i0", "i1", "erf", "erfinv", "expit"]:
        ours = getattr(special, name)
        theirs = getattr(ag_special, name)
        for order in (1, 2):
            g_ours, g_theirs = ours, theirs
            for _ in range(order):
                g_ours = grad(lambda z, f=g_ours: np.sum(f(z)))
                g_theirs = autograd.grad(lambda z, f=g_theirs: autograd.numpy.sum(f(z)))
            y = x if name != "erfinv" else x / 4.0
            onp.testing.assert_allclose(g_ours(y), g_theirs(y), rtol=1e-10, err_msg=name)
    a = rand((2, 3), seed=7)
    onp.testing.assert_allclose(grad(lambda a: np.sum(special.logsumexp(a, axis=0)))(a),
                                autograd.grad(lambda a: autograd.numpy.sum(
                                    ag_special.logsumexp(a, axis=0)))(a), rtol=1e-12)


@pytest.mark.skipif(BACKEND != "teachgrad", reason="teachgrad's own error messages")
def test_no_gradient_for_an_order_says_so():
    from teachgrad.errors import NoGradientError
    with pytest.raises(NoGradientError, match="order"):
        grad(lambda n: special.polygamma(n, 2.0))(1.0)
    with pytest.raises(AttributeError, match="scipy.special.xlogy"):
        getattr(special, "xlogy")
