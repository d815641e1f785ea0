"""teachgrad.scipy.stats: values against SciPy, gradients against finite
differences (first and second order) and against autograd's own.

Run with TEACHGRAD_TEST_BACKEND=autograd to check the tests on autograd.scipy.
"""
import importlib

import numpy as onp
import pytest

scipy_stats = pytest.importorskip("scipy.stats")    # scipy is in the dev extra

from gradcheck import BACKEND, autograd_lacks, check_grads, grad, np, rand

stats = importlib.import_module(f"{BACKEND}.scipy.stats")
for _name in ("norm", "t", "gamma", "beta", "chi2", "poisson", "multivariate_normal", "dirichlet"):
    importlib.import_module(f"{BACKEND}.scipy.stats.{_name}")

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


def positive(shape, low=0.5, high=3.0, seed=0):
    return rand(shape, low, high, seed)


X = rand((4,), -2, 2, seed=1)


# --------------------------------------------------------------------------
# norm
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"])
def test_norm(name):
    f = getattr(stats.norm, name)
    loc, scale = rand((4,), -0.5, 0.5, seed=2), positive((4,), seed=3)
    onp.testing.assert_allclose(f(X, loc, scale), getattr(scipy_stats.norm, name)(X, loc, scale),
                                rtol=1e-12)
    check_grads(f, X, loc, scale)
    check_grads(f, X, 0.3, 1.7)                      # scalars: gradients summed over X
    check_grads(f, X)                                 # the defaults


@pytest.mark.skipif(BACKEND != "teachgrad", reason="autograd ignores traced keyword arguments")
def test_norm_traced_keywords():
    g = grad(lambda loc, scale: stats.norm.logpdf(0.5, loc=loc, scale=scale), (0, 1))(0.1, 2.0)
    expected = grad(lambda loc, scale: stats.norm.logpdf(0.5, loc, scale), (0, 1))(0.1, 2.0)
    onp.testing.assert_allclose(g, expected, rtol=1e-12)
    # loc left at its default, scale traced by keyword
    check_grads(lambda s: stats.norm.logpdf(X, scale=s), 1.3)


# --------------------------------------------------------------------------
# t, gamma, beta, chi2
# --------------------------------------------------------------------------

def test_t():
    df, loc, scale = positive((4,), 1.5, 6.0, seed=4), 0.2, positive((4,), seed=5)
    for name in ("logpdf", "pdf"):
        f = getattr(stats.t, name)
        onp.testing.assert_allclose(f(X, df, loc, scale),
                                    getattr(scipy_stats.t, name)(X, df, loc, scale), rtol=1e-12)
        check_grads(f, X, df, loc, scale)
    for name in ("cdf", "logcdf"):
        f = getattr(stats.t, name)
        onp.testing.assert_allclose(f(X, df, loc, scale),
                                    getattr(scipy_stats.t, name)(X, df, loc, scale), rtol=1e-12)
        check_grads(f, X, df, loc, scale, argnums=[0, 2])


@autograd_lacks("the gradient of t.cdf with respect to scale")
def test_t_cdf_scale():
    check_grads(stats.t.cdf, X, 3.0, 0.1, 1.4, argnums=[3])


def test_gamma():
    x, a = positive((4,), 0.3, 4.0, seed=6), positive((4,), 0.8, 4.0, seed=7)
    for name in ("logpdf", "pdf"):
        f = getattr(stats.gamma, name)
        onp.testing.assert_allclose(f(x, a), getattr(scipy_stats.gamma, name)(x, a), rtol=1e-12)
        check_grads(f, x, a)
    onp.testing.assert_allclose(stats.gamma.cdf(x, a), scipy_stats.gamma.cdf(x, a), rtol=1e-12)
    check_grads(stats.gamma.cdf, x, a, argnums=[0])


def test_beta():
    x = rand((4,), 0.1, 0.9, seed=8)
    a, b = positive((4,), 0.8, 4.0, seed=9), positive((4,), 0.8, 4.0, seed=10)
    for name in ("logpdf", "pdf"):
        f = getattr(stats.beta, name)
        onp.testing.assert_allclose(f(x, a, b), getattr(scipy_stats.beta, name)(x, a, b), rtol=1e-12)
        check_grads(f, x, a, b)
    onp.testing.assert_allclose(stats.beta.cdf(x, a, b), scipy_stats.beta.cdf(x, a, b), rtol=1e-12)
    check_grads(stats.beta.cdf, x, a, b, argnums=[0])


def test_chi2_integer_df():
    x = positive((4,), 0.3, 5.0, seed=11)
    for name in ("logpdf", "pdf", "cdf"):
        f = getattr(stats.chi2, name)
        onp.testing.assert_allclose(f(x, 3), getattr(scipy_stats.chi2, name)(x, 3), rtol=1e-12)
        check_grads(lambda x, f=f: f(x, 3), x)


