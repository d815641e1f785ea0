"""Forward mode with lists, tuples and dicts: tangents matched by key and position,
returned in the output's own structure, and refused with an explanation when they
do not fit the input.

The helpers here (central differences along a direction, and a strict comparison
of structure, shape, dtype kind and values) are shared by the other
tests/test_forward_*.py files.
"""
import collections

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import deriv, make_jvp
from teachgrad.errors import ArgumentError, TeachgradError
from teachgrad.graph import Node

rng = onp.random.default_rng(3)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def zip_structure(fn, a, b):
    """fn applied leaf by leaf to two values of the same structure (dicts by key)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), (a, b)
        return type(a)((k, zip_structure(fn, a[k], b[k])) for k in a)
    if isinstance(a, tuple) and hasattr(a, "_fields"):
        return type(a)(*(zip_structure(fn, x, y) for x, y in zip(a, b)))
    if isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b), (a, b)
        return type(a)(zip_structure(fn, x, y) for x, y in zip(a, b))
    return fn(a, b)


def move(x, v, h):
    """x + h v, leaf by leaf, in x's structure."""
    def step(xi, vi):
        moved = onp.asarray(xi) + h * onp.asarray(vi)
        return type(xi)(moved) if isinstance(xi, (float, complex)) else moved
    return zip_structure(step, x, v)


def central_difference(f, x, v, h=1e-6):
    """(f(x + h v) - f(x - h v)) / 2h in f's output structure; None for non-numeric leaves."""
    def slope(plus, minus):
        if not isinstance(plus, (int, float, complex, onp.number, onp.ndarray)) or \
                isinstance(plus, (bool, onp.bool_)):
            assert plus == minus
            return None
        return (onp.asarray(plus) - onp.asarray(minus)) / (2 * h)
    return zip_structure(slope, f(move(x, v, h)), f(move(x, v, -h)))


def assert_tangent(actual, expected, rtol=1e-6, atol=1e-7, where="tangent"):
    """Same container types (namedtuples too), same keys in the same order, same lengths;
    at each leaf a plain value of the same shape and the same kind (real or complex),
    close in value."""
    if isinstance(expected, dict):
        assert type(actual) is type(expected), f"{where}: {type(actual)} instead of {type(expected)}"
        assert list(actual) == list(expected), f"{where}: keys {list(actual)} != {list(expected)}"
        for k in expected:
            assert_tangent(actual[k], expected[k], rtol, atol, f"{where}[{k!r}]")
    elif isinstance(expected, tuple) and hasattr(expected, "_fields"):
        # numpy's result classes (EighResult, ...): the same name and fields
        assert isinstance(actual, tuple) and type(actual).__name__ == type(expected).__name__ and \
            getattr(actual, "_fields", None) == expected._fields, \
            f"{where}: {type(actual)} instead of {type(expected)}"
        for field, a, e in zip(expected._fields, actual, expected):
            assert_tangent(a, e, rtol, atol, f"{where}.{field}")
    elif isinstance(expected, (list, tuple)):
        assert type(actual) is type(expected), f"{where}: {type(actual)} instead of {type(expected)}"
        assert len(actual) == len(expected), where
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_tangent(a, e, rtol, atol, f"{where}[{i}]")
    elif expected is None:
        assert actual is None, f"{where}: {actual!r} for a non-numeric output"
    else:
        assert not isinstance(actual, Node), f"{where}: a traced value escaped"
        a, e = onp.asarray(actual), onp.asarray(expected)
        assert a.shape == e.shape, f"{where}: shape {a.shape} != {e.shape}"
        assert (a.dtype.kind == "c") == (e.dtype.kind == "c"), f"{where}: dtype {a.dtype} vs {e.dtype}"
        scale = max(1.0, float(onp.max(onp.abs(e)))) if e.size else 1.0
        onp.testing.assert_allclose(a, e, rtol=rtol, atol=atol * scale, err_msg=where)


def check_jvp(f, x, v, rtol=1e-6, atol=1e-7):
    """make_jvp(f)(x)(v) against the value f(x) and the central difference along v."""
    value, tangent = make_jvp(f)(x)(v)
    assert_tangent(value, f(x), rtol=1e-12, atol=0.0, where="value")
    assert_tangent(tangent, central_difference(f, x, v), rtol, atol)
    return tangent


def check_second_order(f, x, v, u, rtol=1e-5, atol=1e-6):
    """Forward over forward: d/du (J(x) v) against central differences of the exact J(x) v."""
    first = lambda y: make_jvp(f)(y)(v)[1]          # noqa: E731
    _, second = make_jvp(first)(x)(u)
    assert_tangent(second, central_difference(first, x, u, h=1e-5), rtol, atol)
    return second


