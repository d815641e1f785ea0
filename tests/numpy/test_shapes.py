"""Shape manipulation, joining, repetition, indexing and np.array() of traced values."""


import numpy as onp
import pytest

from gradcheck import autograd_lacks, check_grads, grad, np, rand

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


def _x(shape, seed=0):
    return rand(shape, -1.5, 1.5, seed=seed)


def _check(fun, onp_fun, *args):
    """Value equals numpy's, and 1st/2nd derivatives match finite differences.

    Shape functions are linear, so the check also goes through a nonlinearity
    (sin on the input, square on the output) to make the second order non-trivial.
    """
    expected = onp_fun(*args)
    got = fun(*args)
    onp.testing.assert_allclose(got, expected, rtol=0, atol=0)
    assert onp.shape(got) == onp.shape(expected)
    check_grads(fun, *args, order=2)
    check_grads(lambda *a: fun(*[np.sin(t) for t in a]) ** 2, *args, order=2)


# --------------------------------------------------------------------------- transpose


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 3, 4)], ids=str)
def test_transpose_default_and_T(shape):
    x = _x(shape)
    _check(np.transpose, onp.transpose, x)
    _check(lambda x: (x * 1.0).T, lambda x: x.T, x)


@pytest.mark.parametrize(
    "axes",
    [
        (1, 0, 2),
        (2, 0, 1),
        (0, 2, 1),
        pytest.param((-1, 0, 1), marks=autograd_lacks("transpose with negative axes (wrong VJP shape)")),
    ],
    ids=str,
)
def test_transpose_axes(axes):
    x = _x((2, 3, 4), seed=1)
    _check(lambda x: np.transpose(x, axes), lambda x: onp.transpose(x, axes), x)
    _check(lambda x: np.transpose(x, axes=axes), lambda x: onp.transpose(x, axes=axes), x)
    _check(lambda x: (x * 1.0).transpose(axes), lambda x: x.transpose(axes), x)


# --------------------------------------------------------------------------- reshape / ravel


@pytest.mark.parametrize(
    "newshape", [(6, 4), (4, -1), (-1,), (24,), (2, 12), (1, 2, 3, 4, 1), (-1, 3, 2), 24], ids=str
)
def test_reshape(newshape):
    x = _x((2, 3, 4), seed=2)
    _check(lambda x: np.reshape(x, newshape), lambda x: onp.reshape(x, newshape), x)
    _check(lambda x: (x * 1.0).reshape(newshape), lambda x: x.reshape(newshape), x)


@pytest.mark.parametrize("newshape", [(6, 4), (4, -1), (1, 2, 3, 4)], ids=str)
def test_reshape_method_varargs(newshape):
    x = _x((2, 3, 4), seed=3)
    _check(lambda x: (x * 1.0).reshape(*newshape), lambda x: x.reshape(*newshape), x)


def test_reshape_scalar_and_to_scalar():
    _check(lambda x: np.reshape(x, (1, 1)), lambda x: onp.reshape(x, (1, 1)), 0.7)
    _check(lambda x: np.reshape(x, ()), lambda x: onp.reshape(x, ()), _x((1,), seed=4))


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4)], ids=str)
def test_ravel(shape):
    x = _x(shape, seed=5)
    _check(np.ravel, onp.ravel, x)
    if shape != ():
        _check(lambda x: (x * 1.0).ravel(), lambda x: x.ravel(), x)
        _check(lambda x: np.ravel(np.transpose(x)), lambda x: onp.ravel(onp.transpose(x)), x)


# --------------------------------------------------------------------------- expand_dims / squeeze


@pytest.mark.parametrize("axis", [0, 1, -1, 2, -3], ids=str)
def test_expand_dims(axis):
    x = _x((2, 3), seed=6)
    _check(lambda x: np.expand_dims(x, axis), lambda x: onp.expand_dims(x, axis), x)


def test_expand_dims_tuple_axis_and_scalar():
    x = _x((2, 3), seed=7)
    _check(lambda x: np.expand_dims(x, (0, 2)), lambda x: onp.expand_dims(x, (0, 2)), x)
    _check(lambda x: np.expand_dims(x, axis=0), lambda x: onp.expand_dims(x, axis=0), 0.3)


