"""Traced eigh, eig, svd and slogdet return numpy's own result classes (numpy >= 2), in
reverse mode, forward mode (the tangents' structure) and on plain values alike."""
import numpy as onp
import pytest

from gradcheck import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "teachgrad", reason="teachgrad's own classes")

if BACKEND == "teachgrad":
    import teachgrad.numpy as np
    from teachgrad import grad, make_jvp

A = onp.array([[2.0, 0.5, 0.1], [0.5, 3.0, 0.2], [0.1, 0.2, 4.0]])
CALLS = {"eigh": lambda L, a: L.eigh(a), "eig": lambda L, a: L.eig(a),
         "svd": lambda L, a: L.svd(a), "slogdet": lambda L, a: L.slogdet(a)}


@pytest.mark.parametrize("name", CALLS)
def test_results_are_numpys_classes(name):
    call = CALLS[name]
    numpys = type(call(onp.linalg, A))
    seen = {}

    def f(a):
        seen["result"] = out = call(np.linalg, a)
        return np.sum(np.real(out[0])) + np.sum(np.abs(out[-1]))
    grad(f)(A)
    assert type(seen["result"]) is numpys
    assert type(call(np.linalg, A)) is numpys
    if hasattr(numpys, "_fields"):
        assert seen["result"]._fields == numpys._fields
        first = getattr(seen["result"], numpys._fields[0])
        assert first is seen["result"][0]
    _, tangent = make_jvp(lambda a: call(np.linalg, a))(A)(onp.eye(3))
    assert type(tangent) is numpys
