"""teachgrad.scipy.signal.convolve: values against SciPy and autograd's convolve, gradients
against finite differences (first and second order) and against autograd's own.

Run with TEACHGRAD_TEST_BACKEND=autograd to check the tests on autograd.scipy.
"""
import importlib

import numpy as onp
import pytest

scipy_signal = pytest.importorskip("scipy.signal")   # scipy is in the dev extra

from gradcheck import BACKEND, check_grads, grad, np, rand

signal = importlib.import_module(f"{BACKEND}.scipy.signal")

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


# --------------------------------------------------------------------------
# convolve
# --------------------------------------------------------------------------

SHAPES = [((5,), (3,)), ((3,), (5,)), ((4,), (4,)), ((4, 5), (2, 3)), ((3, 4), (3, 2))]


@pytest.mark.parametrize("mode", ["full", "valid", "same"])
@pytest.mark.parametrize("sa, sb", SHAPES, ids=[f"{a}*{b}" for a, b in SHAPES])
def test_convolve_matches_scipy_and_differentiates(sa, sb, mode):
    if mode == "valid" and not (all(a >= b for a, b in zip(sa, sb)) or all(a <= b for a, b in zip(sa, sb))):
        pytest.skip("'valid' needs one array at least as large as the other along every axis")
    A, B = rand(sa, seed=1), rand(sb, seed=2)
    onp.testing.assert_allclose(signal.convolve(A, B, mode=mode),
                                scipy_signal.convolve(A, B, mode=mode), rtol=1e-12, atol=1e-14)
    check_grads(lambda A, B: signal.convolve(A, B, mode=mode), A, B)


@pytest.mark.parametrize("mode", ["full", "valid", "same"])
def test_convolve_with_dot_axes_like_a_convolutional_layer(mode):
    images = rand((2, 3, 5, 4), seed=3)             # batch, channels in, height, width
    kernels = rand((3, 2, 2, 3), seed=4)            # channels in, channels out, kh, kw
    conv = lambda x, k: signal.convolve(x, k, axes=([2, 3], [2, 3]), dot_axes=([1], [0]), mode=mode)  # noqa: E731
    out = conv(images, kernels)
    assert out.shape[:2] == (2, 2)                  # A's kept axes, B's kept axes, conv axes
    check_grads(conv, images, kernels, order=1)
    check_grads(conv, images[:1, :2, :3, :3], kernels[:2, :1], order=2)


def test_convolve_equals_autograds():
    ag = pytest.importorskip("autograd")
    from autograd.scipy.signal import convolve as ag_convolve
    A, B = rand((2, 3, 5, 4), seed=5), rand((3, 2, 2, 3), seed=6)
    kw = dict(axes=([2, 3], [2, 3]), dot_axes=([1], [0]), mode="valid")
    onp.testing.assert_allclose(signal.convolve(A, B, **kw), ag_convolve(A, B, **kw), rtol=1e-12)
    for argnum in (0, 1):
        got = grad(lambda a, b: np.sum(np.sin(signal.convolve(a, b, **kw))), argnum)(A, B)
        expected = ag.grad(lambda a, b: ag.numpy.sum(ag.numpy.sin(ag_convolve(a, b, **kw))),
                           argnum)(A, B)
        onp.testing.assert_allclose(got, expected, rtol=1e-10)