@autograd_lacks("gradients of chi2 for a non-integer df, and with respect to df")
def test_chi2_real_df():
    x, df = positive((4,), 0.3, 5.0, seed=11), positive((4,), 1.5, 5.0, seed=12)
    check_grads(stats.chi2.logpdf, x, df)
    check_grads(stats.chi2.pdf, x, df)


@autograd_lacks("gradients with respect to loc and scale of gamma, beta and chi2")
@pytest.mark.parametrize("dist, shapes, x", [
    ("gamma", (2.5,), positive((4,), 1.0, 4.0, seed=13)),
    ("beta", (2.0, 3.0), rand((4,), 0.35, 0.65, seed=14)),
    ("chi2", (4.0,), positive((4,), 1.0, 4.0, seed=15)),
])
def test_loc_scale_gradients(dist, shapes, x):
    loc, scale = 0.1, 1.3
    module = getattr(stats, dist)
    for name in ("logpdf", "pdf", "cdf"):
        f = getattr(module, name)
        onp.testing.assert_allclose(f(x, *shapes, loc, scale),
                                    getattr(getattr(scipy_stats, dist), name)(x, *shapes, loc, scale),
                                    rtol=1e-12)
        n = len(shapes)
        check_grads(f, x, *shapes, loc, scale, argnums=[0, n + 1, n + 2])


# --------------------------------------------------------------------------
# poisson
# --------------------------------------------------------------------------

def test_poisson():
    k, mu = onp.array([0, 1, 3, 6]), positive((4,), 0.5, 5.0, seed=16)
    for name in ("logpmf", "pmf", "cdf"):
        f = getattr(stats.poisson, name)
        onp.testing.assert_allclose(f(k, mu), getattr(scipy_stats.poisson, name)(k, mu), rtol=1e-12)
        check_grads(lambda mu, f=f: f(k, mu), mu)
        check_grads(lambda mu, f=f: f(k, mu), 2.5)


# --------------------------------------------------------------------------
# multivariate_normal
# --------------------------------------------------------------------------

def covariance(A):
    """A symmetric positive definite matrix from any square A (finite differences stay symmetric)."""
    return np.dot(A, A.T) + 2.0 * onp.eye(A.shape[0])


@pytest.mark.parametrize("name", ["logpdf", "pdf"])
@pytest.mark.parametrize("x_shape", [(3,), (5, 3)])
def test_multivariate_normal(name, x_shape):
    f = getattr(stats.multivariate_normal, name)
    x, mean, A = rand(x_shape, seed=17), rand((3,), seed=18), rand((3, 3), seed=19)
    cov = covariance(A)
    onp.testing.assert_allclose(f(x, mean, cov),
                                getattr(scipy_stats.multivariate_normal, name)(x, mean, cov),
                                rtol=1e-12)
    check_grads(lambda x, mean, A: f(x, mean, covariance(A)), x, mean, A)


def test_multivariate_normal_entropy():
    A = rand((3, 3), seed=20)
    mean = onp.zeros(3)
    onp.testing.assert_allclose(stats.multivariate_normal.entropy(mean, covariance(A)),
                                scipy_stats.multivariate_normal.entropy(mean, covariance(A)))
    check_grads(lambda A: stats.multivariate_normal.entropy(mean, covariance(A)), A)


SINGULAR = onp.array([[1.0, 0.3, 0.0], [0.3, 0.5, 0.0], [0.0, 0.0, 0.0]])   # rank 2


@pytest.mark.parametrize("name", ["logpdf", "pdf"])
@pytest.mark.parametrize("x_shape", [(3,), (4, 3)])
def test_multivariate_normal_singular_cov_in_x_and_mean(name, x_shape):
    """allow_singular=True with a constant cov: x and mean move in cov's range only."""
    f = getattr(stats.multivariate_normal, name)
    x, mean = rand(x_shape, seed=24), rand((3,), seed=25)

    def g(x, mean):                       # the last coordinate of x is the mean's: in the support
        inside = np.concatenate([x[..., :2], np.zeros(x.shape[:-1] + (1,)) + mean[2]], axis=-1)
        return f(inside, mean, SINGULAR, allow_singular=True)
    inside = onp.concatenate([x[..., :2], onp.zeros(x.shape[:-1] + (1,)) + mean[2]], axis=-1)
    onp.testing.assert_allclose(g(x, mean), getattr(scipy_stats.multivariate_normal, name)(
        inside, mean, SINGULAR, allow_singular=True), rtol=1e-12)
    check_grads(g, x, mean)


