"""teachgrad.scipy's gradients live in their inputs' spaces: a real argument with a complex
partner (convolve, solve_triangular, solve_banded, solve_sylvester, logsumexp's b) gets a real
gradient, checked against finite differences to second order."""
import importlib

import numpy as onp
import pytest

from gradcheck import BACKEND, autograd_lacks, check_grads

pytest.importorskip("scipy")
signal = importlib.import_module(f"{BACKEND}.scipy.signal")
special = importlib.import_module(f"{BACKEND}.scipy.special")
linalg = importlib.import_module(f"{BACKEND}.scipy.linalg")

rng = onp.random.default_rng(4)


def real(*shape):
    return rng.normal(size=shape)


def cplx(*shape):
    return rng.normal(size=shape) + 1j * rng.normal(size=shape)


UPPER = onp.triu(real(3, 3)) + 3 * onp.eye(3)
SPD = UPPER @ UPPER.T
BANDED = onp.array([[0.0, 0.3, -0.2], [2.0, 1.8, 2.2], [0.4, 0.1, 0.0]])

CASES = {
    "convolve, complex second": (lambda a, b: signal.convolve(a, b), real(4), cplx(3)),
    "convolve, complex first": (lambda a, b: signal.convolve(a, b), cplx(4), real(3)),
    "solve_triangular, complex b": (lambda a, b: linalg.solve_triangular(a + UPPER, b), 0.1 * real(3, 3), cplx(3)),
    "solve_triangular, complex a": (lambda a, b: linalg.solve_triangular(a + UPPER, b, trans="C"),
                                    0.1 * cplx(3, 3), real(3, 2)),
    "solve_banded, complex b": (lambda ab, b: linalg.solve_banded((1, 1), ab + BANDED, b), 0.1 * real(3, 3), cplx(3)),
    "solve_sylvester, complex q": (lambda a, b, q: linalg.solve_sylvester(a + SPD, b + SPD, q),
                                   0.1 * real(3, 3), 0.1 * real(3, 3), cplx(3, 3)),
    "logsumexp, complex b": (lambda a, b: special.logsumexp(a, b=b), real(3), cplx(3) + 2.0),
}


# autograd 1.9 gives these real arguments complex gradients (or has no such gradient)
AUTOGRAD_LACKS = {"convolve, complex second", "convolve, complex first", "solve_triangular, complex a",
                  "solve_banded, complex b", "logsumexp, complex b"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=autograd_lacks("real gradients with a complex "
                                                                      "partner here")
                                               if n in AUTOGRAD_LACKS else ()) for n in CASES])
def test_mixed_real_and_complex_arguments(name):
    f, *args = CASES[name]
    check_grads(f, *args)