def random_like(x, seed=0):
    r = onp.random.default_rng(seed)

    def leaf(xi):
        shape = onp.shape(xi)
        out = r.standard_normal(shape)
        if onp.iscomplexobj(xi):
            out = out + 1j * r.standard_normal(shape)
        return type(xi)(out) if isinstance(xi, (float, complex)) else out
    return zip_structure(lambda a, _: leaf(a), x, x)


# --------------------------------------------------------------------------
# The examples of issue 10
# --------------------------------------------------------------------------

def test_dict_tangents_are_matched_by_key_not_by_order():
    value, tangent = make_jvp(lambda d: d['a'] * d['b'])({'a': 2.0, 'b': 3.0})({'b': 0.0, 'a': 1.0})
    assert float(value) == 6.0
    assert float(tangent) == 3.0        # d(ab) along a: b


def test_a_tuple_output_gets_a_tuple_of_tangents():
    value, tangent = make_jvp(lambda t: (t, t ** 2))(2.0)(1.0)
    assert type(value) is tuple and type(tangent) is tuple
    assert [float(t) for t in tangent] == [1.0, 4.0]


# --------------------------------------------------------------------------
# Inputs and outputs of every structure, against central differences
# --------------------------------------------------------------------------

Pair = collections.namedtuple("Pair", ["first", "second"])
W = rng.normal(size=(3, 2))

STRUCTURES = {
    "dict in, scalar out": (
        lambda p: np.sum(np.tanh(p['W'].T @ p['x']) * p['b']) + p['c'] ** 2,
        {'W': W, 'x': rng.normal(size=3), 'b': rng.normal(size=2), 'c': 0.7}),
    "list in, list out": (
        lambda xs: [xs[0] * xs[1], np.sin(xs[1]), xs[0]],
        [rng.normal(size=3), rng.normal(size=3)]),
    "tuple in, dict out": (
        lambda t: {'sum': t[0] + t[1], 'prod': t[0] * np.exp(t[1]), 'first': t[0]},
        (0.3, rng.normal(size=(2, 2)))),
    "nested in, nested out": (
        lambda d: (d['a'][0] * d['b'], {'k': [np.cos(d['a'][1]), d['b'] ** 3]}),
        {'a': [rng.normal(size=2), 1.5], 'b': rng.normal(size=2)}),
    "namedtuple in, namedtuple out": (
        lambda p: Pair(p.first * p.second, np.log(p.second ** 2)),
        Pair(rng.normal(size=3), rng.normal(size=3))),
    "constant leaves out": (
        lambda d: (d['x'] ** 2, 5.0, onp.ones(2), d['x'][0] * 0.0 + 1.0),
        {'x': rng.normal(size=2)}),
    "complex leaves": (
        lambda d: {'z': d['z'] ** 2 * d['r'], 'abs': np.abs(d['z']), 'real': np.real(d['z'] * d['r'])},
        {'z': rng.normal(size=3) + 1j * rng.normal(size=3), 'r': rng.normal(size=3)}),
}


@pytest.mark.parametrize("name", STRUCTURES)
def test_structured_inputs_and_outputs_against_central_differences(name):
    f, x = STRUCTURES[name]
    v = random_like(x, seed=1)
    check_jvp(f, x, v)


@pytest.mark.parametrize("name", STRUCTURES)
def test_structured_forward_over_forward(name):
    f, x = STRUCTURES[name]
    check_second_order(f, x, random_like(x, seed=1), random_like(x, seed=2))


def test_a_dict_given_in_another_key_order_gives_the_same_tangent():
    f, x = STRUCTURES["nested in, nested out"]
    v = random_like(x, seed=4)
    reordered = {'b': v['b'], 'a': v['a']}
    assert_tangent(make_jvp(f)(x)(reordered)[1], make_jvp(f)(x)(v)[1], rtol=0, atol=0)


def test_the_output_structure_is_the_functions_own():
    f, x = STRUCTURES["constant leaves out"]
    value, tangent = make_jvp(f)(x)(random_like(x))
    assert type(value) is tuple and type(tangent) is tuple
    assert onp.shape(tangent[2]) == (2,) and not onp.any(tangent[2])   # a constant: zero
    assert float(tangent[1]) == 0.0 and float(tangent[3]) == 0.0


def test_outputs_that_are_not_numbers_are_refused_as_make_vjp_refuses_them():
    from teachgrad.errors import NonScalarOutputError
    with pytest.raises(NonScalarOutputError, match="make_jvp needs <lambda> to return numbers or "
                                                   "arrays, but it returned None. Did you forget return"):
        make_jvp(lambda x: None)(1.0)(1.0)
    with pytest.raises(NonScalarOutputError, match="returned a tuple"):
        make_jvp(lambda x: (x * 2.0, "label"))(1.0)(1.0)
    with pytest.raises(NonScalarOutputError, match=r"returned a str \('label'\)"):
        deriv(lambda x: "label")(1.0)