@pytest.mark.parametrize("axis", [None, 0, 2, -1, (0, 3)], ids=str)
def test_squeeze(axis):
    x = _x((1, 3, 1, 1), seed=8)
    _check(lambda x: np.squeeze(x, axis=axis), lambda x: onp.squeeze(x, axis=axis), x)


def test_squeeze_method_and_to_scalar():
    x = _x((1, 1), seed=9)
    _check(lambda x: np.squeeze(x), onp.squeeze, x)
    y = _x((3, 1), seed=10)
    _check(lambda y: (y * 1.0).squeeze(), lambda y: y.squeeze(), y)
    _check(lambda y: (y * 1.0).squeeze(1), lambda y: y.squeeze(1), y)


# --------------------------------------------------------------------------- joining


@pytest.mark.parametrize(
    "shapes,axis",
    [
        ([(2, 3), (4, 3)], 0),
        ([(2, 3), (2, 1), (2, 2)], 1),
        ([(2, 3), (2, 2)], -1),
        ([(2, 3, 4), (2, 1, 4)], 1),
        ([(3,), (2,)], 0),
        pytest.param([(2, 3), (2, 3)], None, marks=autograd_lacks("concatenate with axis=None")),
    ],
    ids=str,
)
def test_concatenate(shapes, axis):
    xs = [_x(s, seed=20 + k) for k, s in enumerate(shapes)]
    _check(lambda *a: np.concatenate(a, axis=axis), lambda *a: onp.concatenate(a, axis=axis), *xs)
    _check(lambda *a: np.concatenate(list(a), axis), lambda *a: onp.concatenate(list(a), axis), *xs)


def test_concatenate_default_axis_and_mixed_plain():
    a, b = _x((2, 3), seed=30), _x((1, 3), seed=31)
    _check(lambda a, b: np.concatenate([a, b]), lambda a, b: onp.concatenate([a, b]), a, b)
    _check(lambda a: np.concatenate([a, b, a]), lambda a: onp.concatenate([a, b, a]), a)  # b plain, a twice


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2], ids=str)
def test_stack(axis):
    xs = [_x((2, 3), seed=40 + k) for k in range(3)]
    _check(lambda *a: np.stack(a, axis=axis), lambda *a: onp.stack(a, axis=axis), *xs)


def test_stack_scalars_and_default_axis():
    _check(lambda a, b: np.stack([a, b]), lambda a, b: onp.stack([a, b]), 0.3, -1.2)
    xs = [_x((3,), seed=50 + k) for k in range(2)]
    _check(lambda *a: np.stack(a), lambda *a: onp.stack(a), *xs)


@pytest.mark.parametrize(
    "shapes", [[(3,), (2,)], [(2, 3), (2, 1)], [(2, 3, 4), (2, 1, 4)], [(), ()]], ids=str
)
def test_hstack(shapes):
    xs = [_x(s, seed=60 + k) for k, s in enumerate(shapes)]
    _check(lambda *a: np.hstack(a), lambda *a: onp.hstack(a), *xs)


@pytest.mark.parametrize(
    "shapes", [[(3,), (3,)], [(2, 3), (1, 3)], [(3,), (2, 3)], [(2, 3, 4), (1, 3, 4)], [(), ()]], ids=str
)
def test_vstack(shapes):
    xs = [_x(s, seed=70 + k) for k, s in enumerate(shapes)]
    _check(lambda *a: np.vstack(a), lambda *a: onp.vstack(a), *xs)


# --------------------------------------------------------------------------- repeat / tile


@pytest.mark.parametrize("shape,repeats,axis", [
    ((3,), 2, None),
    ((2, 3), 2, None),
    ((2, 3), 3, 0),
    ((2, 3), 2, 1),
    pytest.param((2, 3, 4), 2, -1, marks=autograd_lacks("repeat with a negative axis (wrong gradient)")),
    pytest.param((), 3, None, marks=autograd_lacks("repeat of a scalar")),
], ids=str)
def test_repeat(shape, repeats, axis):
    x = _x(shape, seed=80)
    _check(lambda x: np.repeat(x, repeats, axis=axis), lambda x: onp.repeat(x, repeats, axis=axis), x)


