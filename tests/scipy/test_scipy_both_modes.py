"""teachgrad.test_util's check_grads (forward and reverse mode, second order) on a primitive
of each teachgrad.scipy module.

Run with TEACHGRAD_TEST_BACKEND=autograd to check the tests on autograd.scipy.
"""
import importlib

import numpy as onp
import pytest

pytest.importorskip("scipy")   # scipy is in the dev extra

from gradcheck import BACKEND, np, rand

signal = importlib.import_module(f"{BACKEND}.scipy.signal")
linalg = importlib.import_module(f"{BACKEND}.scipy.linalg")

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


# --------------------------------------------------------------------------
# teachgrad.test_util on these primitives: forward and reverse mode, order 2
# --------------------------------------------------------------------------

@pytest.mark.skipif(BACKEND != "teachgrad", reason="autograd.scipy lacks some forward-mode rules")
def test_test_util_check_grads_in_both_modes():
    from teachgrad.scipy import special, stats
    from teachgrad.test_util import check_grads as check_both_modes
    onp.random.seed(0)
    x = onp.array([0.5, 1.2, 2.0])
    a = onp.tril(rand((3, 3), seed=30)) + 3 * onp.eye(3)
    check_both_modes(special.gammaln)(x)
    check_both_modes(lambda x: special.logsumexp(np.reshape(x, (1, 3)), axis=1))(x)
    check_both_modes(stats.norm.logpdf, (0, 1, 2))(x, 0.3, 1.5)
    check_both_modes(linalg.solve_triangular, (0, 1))(a, x)
    check_both_modes(lambda A, B: signal.convolve(A, B, mode="same"), (0, 1))(x, onp.array([1.0, 2.0]))
    check_both_modes(linalg.sqrtm)(onp.dot(a, a.T))
