"""Long computations: no recursion limit, and the graph is freed afterwards."""
import gc
import weakref

import pytest

import teachgrad.numpy as np
from teachgrad import grad


def chain(x, n):
    for _ in range(n):
        x = x + np.sin(x) * 1e-4          # three operations per step
    return x


def test_gradient_of_a_100k_operation_chain():
    g = grad(chain)(0.5, 100_000 // 3)
    # compare with the chain rule done by hand in plain Python
    import math
    x, d = 0.5, 1.0
    for _ in range(100_000 // 3):
        d *= 1 + math.cos(x) * 1e-4
        x = x + math.sin(x) * 1e-4
    assert 0.1 < d < 10                   # a derivative that neither vanishes nor explodes
    assert g == pytest.approx(d, rel=1e-9)


def test_graph_is_freed_after_grad_returns():
    seen = []

    def f(x):
        y = x
        for _ in range(1000):
            y = y * 1.001
        seen.append(weakref.ref(y))
        return y
    gc.disable()
    try:
        grad(f)(1.0)
        assert seen[0]() is None, "the graph outlived grad(): something keeps a reference"
    finally:
        gc.enable()