@autograd_lacks("repeat with an array of per-element repeat counts")
@pytest.mark.parametrize("axis", [0, 1], ids=str)
def test_repeat_with_counts(axis):
    x = _x((2, 3), seed=81)
    counts = [1, 2, 0][: x.shape[axis]]
    _check(lambda x: np.repeat(x, counts, axis=axis), lambda x: onp.repeat(x, counts, axis=axis), x)


@pytest.mark.parametrize("shape,reps", [
    ((3,), 2),
    ((3,), (2, 2)),
    ((2, 3), (2, 1)),
    ((2, 3), (1, 2, 2)),
    pytest.param((2, 3, 4), 2, marks=autograd_lacks("tile with fewer reps than dims (wrong gradient)")),
    ((), (2, 3)),
], ids=str)
def test_tile(shape, reps):
    x = _x(shape, seed=90)
    _check(lambda x: np.tile(x, reps), lambda x: onp.tile(x, reps), x)


# --------------------------------------------------------------------------- indexing

_X234 = (2, 3, 4)
INDEXES = [
    ("int", lambda: 1),
    ("neg_int", lambda: -1),
    ("int_int", lambda: (1, 2)),
    ("int_int_int", lambda: (0, -1, 3)),
    ("slice", lambda: slice(0, 1)),
    ("slice_step", lambda: (slice(None), slice(None, None, 2))),
    ("neg_step", lambda: (slice(None), slice(None, None, -1), slice(3, 0, -2))),
    ("ellipsis_int", lambda: (Ellipsis, 1)),
    ("ellipsis_slice", lambda: (0, Ellipsis, slice(1, None))),
    ("newaxis", lambda: (None, 1, None, slice(None), None)),
    ("np_newaxis_ellipsis", lambda: (Ellipsis, np.newaxis)),
    ("int_array", lambda: onp.array([1, 0, 1])),
    ("int_array_repeat", lambda: (slice(None), onp.array([0, 0, 2, 0]))),
    ("int_list_repeat", lambda: (slice(None), [2, 2, 1])),
    ("int_arrays_pair", lambda: (onp.array([0, 1, 1]), onp.array([2, 2, 0]))),
    ("int_arrays_repeat_pairs", lambda: (onp.array([1, 1, 1, 0]), slice(None), onp.array([3, 3, 3, 0]))),
    ("int_array_2d", lambda: (slice(None), onp.array([[0, 1], [1, 1]]))),
    ("neg_int_array", lambda: (Ellipsis, onp.array([-1, -4, -1]))),
    ("bool_mask_full", lambda: onp.random.default_rng(5).uniform(size=_X234) > 0.5),
    ("bool_mask_axis", lambda: (slice(None), onp.array([True, False, True]))),
    ("bool_mask_leading", lambda: onp.array([[True, False, True], [False, False, True]])),
    ("mixed_int_slice_array", lambda: (1, slice(None, None, -1), onp.array([0, 3, 3]))),
    ("empty_slice", lambda: (slice(1, 1),)),
]


@pytest.mark.parametrize("name,make_index", INDEXES, ids=[n for n, _ in INDEXES])
def test_indexing(name, make_index):
    idx = make_index()
    x = _x(_X234, seed=100)
    _check(lambda x: x[idx], lambda x: x[idx], x)


def test_repeated_indices_accumulate():
    x = _x((4,), seed=101)
    idx = [0, 2, 2, 2, 3, 0]
    g = grad(lambda x: np.sum(x[idx] * onp.arange(1.0, 7.0)))(x)
    expected = onp.zeros(4)
    onp.add.at(expected, idx, onp.arange(1.0, 7.0))
    onp.testing.assert_allclose(g, expected)
    check_grads(lambda x: x[idx] ** 3, x, order=2)


def test_indexing_with_traced_mask():
    x = _x((3, 4), seed=102)
    check_grads(lambda x: np.sum(x[x > 0] ** 2), x, order=2)


def test_indexing_scalar_elements_then_combine():
    x = _x((2, 3), seed=103)
    check_grads(lambda x: x[0, 0] * x[1, 2] + np.sin(x[0, 1]) * x[-1, -1], x, order=2)


def test_indexing_0d_array_with_ellipsis_and_none():
    x = onp.array(0.4)
    _check(lambda x: x[...], lambda x: x[...], x)
    _check(lambda x: x[None], lambda x: x[None], x)


