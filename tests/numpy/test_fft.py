"""np.fft: values against numpy, 1st and 2nd derivatives against finite differences.

The transforms are linear, so their second derivatives are zero; the second
order is checked through nonlinear functions of them (power spectra,
convolutions) as well.
"""

import warnings

import numpy as onp
import pytest

from gradcheck import autograd_lacks, check_grads, grad, np, rand, rand_complex

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")

NORMS = [None, "ortho", "forward"]


def _check_value(got, expected):
    onp.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    assert onp.shape(got) == onp.shape(expected)


def _check(name, x, **kwargs):
    fun = lambda x: getattr(np.fft, name)(x, **kwargs)  # noqa: E731
    _check_value(fun(x), getattr(onp.fft, name)(x, **kwargs))
    check_grads(fun, x)


# --------------------------------------------------------------------------
# 1-D transforms
# --------------------------------------------------------------------------

@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("n", [None, 4, 9])
@pytest.mark.parametrize("complex_", [False, True], ids=["real", "complex"])
@pytest.mark.parametrize("name", ["fft", "ifft"])
def test_fft_ifft(name, complex_, n, norm):
    x = rand_complex((6,), seed=1) if complex_ else rand((6,), seed=1)
    _check(name, x, n=n, norm=norm)


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("name", ["fft", "ifft"])
def test_fft_along_an_axis(name, axis):
    _check(name, rand_complex((3, 4, 2), seed=2), n=3, axis=axis)


def _real_case(length, n, norm, inverse):
    """One (input length, n, norm) case, marked where autograd 1.9 is wrong or refuses it."""
    size = n if n is not None else (2 * (length - 1) if inverse else length)   # the real length
    if size % 2 or (not inverse and length % 2):
        marks = autograd_lacks("real transforms of odd length")
    elif not inverse and n not in (None, length):
        marks = autograd_lacks("rfft with n different from the input length")
    elif norm == "forward":
        marks = autograd_lacks('rfft/irfft with norm="forward"')
    else:
        marks = ()
    return pytest.param(length, n, norm, marks=marks, id=f"{length}-{n}-{norm}")


RFFT_CASES = [_real_case(length, n, norm, False)
              for length in (6, 5) for n in (None, 4, 8, 9) for norm in NORMS]
IRFFT_CASES = [_real_case(length, n, norm, True)             # n // 2 + 1 = 4, 4, 6: cut or padded
               for length in (4, 5) for n in (None, 6, 7, 10) for norm in NORMS]


@pytest.mark.parametrize("length,n,norm", RFFT_CASES)
def test_rfft(length, n, norm):
    _check("rfft", rand((length,), seed=3), n=n, norm=norm)


@pytest.mark.parametrize("length,n,norm", IRFFT_CASES)
def test_irfft(length, n, norm):
    _check("irfft", rand_complex((length,), seed=4), n=n, norm=norm)


@pytest.mark.parametrize("axis", [0, -1])
def test_rfft_irfft_along_an_axis(axis):
    _check("rfft", rand((4, 6), seed=5), axis=axis)
    _check("irfft", rand_complex((4, 3), seed=6), axis=axis, n=4)


def test_irfft_ignores_imaginary_part_of_zero_frequency():
    """irfft uses only the real parts of X[0] and X[n/2]: their gradients are real."""
    x = rand_complex((4,), seed=7)
    g = grad(lambda x: np.sum(np.fft.irfft(x) * onp.arange(1.0, 7.0)))(x)
    assert g[0].imag == 0 and g[-1].imag == 0


@autograd_lacks("hfft and ihfft")
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("n", [None, 5, 8])
def test_hfft_ihfft(n, norm):
    _check("hfft", rand_complex((4,), seed=8), n=n, norm=norm)
    _check("ihfft", rand((6,), seed=9), n=n, norm=norm)


# --------------------------------------------------------------------------
# n-dimensional transforms
# --------------------------------------------------------------------------

ND_CASES = [
    {},
    {"axes": (0, 2)},
    {"axes": (2, 0)},
    {"s": (3, 6), "axes": (2, 0)},
    {"s": (2, 4), "axes": (-1, -2)},
    {"s": (2, 5, 4), "axes": (0, 1, 2)},
]


@pytest.mark.parametrize("norm", [None, "ortho"])
@pytest.mark.parametrize("kwargs", ND_CASES, ids=str)
@pytest.mark.parametrize("name", ["fftn", "ifftn"])
def test_fftn_ifftn(name, kwargs, norm):
    _check(name, rand_complex((3, 4, 2), seed=10), norm=norm, **kwargs)


