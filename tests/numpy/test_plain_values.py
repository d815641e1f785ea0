"""With plain (untraced) inputs, the backend's numpy namespace must behave exactly
like numpy: same values, same dtypes, same result types, same broadcasting and
keyword arguments -- including for non-differentiable pass-through functions."""


import numpy as onp
import pytest

from gradcheck import autograd_lacks, np

_rng = onp.random.default_rng(2024)
A = _rng.standard_normal((2, 3))
B = _rng.standard_normal((3,))
C = _rng.standard_normal((2, 3, 4))
D = _rng.standard_normal((3, 4))
COL = _rng.standard_normal((2, 1))
POS = _rng.uniform(0.5, 2.0, size=(2, 3))
AI = _rng.integers(-5, 6, size=(2, 3))
AI_POS = _rng.integers(1, 6, size=(3,))
A32 = A.astype(onp.float32)
Z = _rng.standard_normal((2, 2)) + 1j * _rng.standard_normal((2, 2))
SQ = _rng.standard_normal((3, 3))
MASK = A > 0


def assert_identical(got, expected, path="result"):
    if isinstance(expected, (tuple, list)):
        assert type(got) is type(expected), "%s: type %s != %s" % (path, type(got), type(expected))
        assert len(got) == len(expected), path
        for k, (g, e) in enumerate(zip(got, expected)):
            assert_identical(g, e, "%s[%d]" % (path, k))
        return
    assert type(got) is type(expected), "%s: type %s != %s" % (path, type(got), type(expected))
    if isinstance(expected, (onp.ndarray, onp.generic)):
        assert got.dtype == expected.dtype, "%s: dtype %s != %s" % (path, got.dtype, expected.dtype)
        assert got.shape == expected.shape, "%s: shape %s != %s" % (path, got.shape, expected.shape)
        onp.testing.assert_array_equal(got, expected, err_msg=path)
    else:
        assert got == expected, "%s: %r != %r" % (path, got, expected)