# --------------------------------------------------------------------------- np.array of traced values


def test_array_from_traced_scalars():
    def f(a, b, c):
        return np.array([a, b * b, np.sin(c)])

    _check(f, lambda a, b, c: onp.array([a, b * b, onp.sin(c)]), 0.3, -0.8, 1.1)


def test_nested_array_from_traced_scalars():
    def f(a, b, c, d):
        return np.array([[a, b], [c * d, d]])

    _check(f, lambda a, b, c, d: onp.array([[a, b], [c * d, d]]), 0.3, -0.8, 1.1, 0.5)


def test_array_mixing_traced_and_plain_entries():
    def f(a, b):
        return np.array([[a, 2.0, a * b], [1.0, b, -a]])

    _check(f, lambda a, b: onp.array([[a, 2.0, a * b], [1.0, b, -a]]), 0.3, -0.8)


def test_array_from_traced_array_elements():
    x = _x((3,), seed=104)

    def f(x):
        return np.array([x[2], x[0] * x[1], x[0]])

    _check(f, lambda x: onp.array([x[2], x[0] * x[1], x[0]]), x)


def test_array_from_list_of_traced_vectors():
    x = _x((3,), seed=105)
    _check(lambda x: np.array([x, 2 * x]), lambda x: onp.array([x, 2 * x]), x)


@pytest.mark.parametrize(
    "name,make_index",
    [
        pytest.param(
            "bool_list", lambda: [True, False], marks=autograd_lacks("a Python list of bools as a mask (wrong VJP)")
        ),
        ("np_int_scalar", lambda: (onp.int64(1), onp.intp(2))),
        ("int_list_2d", lambda: ([[0, 1], [1, 0]], slice(None), 2)),
        ("slice_neg_bounds", lambda: (slice(-1, None), slice(-2, -4, -1))),
        ("array_then_newaxis", lambda: (onp.array([1, 1]), None)),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_indexing_more(name, make_index):
    idx = make_index()
    x = _x(_X234, seed=110)
    _check(lambda x: x[idx], lambda x: x[idx], x)


def test_einsum_same_operand_twice_accumulates():
    x = _x((3,), seed=111)
    check_grads(lambda x: np.einsum("i,i->", x, x), x, order=2)
    check_grads(lambda x: np.einsum("i,j->ij", x, np.sin(x)), x, order=2)
    onp.testing.assert_allclose(grad(lambda x: np.einsum("i,i", x, x))(x), 2 * x)


def test_same_value_used_in_several_shape_ops():
    x = _x((2, 3), seed=112)
    check_grads(lambda x: np.concatenate([x, x.T.reshape(2, 3), x[:, ::-1]], axis=0) * np.tile(x, (3, 1)), x, order=2)


def test_sort_and_partition_send_gradient_to_source_entries():
    x = onp.array([3.0, -1.0, 2.0, 0.5])
    w = onp.array([1.0, 10.0, 100.0, 1000.0])
    g = grad(lambda x: np.sum(np.sort(x) * w))(x)
    onp.testing.assert_array_equal(g, w[onp.argsort(onp.argsort(x))])


def test_split_pieces_are_views_of_one_gradient():
    x = onp.arange(6.0)
    g = grad(lambda x: np.sum(np.split(x, 3)[1] * 2.0) + np.sum(np.array_split(x, 4)[3]))(x)
    onp.testing.assert_array_equal(g, [0.0, 0.0, 2.0, 2.0, 0.0, 1.0])


@autograd_lacks("pad's copied edges in the gradient (mode='reflect')")
def test_pad_reflect_sends_copies_back():
    g = grad(lambda x: np.sum(np.pad(x, 2, mode="reflect")))(onp.array([1.0, 2.0, 3.0]))
    onp.testing.assert_array_equal(g, [2.0, 3.0, 2.0])


@autograd_lacks("teachgrad's NoGradientError")
@pytest.mark.parametrize("mode", ["mean", "linear_ramp"])
def test_pad_modes_without_gradient_say_so(mode):
    from teachgrad.errors import NoGradientError
    with pytest.raises(NoGradientError, match="pad"):
        grad(lambda x: np.sum(np.pad(x, 1, mode=mode)))(onp.array([1.0, 2.0, 3.0]))
