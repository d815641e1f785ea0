"""teachgrad.scipy.integrate.odeint: gradients against finite differences.

Run with TEACHGRAD_TEST_BACKEND=autograd to check the tests on autograd.scipy.
"""
import importlib

import numpy as onp
import pytest

pytest.importorskip("scipy.integrate")   # scipy is in the dev extra

from gradcheck import BACKEND, check_grads, np

integrate = importlib.import_module(f"{BACKEND}.scipy.integrate")

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


# --------------------------------------------------------------------------
# odeint
# --------------------------------------------------------------------------

def test_odeint():
    def dynamics(y, t, A, c):
        return np.dot(A, y) * c + np.sin(t)

    y0 = onp.array([1.0, 0.5])
    times = onp.array([0.0, 0.4, 1.0])
    A = onp.array([[-0.5, 0.3], [-0.2, -0.4]])
    tol = dict(rtol=1e-10, atol=1e-10)

    builtins = importlib.import_module(f"{BACKEND}.builtins")

    def solve(y0, times, A, c):
        # autograd needs its builtins.tuple to trace the args; in teachgrad it is Python's tuple
        return integrate.odeint(dynamics, y0, times, builtins.tuple((A, c)), **tol)

    # forward mode through odeint is refused (explained; odeint is a reverse-mode rule)
    check_grads(solve, y0, times, A, 0.8, order=1, rtol=1e-4, atol=1e-6, modes=["rev"])
