"""autograd.numpy's own names and forms: r_, c_, make_diagonal, where by keyword, __version__,
einsum's interleaved form, column_stack of scalars, casts of traced values to numpy scalar types."""
import numpy as onp
import pytest

from gradcheck import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "teachgrad", reason="teachgrad's own namespace")

if BACKEND == "teachgrad":
    import teachgrad.numpy as np
    from teachgrad import grad, make_vjp
    from teachgrad.errors import TeachgradError
    from teachgrad.test_util import check_grads

A = onp.arange(6.0).reshape(3, 2) / 7 - 0.3
C = onp.cos(onp.arange(6.0)).reshape(3, 2)
V = onp.sin(onp.arange(10.0))

JOINED = [
    (lambda x: np.r_[x], A),
    (lambda x: np.r_[x, x], A),
    (lambda x: np.r_[x, C, x], A),
    (lambda x: np.r_[x, V, 1:10], V),
    (lambda x: np.r_[x[0], 2.0, 1:4, x], V),
    (lambda x: np.r_[0.0:1.0:5j, x], V),
    (lambda x: np.r_["-1", x, C], A),
    (lambda x: np.r_["0,2", x[:, 0], C[:, 1]], A),
    (lambda x: np.r_["0,2,0", x[:, 0], C[:, 1]], A),
    (lambda x: np.r_["1,3,-1", x, C], A),
    (lambda x: np.c_[x, C, x], A),
    (lambda x: np.c_[x[:, 0], C, 3.0:6.0, x[:, 1]], A),
    (lambda x: np.c_[x[0], x[1]], A),
]


@pytest.mark.parametrize("k", range(len(JOINED)))
def test_r_and_c_match_numpy_and_differentiate(k):
    fun, x = JOINED[k]
    _, traced = make_vjp(fun)(x)
    onp.testing.assert_array_equal(traced, fun(x))     # plain input: numpy's own r_ / c_
    assert type(np.r_[x]) is onp.ndarray
    check_grads(fun, modes=["fwd", "rev"], order=2)(x)


@pytest.mark.filterwarnings("ignore:the matrix subclass")
def test_r_refuses_matrix_directives_on_traced_values():
    with pytest.raises(ValueError, match="concatenate"):
        grad(lambda x: np.sum(np.r_["r", x, x]))(V)
    with pytest.raises(ValueError, match="first"):
        grad(lambda x: np.sum(np.r_[x, "0", x]))(V)
    assert isinstance(np.r_["r", [1, 2], [3]], onp.matrix)        # plain: numpy's


@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 1, 3)])
def test_make_diagonal(shape):
    D = onp.sin(onp.arange(onp.prod(shape))).reshape(shape)
    out = np.make_diagonal(D, axis1=-1, axis2=-2)
    assert out.shape == shape + shape[-1:]
    onp.testing.assert_array_equal(onp.diagonal(out, axis1=-1, axis2=-2), D)
    assert onp.count_nonzero(out) == onp.count_nonzero(D)
    check_grads(lambda D: np.make_diagonal(D, axis1=-1, axis2=-2), modes=["fwd", "rev"])(D)


def test_make_diagonal_other_axes_and_complex():
    D = onp.arange(6.0).reshape(2, 3) + 1j
    out = np.make_diagonal(D, axis1=0, axis2=2)
    assert out.shape == (3, 2, 3)
    onp.testing.assert_array_equal(onp.diagonal(out, axis1=0, axis2=2), D)
    check_grads(lambda D: np.make_diagonal(D, axis1=0, axis2=2), modes=["fwd", "rev"])(D)


@pytest.mark.parametrize("kwargs, words", [({"offset": 1}, "main diagonal"),
                                           ({"axis1": 0, "axis2": -2}, "must differ")])
def test_make_diagonal_refuses(kwargs, words):
    with pytest.raises(ValueError, match=words):
        np.make_diagonal(onp.ones(3), **kwargs)
    with pytest.raises(ValueError, match="scalar"):
        np.make_diagonal(1.0)


def test_version_is_numpys():
    assert np.__version__ == onp.__version__