# (id, function name, args, kwargs)
CASES = [
    # elementwise, incl. dtype promotion/preservation
    ("exp", "exp", (A,), {}),
    ("exp_f32", "exp", (A32,), {}),
    ("exp_int", "exp", (AI,), {}),
    ("exp_pyfloat", "exp", (0.5,), {}),
    ("log", "log", (POS,), {}),
    ("log1p", "log1p", (POS,), {}),
    ("expm1", "expm1", (A,), {}),
    ("sin", "sin", (A,), {}),
    ("cos_f32", "cos", (A32,), {}),
    ("tan", "tan", (A,), {}),
    ("tanh", "tanh", (A,), {}),
    ("sinh", "sinh", (A,), {}),
    ("cosh", "cosh", (A,), {}),
    ("arctan", "arctan", (A,), {}),
    ("sqrt", "sqrt", (POS,), {}),
    ("sqrt_int", "sqrt", (AI_POS,), {}),
    ("square", "square", (A,), {}),
    ("square_int", "square", (AI,), {}),
    ("reciprocal", "reciprocal", (POS,), {}),
    ("sign", "sign", (A,), {}),
    ("sign_int", "sign", (AI,), {}),
    ("abs", "abs", (A,), {}),
    ("abs_int", "abs", (AI,), {}),
    ("abs_complex", "abs", (Z,), {}),
    ("absolute", "absolute", (A,), {}),
    ("negative", "negative", (AI,), {}),
    ("maximum_bcast", "maximum", (A, B), {}),
    ("minimum_bcast", "minimum", (COL, B), {}),
    ("maximum_int_float", "maximum", (AI, 0.5), {}),
    ("where", "where", (MASK, A, B), {}),
    ("where_scalar", "where", (MASK, A, 0.0), {}),
    ("where_one_arg", "where", (MASK,), {}),
    ("clip", "clip", (A, -0.5, 0.5), {}),
    ("clip_int", "clip", (AI, 0, 3), {}),
    ("clip_kw", "clip", (A,), {"a_min": -0.2, "a_max": None}),
    ("add", "add", (A, B), {}),
    ("subtract", "subtract", (B, A), {}),
    ("multiply_int", "multiply", (AI, AI), {}),
    ("divide_int", "divide", (AI, AI_POS), {}),
    ("true_divide", "true_divide", (A, POS), {}),
    ("floor_divide", "floor_divide", (A, POS), {}),
    ("floor_divide_int", "floor_divide", (AI, AI_POS), {}),
    ("power", "power", (POS, B), {}),
    ("power_int", "power", (AI, 2), {}),
    ("real", "real", (Z,), {}),
    ("imag", "imag", (Z,), {}),
    ("conj", "conj", (Z,), {}),
    ("conjugate_real", "conjugate", (A,), {}),
    # reductions with axis / keepdims / ddof / dtype
    ("sum", "sum", (C,), {}),
    ("sum_axis", "sum", (C,), {"axis": 1}),
    ("sum_neg_axis", "sum", (C,), {"axis": -1}),
    ("sum_tuple_keep", "sum", (C,), {"axis": (0, 2), "keepdims": True}),
    ("sum_int", "sum", (AI,), {}),
    ("sum_dtype", "sum", (AI,), {"dtype": onp.float32}),
    ("sum_f32", "sum", (A32,), {"axis": 0}),
    ("mean", "mean", (C,), {"axis": (1, 2)}),
    ("mean_int", "mean", (AI,), {}),
    ("prod", "prod", (A,), {"axis": 0}),
    ("prod_int", "prod", (AI,), {"keepdims": True}),
    ("max", "max", (C,), {"axis": -1, "keepdims": True}),
    ("max_all", "max", (C,), {}),
    ("min", "min", (C,), {"axis": (0, 1)}),
    ("amax", "amax", (A,), {"axis": 1}),
    ("var", "var", (C,), {"axis": 0, "ddof": 1}),
    ("var_all", "var", (A,), {}),
    ("std", "std", (C,), {"axis": (0, 2), "keepdims": True, "ddof": 1}),
    ("std_int", "std", (AI,), {}),
    ("cumsum", "cumsum", (A,), {"axis": 1}),
    # linear algebra
    ("dot", "dot", (A, B), {}),
    ("dot_scalar", "dot", (2.0, A), {}),
    ("dot_nd", "dot", (C, D.T), {}),
    ("matmul", "matmul", (A, D), {}),
    ("matmul_batch", "matmul", (C, D.T), {}),
    ("matmul_int", "matmul", (AI, AI.T), {}),
    ("outer", "outer", (B, B), {}),
    ("outer_2d", "outer", (A, COL), {}),
    ("tensordot_int", "tensordot", (C, D), {"axes": 2}),
    ("tensordot_pairs", "tensordot", (C, A), {"axes": ([0, 1], [0, 1])}),
    ("einsum", "einsum", ("ij,jk->ik", A, D), {}),
    ("einsum_implicit", "einsum", ("ij,jk", A, D), {}),
    ("einsum_ellipsis", "einsum", ("...j,jk->...k", C, D.T), {}),
    ("einsum_trace", "einsum", ("ii", SQ), {}),
    ("einsum_int", "einsum", ("ij->j", AI), {}),
    # shapes
    ("transpose", "transpose", (C,), {}),
    ("transpose_axes", "transpose", (C, (2, 0, 1)), {}),
    ("transpose_axes_kw", "transpose", (C,), {"axes": (1, 0, 2)}),
    ("reshape", "reshape", (C, (6, -1)), {}),
    ("reshape_int", "reshape", (C, -1), {}),
    ("reshape_order", "reshape", (A, (3, 2)), {"order": "F"}),
    ("ravel", "ravel", (C,), {}),
    ("expand_dims", "expand_dims", (A, -1), {}),
    ("expand_dims_tuple", "expand_dims", (A, (0, 3)), {}),
    ("squeeze", "squeeze", (COL,), {}),
    ("squeeze_axis", "squeeze", (COL,), {"axis": 1}),
    ("concatenate", "concatenate", ([A, A],), {"axis": 1}),
    ("concatenate_default", "concatenate", ([A, A, A],), {}),
    ("concatenate_none", "concatenate", ([A, C[0]],), {"axis": None}),
    ("concatenate_int_float", "concatenate", ([AI, A],), {}),
    ("stack", "stack", ([A, A],), {"axis": -1}),
    ("hstack", "hstack", ([A, COL],), {}),
    ("vstack", "vstack", ([B, A],), {}),
    ("repeat", "repeat", (A, 2), {"axis": 1}),
    ("repeat_counts", "repeat", (A, [1, 0, 2]), {"axis": 1}),
    ("repeat_flat", "repeat", (AI, 3), {}),
    ("tile", "tile", (A, (2, 1, 2)), {}),
    ("array_nested", "array", ([[1.0, 2.0], [3.0, 4.0]],), {}),
    ("array_int", "array", ([[1, 2], [3, 4]],), {}),
    ("array_dtype", "array", ([1, 2],), {"dtype": onp.float32}),
    ("asarray", "asarray", ([1.5, 2.5],), {}),
    # pass-through / constructors / index functions / comparisons
    ("shape", "shape", (C,), {}),
    ("ndim", "ndim", (C,), {}),
    ("size", "size", (C,), {}),
    ("zeros", "zeros", ((2, 3),), {}),
    ("zeros_int", "zeros", (3,), {"dtype": int}),
    ("ones", "ones", ((2,),), {"dtype": onp.float32}),
    ("zeros_like", "zeros_like", (AI,), {}),
    ("ones_like", "ones_like", (A32,), {}),
    ("full", "full", ((2, 2), 7), {}),
    ("full_like", "full_like", (A, 3.0), {}),
    ("empty_shape", "zeros", ((0, 3),), {}),
    ("eye", "eye", (3,), {}),
    ("eye_k", "eye", (3, 4), {"k": 1}),
    ("arange", "arange", (5,), {}),
    ("arange_float", "arange", (0.0, 1.0, 0.25), {}),
    ("linspace", "linspace", (0, 1, 5), {}),
    ("argmax", "argmax", (A,), {}),
    ("argmax_axis", "argmax", (C,), {"axis": 1}),
    ("argmin", "argmin", (C,), {"axis": -1}),
    ("argsort", "argsort", (A,), {"axis": 0}),
    ("nonzero", "nonzero", (MASK,), {}),
    ("greater", "greater", (A, B), {}),
    ("less_equal", "less_equal", (COL, B), {}),
    ("equal", "equal", (AI, 0), {}),
    ("not_equal", "not_equal", (AI, AI.T[:1, :].T), {}),
    ("logical_and", "logical_and", (MASK, A < 1), {}),
    ("isnan", "isnan", (A,), {}),
    ("all", "all", (MASK,), {"axis": 0}),
    ("any", "any", (MASK,), {}),
    ("allclose", "allclose", (A, A + 1e-12), {}),
    ("floor", "floor", (A,), {}),
    ("round", "round", (A, 2), {}),
    ("broadcast_to", "broadcast_to", (B, (2, 3)), {}),
]