def test_the_output_may_be_the_input_itself():
    x = {'a': onp.array([1.0, 2.0]), 'b': 3.0}
    v = {'b': 0.5, 'a': onp.array([0.0, 1.0])}
    value, tangent = make_jvp(lambda d: d)(x)(v)
    assert_tangent(tangent, {'a': v['a'], 'b': 0.5}, rtol=0, atol=0)


def test_deriv_moves_every_leaf_of_a_container_by_one():
    f = lambda d: d['x'] * d['y'] + d['y']                   # noqa: E731
    x = {'x': onp.array([1.0, 2.0]), 'y': onp.array([3.0, 4.0])}
    ones = {'x': onp.ones(2), 'y': onp.ones(2)}
    assert_tangent(deriv(f)(x), central_difference(f, x, ones))


def test_an_argument_other_than_the_first_with_a_structure():
    def f(scale, params, shift=0.0):
        return [scale * params['w'] ** 2 + shift, params['w'] @ params['v']]
    x = {'w': rng.normal(size=3), 'v': rng.normal(size=3)}
    v = random_like(x, seed=5)
    value, tangent = make_jvp(f, 1)(2.0, x, shift=1.0)(v)
    expected = central_difference(lambda p: f(2.0, p, shift=1.0), x, v)
    assert_tangent(tangent, expected)


def test_integer_and_list_tangents_are_accepted_as_numbers():
    _, tangent = make_jvp(lambda x: x ** 2)(onp.array([1.0, 2.0]))([1, 0])
    assert_tangent(tangent, onp.array([2.0, 0.0]), rtol=0, atol=0)


# --------------------------------------------------------------------------
# Tangents that do not fit are refused, saying why
# --------------------------------------------------------------------------

X = {'a': onp.ones(2), 'b': [onp.ones(3), 1.0]}
F = lambda d: np.sum(d['a']) * d['b'][1] + np.sum(d['b'][0])       # noqa: E731

BAD_TANGENTS = {
    "missing key": ({'a': onp.ones(2)}, ["keys 'a'", "keys 'a', 'b'", "'b': [np.zeros((3,)), 0.0]"]),
    "extra key": ({'a': onp.ones(2), 'b': [onp.ones(3), 1.0], 'c': 1.0}, ["'c'"]),
    "wrong shape": ({'a': onp.ones(3), 'b': [onp.ones(3), 1.0]}, ["d['a']", "shape (3,)", "shape (2,)"]),
    "wrong length": ({'a': onp.ones(2), 'b': [onp.ones(3)]}, ["d['b']", "list of length 1",
                                                              "list of length 2"]),
    "list for a dict": ([onp.ones(2), [onp.ones(3), 1.0]], ["list of length 2", "a dict"]),
    "array for a list": ({'a': onp.ones(2), 'b': onp.ones(4)}, ["d['b']", "an array of shape (4,)"]),
    "complex for real": ({'a': onp.ones(2) * 1j, 'b': [onp.ones(3), 1.0]}, ["complex", "real"]),
    "a string": ({'a': "up", 'b': [onp.ones(3), 1.0]}, ["a str"]),
    "None": ({'a': None, 'b': [onp.ones(3), 1.0]}, ["NoneType"]),
    "scalar for an array": ({'a': 1.0, 'b': [onp.ones(3), 1.0]}, ["shape ()", "shape (2,)"]),
}


@pytest.mark.parametrize("name", BAD_TANGENTS)
def test_a_tangent_that_does_not_fit_the_input_is_explained(name):
    v, words = BAD_TANGENTS[name]
    with pytest.raises(ArgumentError) as info:
        make_jvp(F)(X)(v)
    message = str(info.value)
    assert isinstance(info.value, TeachgradError)
    assert "Why:" in message and "Instead:" in message
    for word in words:
        assert word in message, (word, message)


def test_a_tangent_of_the_wrong_shape_for_an_array_is_refused():
    with pytest.raises(ArgumentError, match=r"shape \(2,\), but x has shape \(3,\)"):
        make_jvp(lambda x: x * 2.0)(onp.ones(3))(onp.ones(2))