def test_where_by_keyword_and_python_values():
    x, y, c = onp.array([1.0, 2.0, 3.0]), onp.array([4.0, 5.0, 6.0]), [True, False, True]
    expected = onp.array([1.0, 5.0, 3.0])
    for result in (np.where(c, x, y), np.where(condition=c, x=x, y=y), np.where(c, x, y=y)):
        onp.testing.assert_array_equal(result, expected)
    onp.testing.assert_array_equal(np.where(c)[0], [0, 2])
    assert np.where(True, 1, 2) == 1 and type(np.where(True, 1, 2)) is int
    assert type(np.where(False, 1, 2.0)) is float
    assert np.where(True, [1, 2], [3, 4]) == [1, 2]
    assert type(np.where(True, onp.float32(1.0), 2.0)) is onp.ndarray     # numpy value: numpy's
    assert grad(lambda x: np.sum(np.where(condition=c, x=x ** 2, y=x)))(x).tolist() == [2, 1, 6]
    with pytest.raises(ValueError, match="both"):
        np.where(c, x)
    with pytest.raises(TypeError, match="keyword"):
        np.where(c, x, z=y)


@pytest.mark.parametrize("output", [None, [2, 0]])
def test_einsum_interleaved(output):
    a, b = onp.sin(onp.arange(6.0)).reshape(2, 3), onp.cos(onp.arange(12.0)).reshape(3, 4)
    args = (a, [0, 1], b, [1, 2]) + ((output,) if output else ())
    fun = lambda a, b: np.einsum(a, [0, 1], b, [1, 2], *([output] if output else []))  # noqa: E731
    onp.testing.assert_allclose(make_vjp(fun)(a, b)[1], onp.einsum(*args))
    check_grads(fun, modes=["fwd", "rev"], order=2)(a, b)
    check_grads(lambda a: np.einsum(a, [Ellipsis, 1], b, [1, 2]), modes=["fwd", "rev"])(a)
    check_grads(lambda a: np.einsum(a, [0, 0]), modes=["fwd", "rev"])(a[:, :2])


def test_column_stack_of_scalars_is_one_row():
    v = onp.array([0.3, -0.7])
    _, traced = make_vjp(np.column_stack)(v)
    assert traced.shape == (1, 2)
    onp.testing.assert_array_equal(traced, onp.column_stack(v))
    check_grads(np.column_stack, modes=["fwd", "rev"])(v)
    check_grads(lambda v: np.column_stack((v[0], v[1] * v[0])), modes=["fwd", "rev"])(v)
    check_grads(lambda v: np.column_stack((v, v[1] * v)), modes=["fwd", "rev"])(v)


def test_integer_and_bool_casts_of_traced_values_are_plain():
    W = onp.sin(onp.arange(12.0)).reshape(3, 4) * 3

    def fun(W):
        rows = np.int64(onp.abs(W[:, -1]) % 3)       # a traced column as integer indices
        assert type(rows) is onp.ndarray and rows.dtype == np.int64
        assert np.bool_(W[0]).dtype == onp.bool_
        assert type(np.int32(W[0, 0])) is onp.int32
        return np.sum(W[:, :-1][rows] ** 2)
    check_grads(fun, modes=["rev"], order=1)(W)


@pytest.mark.parametrize("cast", ["float32", "float64", "complex128"])
def test_float_casts_of_traced_values_refuse(cast):
    with pytest.raises(TeachgradError, match="turned into a plain numpy array"):
        grad(lambda W: np.sum(getattr(np, cast)(W)))(onp.ones(3))


def test_a_ufuncs_positional_out_refuses_a_plain_array():
    x = onp.array([1.0, 2.0, 3.0])

    def into_plain(x):
        buf = onp.zeros(3)
        np.sin(x, buf)
        return np.sum(buf)
    with pytest.raises(TeachgradError, match="out="):
        grad(into_plain)(x)
    buf = onp.zeros(3)
    assert np.add(x, x, buf) is buf and buf.tolist() == [2, 4, 6]       # plain: numpy's


def test_a_ufuncs_positional_out_refuses_a_traced_value():
    x = onp.array([1.0, 2.0, 3.0])

    def into_traced(x):
        y = x * 2.0
        np.multiply(x, x, y)                 # numpy writes x * x into y's own numbers
        return np.sum(y)
    with pytest.raises(TeachgradError, match="out"):
        grad(into_traced)(x)

    def in_a_tuple(x):
        y = x * 2.0
        np.multiply(x, x, (y,))
        return np.sum(y)
    with pytest.raises(TeachgradError, match="out"):
        grad(in_a_tuple)(x)


def test_a_ragged_list_with_a_traced_value_is_explained():
    with pytest.raises(ValueError, match="could not be made one array"):
        grad(lambda x: np.sum(np.array([x, onp.ones(2)])))(onp.ones(3))
    linalg = pytest.importorskip("teachgrad.scipy.linalg")
    c = onp.linalg.cholesky(2 * onp.eye(3)).T
    with pytest.raises(ValueError, match="cho_solve"):
        grad(lambda c: np.sum(linalg.cho_solve((c, False), onp.ones(3))))(c)