@pytest.mark.skipif(BACKEND != "teachgrad", reason="teachgrad's explanation")
def test_multivariate_normal_singular_cov_refuses_a_gradient_in_cov():
    from teachgrad.errors import NoGradientError
    x = onp.array([0.2, -0.1, 0.0])
    with pytest.raises(NoGradientError, match="allow_singular=True"):
        grad(lambda c: stats.multivariate_normal.logpdf(x, None, c, allow_singular=True))(SINGULAR)
    with pytest.raises(NoGradientError, match="with respect to cov"):      # cov traced further out
        grad(lambda c: grad(lambda x: stats.multivariate_normal.pdf(
            x, None, c * 1.0, allow_singular=True))(x)[0])(SINGULAR)


@pytest.mark.skipif(BACKEND != "teachgrad", reason="autograd's cov gradient needs a 2-D cov")
def test_multivariate_normal_diagonal_cov_and_no_mean():
    x, A = rand((4, 2), seed=21), rand((2, 2), seed=22)
    mean = rand((2,), seed=23)
    check_grads(lambda x, A: stats.multivariate_normal.logpdf(x, None, covariance(A)), x, A)
    check_grads(stats.multivariate_normal.logpdf, x, mean, positive((2,), seed=22))   # variances
    check_grads(stats.multivariate_normal.pdf, x, mean, 1.5)                          # one variance


# --------------------------------------------------------------------------
# dirichlet
# --------------------------------------------------------------------------

def softmax(y):
    e = np.exp(y - np.max(y, axis=0))
    return e / np.sum(e, axis=0)


@pytest.mark.parametrize("name", ["logpdf", "pdf"])
def test_dirichlet(name):
    f = getattr(stats.dirichlet, name)
    y, alpha = rand((3,), seed=23), positive((3,), 0.8, 3.0, seed=24)
    onp.testing.assert_allclose(f(softmax(y), alpha),
                                getattr(scipy_stats.dirichlet, name)(softmax(y), alpha), rtol=1e-12)
    # x must stay on the simplex: differentiate through a softmax
    check_grads(lambda y, alpha: f(softmax(y), alpha), y, alpha)


@autograd_lacks("dirichlet with several points x of shape (K, N)")
def test_dirichlet_several_points():
    y, alpha = rand((3, 4), seed=25), positive((3,), 0.8, 3.0, seed=26)
    check_grads(lambda y, alpha: stats.dirichlet.logpdf(softmax(y), alpha), y, alpha)


# --------------------------------------------------------------------------
# The same numbers as autograd
# --------------------------------------------------------------------------

def test_gradients_equal_autograds():
    ag = pytest.importorskip("autograd")
    ag_stats = importlib.import_module("autograd.scipy.stats")
    for name in ("norm", "t", "gamma", "beta", "poisson", "multivariate_normal", "dirichlet"):
        importlib.import_module(f"autograd.scipy.stats.{name}")
    cases = [
        ("norm", "logpdf", (X, 0.2, 1.5), (0, 1, 2)),
        ("norm", "logcdf", (X, 0.2, 1.5), (0, 1, 2)),
        ("norm", "sf", (X, 0.2, 1.5), (0, 1, 2)),
        ("t", "logpdf", (X, 3.5, 0.2, 1.5), (0, 1, 2, 3)),
        ("t", "cdf", (X, 3.5, 0.2, 1.5), (0, 2)),
        ("gamma", "logpdf", (positive((4,)), 2.5), (0, 1)),
        ("gamma", "cdf", (positive((4,)), 2.5), (0,)),
        ("beta", "pdf", (rand((4,), 0.1, 0.9), 2.0, 3.0), (0, 1, 2)),
        ("poisson", "logpmf", (onp.array([0, 2, 5]), 2.5), (1,)),
        ("poisson", "cdf", (onp.array([0, 2, 5]), 2.5), (1,)),
        ("dirichlet", "logpdf", (onp.array([0.2, 0.3, 0.5]), onp.array([1.5, 2.0, 0.7])), (0, 1)),
    ]
    for dist, name, args, argnums in cases:
        ours, theirs = getattr(getattr(stats, dist), name), getattr(getattr(ag_stats, dist), name)
        for argnum in argnums:
            got = grad(lambda *a, f=ours: np.sum(f(*a)), argnum)(*args)
            expected = ag.grad(lambda *a, f=theirs: ag.numpy.sum(f(*a)), argnum)(*args)
            onp.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-14,
                                        err_msg=f"{dist}.{name} argument {argnum}")
    x, mean, A = rand((5, 3), seed=27), rand((3,), seed=28), rand((3, 3), seed=29)
    cov = onp.dot(A, A.T) + 2 * onp.eye(3)
    for argnum in (0, 1, 2):
        got = grad(lambda *a: np.sum(stats.multivariate_normal.logpdf(*a)), argnum)(x, mean, cov)
        expected = ag.grad(lambda *a: ag.numpy.sum(ag_stats.multivariate_normal.logpdf(*a)),
                           argnum)(x, mean, cov)
        onp.testing.assert_allclose(got, expected, rtol=1e-10)