def test_several_argnums_take_a_tuple_of_tangents_in_argnum_order():
    f = lambda x, y, z: x * np.sin(y) + z        # noqa: E731
    x, y, z = 2.0, onp.array([1.0, 0.5]), 3.0
    _, tangent = make_jvp(f, (1, 0))(x, y, z)((onp.array([1.0, 0.0]), 0.5))
    expected = central_difference(lambda xy: f(xy[1], xy[0], z), (y, x), (onp.array([1.0, 0.0]), 0.5))
    assert_tangent(tangent, expected)
    assert_tangent(deriv(f, (0, 2))(x, y, z), onp.sin(y) + 1.0, rtol=1e-14, atol=0)
    with pytest.raises(ArgumentError, match=r"The tangent for \(y, x\) is a tuple of length 1"):
        make_jvp(f, (1, 0))(x, y, z)((onp.ones(2),))


def test_a_primitive_with_several_outputs():
    from teachgrad.extend import defvjp, primitive

    @primitive
    def sin_and_cos_of_twice(x):
        return onp.sin(x), onp.cos(2 * x)
    defvjp(sin_and_cos_of_twice, lambda ans, x: lambda g: g[0] * np.cos(x) - 2 * g[1] * np.sin(2 * x))
    x, v = onp.array([0.3, 0.7]), onp.array([1.0, -2.0])
    for f in (lambda x: sin_and_cos_of_twice(x), lambda x: sin_and_cos_of_twice(x)[0] * x):
        check_jvp(f, x, v)
    _, tangent = make_jvp(lambda x: sin_and_cos_of_twice(x[0] * x[1]))(x)(v)   # not used: zeros
    assert type(tangent) is tuple and len(tangent) == 2
    _, tangent = make_jvp(lambda x: (x, sin_and_cos_of_twice(onp.ones(1))))(x)(v)
    assert tangent[1] is not None and not onp.any(tangent[1][0]) and not onp.any(tangent[1][1])


def test_tangents_live_in_the_outputs_space_real_or_complex():
    z = onp.array([1.0 + 1.0j, 0.5 - 2.0j])
    # a real direction for a complex input is a complex tangent with zero imaginary part
    _, tangent = make_jvp(lambda z: z ** 2)(z)(onp.array([1.0, 0.0]))
    assert tangent.dtype.kind == "c"
    onp.testing.assert_allclose(tangent, [2 * z[0], 0.0], rtol=1e-14)
    # a real function of a complex input has a real tangent
    check_jvp(lambda z: np.abs(z) ** 2, z, onp.array([1.0 + 0.5j, -1.0j]))
    # a complex output that moves only in its real part still has a complex tangent
    _, tangent = make_jvp(lambda x: x + 2.0j)(onp.array([1.0, 2.0]))(onp.array([1.0, 1.0]))
    assert tangent.dtype.kind == "c"


def test_the_gradient_with_respect_to_a_real_tangent_of_a_complex_input_is_real():
    from teachgrad import grad
    z = onp.array([1.0 + 1.0j, 0.5 - 2.0j])
    directional = lambda v: np.sum(np.real(make_jvp(lambda z: z ** 2 * 1j)(z)(v)[1]))  # noqa: E731
    g = grad(directional)(onp.array([1.0, 1.0]))
    assert g.dtype.kind == "f"
    onp.testing.assert_allclose(g, central_difference(directional, onp.array([1.0, 1.0]),
                                                      onp.array([1.0, 0.0])) * onp.array([1, 0]) +
                                central_difference(directional, onp.array([1.0, 1.0]),
                                                   onp.array([0.0, 1.0])) * onp.array([0, 1]),
                                rtol=1e-7)


def test_a_real_tangent_of_a_complex_input_has_a_real_gradient_even_through_imag():
    from teachgrad import grad
    z = onp.array([1.0 + 1.0j, 0.5 - 2.0j])
    # imag(v) of a real v is 0 whatever v is: the gradient is a real zero
    g = grad(lambda v: np.sum(make_jvp(np.imag)(z)(v)[1]))(onp.array([1.0, 1.0]))
    assert g.dtype.kind == "f" and not onp.any(g)


def test_an_input_that_cannot_be_differentiated_is_explained_before_its_tangent():
    from teachgrad.errors import NotDifferentiableInputError
    with pytest.raises(NotDifferentiableInputError, match=r"d\['n'\].*2.0 instead of 2"):
        make_jvp(lambda d: d['x'] * d['n'])({'x': 1.0, 'n': 2})({'x': 1.0, 'n': 0.0})


@pytest.mark.parametrize("name", STRUCTURES)
def test_make_jvp_reversemode_takes_the_same_structures(name):
    from teachgrad import make_jvp_reversemode
    f, x = STRUCTURES[name]
    v = random_like(x, seed=1)
    reordered = dict(reversed(list(v.items()))) if isinstance(v, dict) else v
    value, tangent = make_jvp_reversemode(f)(x)(reordered)
    assert_tangent(tangent, central_difference(f, x, v))