@pytest.mark.parametrize("name,args,kwargs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_plain_values_match_numpy(name, args, kwargs):
    expected = getattr(onp, name)(*args, **kwargs)
    got = getattr(np, name)(*args, **kwargs)
    assert_identical(got, expected)


def test_inputs_are_not_modified():
    x = A.copy()
    np.sum(np.exp(x) * 2.0, axis=0)
    np.reshape(x, (3, 2))
    onp.testing.assert_array_equal(x, A)


@pytest.mark.parametrize(
    "name",
    [
        "pi",
        "e",
        "inf",
        "nan",
        "newaxis",
        "float64",
        "float32",
        pytest.param("int64", marks=autograd_lacks("numpy's own int64 (it substitutes a subclass)")),
        "ndarray",
        "bool_",
        "complex128",
    ],
)
def test_constants_and_types_are_numpy_s(name):
    got, expected = getattr(np, name), getattr(onp, name)
    if isinstance(expected, float) and onp.isnan(expected):
        assert onp.isnan(got)
    else:
        assert got is expected or got == expected


def test_dtype_keyword_and_astype_round_trip():
    got = np.sum(AI, axis=1, dtype=onp.float64, keepdims=True)
    assert_identical(got, onp.sum(AI, axis=1, dtype=onp.float64, keepdims=True))
    got = np.array(A, dtype=onp.float32)
    assert_identical(got, onp.array(A, dtype=onp.float32))


def test_random_seeded_matches_numpy():
    state = onp.random.get_state()
    try:
        np.random.seed(123)
        got = (np.random.randn(2, 3), np.random.rand(4), np.random.randint(0, 10, size=5), np.random.normal(1.0, 2.0, 3))
        onp.random.seed(123)
        expected = (onp.random.randn(2, 3), onp.random.rand(4), onp.random.randint(0, 10, size=5), onp.random.normal(1.0, 2.0, 3))
        assert_identical(got, expected)
    finally:
        onp.random.set_state(state)


def test_random_generator_matches_numpy():
    got = np.random.default_rng(7).standard_normal((2, 2))
    expected = onp.random.default_rng(7).standard_normal((2, 2))
    assert_identical(got, expected)


def test_plain_operators_on_results_stay_numpy():
    x = np.exp(A)
    assert type(x) is onp.ndarray
    assert_identical(x @ SQ + B[0] - x // 2.0, onp.exp(A) @ SQ + B[0] - onp.exp(A) // 2.0)