@pytest.mark.parametrize("kwargs", [{}, {"s": (2, 5)}, {"axes": (0, 2)}], ids=str)
@pytest.mark.parametrize("name", ["fft2", "ifft2"])
def test_fft2_ifft2(name, kwargs):
    _check(name, rand_complex((3, 4, 2), seed=11), **kwargs)
    _check(name, rand((3, 4, 2), seed=12), **kwargs)


# s ends with an even length: autograd refuses odd lengths for real transforms
REAL_ND_CASES = [
    {},
    {"axes": (0, 1)},
    {"s": (3, 4), "axes": (1, 2)},
    {"s": (2, 6), "axes": (0, 2)},
]


@pytest.mark.parametrize("kwargs", REAL_ND_CASES, ids=str)
@pytest.mark.parametrize("name", ["rfftn", "rfft2"])
def test_rfftn_rfft2(name, kwargs):
    if name == "rfft2" and "axes" not in kwargs:
        kwargs = {**kwargs, "axes": (-2, -1)}
    _check(name, rand((3, 4, 2), seed=13), **kwargs)


@pytest.mark.parametrize("kwargs", REAL_ND_CASES, ids=str)
@pytest.mark.parametrize("name", ["irfftn", "irfft2"])
def test_irfftn_irfft2(name, kwargs):
    _check(name, rand_complex((3, 4, 3), seed=14), **kwargs)


@autograd_lacks("n-dimensional real transforms with an odd last length, or norm=")
@pytest.mark.parametrize("name", ["rfftn", "irfftn"])
def test_real_nd_odd_lengths_and_norms(name):
    x = rand((3, 5), seed=15) if name == "rfftn" else rand_complex((3, 3), seed=15)
    _check(name, x, s=(3, 5), axes=(0, 1), norm="ortho")
    _check(name, x, norm="forward")


@autograd_lacks("fftn over a repeated axis")
def test_fftn_over_a_repeated_axis():
    x = rand_complex((4, 3), seed=16)
    _check("fftn", x, axes=(0, 0, 1))
    _check("fftn", x, s=(2, 5), axes=(1, 1))


# --------------------------------------------------------------------------
# shifts
# --------------------------------------------------------------------------

@pytest.mark.parametrize("axes", [None, 0, -1, (0, 2)], ids=str)
@pytest.mark.parametrize("name", ["fftshift", "ifftshift"])
def test_shifts(name, axes):
    x = rand((3, 4, 5), seed=17)
    _check_value(getattr(np.fft, name)(x, axes), getattr(onp.fft, name)(x, axes))
    check_grads(lambda x: getattr(np.fft, name)(x, axes), x)
    check_grads(lambda x: getattr(np.fft, name)(x, axes), rand_complex((3, 4, 5), seed=18))


# --------------------------------------------------------------------------
# Nonlinear uses: second derivatives that are not zero
# --------------------------------------------------------------------------

def test_power_spectrum():
    x = rand((8,), seed=19)
    check_grads(lambda x: np.abs(np.fft.rfft(np.sin(x))) ** 2, x)
    check_grads(lambda x: np.real(np.fft.fft(x) * np.conj(np.fft.fft(x * x))), x)


def test_convolution_theorem():
    """irfft(rfft(x) * rfft(k)) is the circular convolution of x and k."""
    x, k = rand((6,), seed=20), rand((6,), seed=21)
    conv = lambda x, k: np.fft.irfft(np.fft.rfft(x) * np.fft.rfft(k), 6)  # noqa: E731
    expected = [sum(x[j] * k[(i - j) % 6] for j in range(6)) for i in range(6)]
    _check_value(conv(x, k), expected)
    check_grads(lambda x, k: np.tanh(conv(x, k)), x, k)


def test_two_dimensional_filtering():
    img = rand((4, 6), seed=22)
    filt = rand_complex((4, 4), seed=23)
    check_grads(lambda img, filt: np.fft.irfft2(np.fft.rfft2(img) * filt, s=(4, 6)) ** 2, img, filt)


def test_inverse_undoes_forward():
    x = rand_complex((5, 3), seed=24)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_grads(lambda x: np.fft.ifftn(np.fft.fftn(x)) * x, x)


@autograd_lacks("the gradient of fftfreq and rfftfreq with respect to the spacing d")
@pytest.mark.parametrize("name", ["fftfreq", "rfftfreq"])
def test_sample_frequencies_depend_on_the_spacing(name):
    _check_value(getattr(np.fft, name)(6, 0.3), getattr(onp.fft, name)(6, 0.3))
    check_grads(lambda d: getattr(np.fft, name)(6, d) ** 2, 0.3)
