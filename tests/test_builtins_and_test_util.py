"""teachgrad.builtins and teachgrad.test_util: autograd code that uses them runs unchanged."""
import inspect

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad
from teachgrad.builtins import dict as tg_dict
from teachgrad.builtins import isinstance as tg_isinstance
from teachgrad.builtins import list as tg_list
from teachgrad.builtins import tuple as tg_tuple
from teachgrad.builtins import type as tg_type
from teachgrad.extend import defvjp, primitive
from teachgrad.test_util import check_equivalent, check_grads, combo_check, scalar_close
from teachgrad.tracing import unwrap

# --------------------------------------------------------------------------
# builtins
# --------------------------------------------------------------------------


def test_isinstance_and_type_see_through_traced_values():
    seen = []

    def f(x, s):
        seen.append((tg_isinstance(x, np.ndarray), tg_type(x) is np.ndarray,
                     tg_isinstance(s, float), isinstance(x, np.ndarray)))
        return np.sum(x ** 2) * s

    grad(f)(onp.array([1.0, 2.0]), 3.0)
    grad(grad(lambda s: f(onp.array([1.0]), s) ** 2))(2.0)   # two levels of tracing
    assert seen[0] == (True, True, True, False)     # Python's isinstance sees the traced value
    assert all(s[:3] == (True, True, True) for s in seen)
    assert tg_type(2.0) is float and tg_isinstance(2.0, float)


def test_isinstance_and_type_agree_with_autograds():
    from autograd import grad as ag_grad
    from autograd.builtins import isinstance as ag_isinstance
    from autograd.builtins import type as ag_type
    import autograd.numpy as anp

    def probe(isinstance_, type_, numpy):
        found = []

        def f(x):
            found.append((isinstance_(x, numpy.ndarray), type_(x).__name__))
            return numpy.sum(x ** 2)
        return f, found

    ours, ours_found = probe(tg_isinstance, tg_type, np)
    theirs, theirs_found = probe(ag_isinstance, ag_type, anp)
    grad(ours)(onp.array([1.0, 2.0]))
    ag_grad(theirs)(onp.array([1.0, 2.0]))
    assert ours_found == theirs_found == [(True, "ndarray")]


def test_containers_built_with_the_builtins_are_differentiable():
    def f(x, y):
        pair = tg_tuple((x, y * 2.0))
        items = tg_list([x, y])
        table = tg_dict(a=x, b=y)
        assert isinstance(pair, tg_tuple) and isinstance(items, tg_list) and isinstance(table, tg_dict)
        return pair[0] * pair[1] + items[1] ** 2 + table["a"]

    gx, gy = grad(f, (0, 1))(1.5, 2.0)
    assert abs(gx - (2 * 2.0 + 1)) < 1e-12 and abs(gy - (2 * 1.5 + 2 * 2.0)) < 1e-12
    assert tg_tuple([1, 2]) == (1, 2) and tg_dict([("a", 1)]) == {"a": 1}


# --------------------------------------------------------------------------
# test_util
# --------------------------------------------------------------------------

def test_check_grads_has_autograds_signature():
    from autograd import test_util as ag_test_util
    ours = inspect.signature(check_grads)
    assert list(ours.parameters) == ["fun", "argnum", "modes", "order"]
    assert ours.parameters["argnum"].default == 0
    assert list(ours.parameters["modes"].default) == ["fwd", "rev"]
    assert ours.parameters["order"].default == 2
    assert callable(ag_test_util.combo_check)


@pytest.mark.parametrize("modes", [["rev"], ["fwd"], ["fwd", "rev"]])
def test_check_grads_passes_for_correct_gradients(modes):
    onp.random.seed(0)
    x = onp.array([0.3, -0.7, 1.1])
    check_grads(np.tanh, modes=modes, order=2)(x)
    check_grads(lambda x, y: np.sin(x) * y, 1, modes, 2)(x, 0.4)          # positional like autograd
    check_grads(lambda x, y: (np.sum(x * y), [x ** 2]), argnum=(0, 1), modes=modes)(x, 0.4)
    check_grads(lambda p: [p[0] * np.exp(p[1]), p[1]], modes=modes)([0.5, x])
    check_grads(lambda z: np.sin(z) * z, modes=modes)(onp.array([0.3 + 0.2j, -0.1j]))
    check_grads(lambda p: (p[0] * p[1], [np.cos(p[1])]), modes=modes, order=3)((0.5, x))


@pytest.mark.parametrize("modes", [["rev"], ["fwd"], ["fwd", "rev"]])
def test_check_grads_passes_for_dicts(modes):
    onp.random.seed(0)
    x = onp.array([0.3, -0.7, 1.1])
    check_grads(lambda p: p["a"] * np.exp(p["b"]), modes=modes)({"a": 0.5, "b": x})
    check_grads(lambda p: {"y": p[0] * p[1], "z": np.cos(p[1])}, modes=modes, order=3)((0.5, x))


def test_dict_output_cotangents_are_matched_by_key():
    from teachgrad import make_vjp
    vjp, _ = make_vjp(lambda x: {"a": x, "b": 2.0 * x})(1.0)
    assert vjp({"b": 1.0, "a": 0.0}) == 2.0       # the same dict as {"a": 0.0, "b": 1.0}


# Bugs planted in teachgrad's operators, one at a time: the checker must see each.

def _plant_vjp(monkeypatch, spoil_gradient=lambda g: g, spoil_value=lambda y: y):
    import teachgrad.test_util as test_util
    real = test_util.make_vjp

    def planted(fun, argnum=0):
        maker = real(fun, argnum)

        def vjp_maker(*args, **kwargs):
            vjp, value = maker(*args, **kwargs)
            return (lambda u: spoil_gradient(vjp(u))), spoil_value(value)
        return vjp_maker
    monkeypatch.setattr(test_util, "make_vjp", planted)


def _plant_jvp(monkeypatch, spoil):
    import teachgrad.forward as forward
    real = forward.make_jvp

    def planted(fun, argnum=0):
        maker = real(fun, argnum)

        def jvp_maker(*args, **kwargs):
            jvp = maker(*args, **kwargs)
            x = args[argnum]
            return lambda v: jvp(spoil(x, v))
        return jvp_maker
    monkeypatch.setattr(forward, "make_jvp", planted)


def test_check_grads_sees_a_gradient_in_the_wrong_structure(monkeypatch):
    f = lambda p: p[0] * np.sin(p[1])                      # noqa: E731
    x = [0.5, onp.array([0.2, 0.4])]
    check_grads(f, modes=["rev"], order=1)(x)
    _plant_vjp(monkeypatch, spoil_gradient=lambda g: tuple(g) if isinstance(g, list) else g)
    with pytest.raises(AssertionError, match=r"(?s)not in the space.*list\[.*tuple\["):
        check_grads(f, modes=["rev"], order=1)(x)


def test_check_grads_sees_a_flattened_gradient(monkeypatch):
    from teachgrad.misc import flatten
    f = lambda p: p["w"] * np.sum(p["x"] ** 2)             # noqa: E731
    _plant_vjp(monkeypatch, spoil_gradient=lambda g: flatten(g)[0] if isinstance(g, dict) else g)
    with pytest.raises(AssertionError, match="not in the space"):
        check_grads(f, modes=["rev"], order=1)({"w": 0.5, "x": onp.array([0.2, 0.4])})


def test_check_grads_sees_a_complex_gradient_for_a_real_input(monkeypatch):
    _plant_vjp(monkeypatch, spoil_gradient=lambda g: g + 0j)
    with pytest.raises(AssertionError, match=r"(?s)not in the space.*real \(2,\).*complex \(2,\)"):
        check_grads(np.sin, modes=["rev"], order=1)(onp.array([0.2, 0.4]))


def test_check_grads_sees_a_wrong_value_beside_the_gradient(monkeypatch):
    _plant_vjp(monkeypatch, spoil_value=lambda y: y + 1.0)
    with pytest.raises(AssertionError, match="is not f"):
        check_grads(np.sin, modes=["rev"], order=1)(onp.array([0.2, 0.4]))


def test_check_grads_sees_dict_tangents_paired_by_position(monkeypatch):
    f = lambda d: d["a"] * d["b"] ** 2                    # noqa: E731
    d = {"a": 2.0, "b": 3.0}
    check_grads(f, modes=["fwd"], order=2)(d)

    def by_position(x, v):        # the old forward-mode bug: v's values taken in v's order
        return type(x)(zip(x, v.values())) if isinstance(v, dict) else v
    _plant_jvp(monkeypatch, by_position)
    onp.random.seed(0)
    with pytest.raises(AssertionError, match="Forward-mode"):
        check_grads(f, modes=["fwd"], order=1)(d)


def test_check_grads_sees_a_tangent_in_the_wrong_structure(monkeypatch):
    import teachgrad.forward as forward
    real = forward.make_jvp

    def planted(fun, argnum=0):          # a tuple output's tangent comes back as a list
        maker = real(fun, argnum)
        return lambda *a, **k: (lambda v: (lambda r: (r[0], list(r[1]) if isinstance(r[1], tuple)
                                                      else r[1]))(maker(*a, **k)(v)))
    f = lambda x: (np.sin(x), np.cos(x))                   # noqa: E731
    check_grads(f, modes=["fwd"], order=1)(onp.array([0.2, 0.4]))
    monkeypatch.setattr(forward, "make_jvp", planted)
    with pytest.raises(AssertionError, match=r"(?s)not in the space.*tuple\[.*list\["):
        check_grads(f, modes=["fwd"], order=1)(onp.array([0.2, 0.4]))


def test_check_grads_runs_forward_over_forward():
    from teachgrad.extend import defjvp

    @primitive
    def square(x):
        return x ** 2

    defvjp(square, lambda ans, x: lambda g: g * 2 * x)
    # right tangent, but written with plain numpy: its own derivative is lost
    defjvp(square, lambda g, ans, x: g * 2 * onp.asarray(unwrap(x)))
    x = onp.array([0.5, 1.5])
    check_grads(square, modes=["fwd"], order=1)(x)
    with pytest.raises(AssertionError, match="Forward-mode.*jvp_square"):
        check_grads(square, modes=["fwd"], order=2)(x)


def test_check_grads_reports_a_wrong_gradient():
    @primitive
    def cube(x):
        return x ** 3

    defvjp(cube, lambda ans, x: lambda g: g * 2 * x ** 2)     # should be 3 x**2
    with pytest.raises(AssertionError, match=r"(?s)Reverse-mode.*cube.*teachgrad.*finite differences"):
        check_grads(cube, modes=["rev"])(onp.array([0.5, 1.5]))
    with pytest.raises(AssertionError, match=r"(?s)Forward-mode.*cube.*teachgrad.*finite differences"):
        check_grads(cube, modes=["fwd"])(onp.array([0.5, 1.5]))


def test_check_grads_finds_a_wrong_second_derivative():
    @primitive
    def square(x):
        return x ** 2

    # right first derivative, but written with plain numpy: its own derivative is lost
    defvjp(square, lambda ans, x: lambda g: g * 2 * onp.asarray(unwrap(x)))
    check_grads(square, modes=["rev"], order=1)(onp.array([0.5, 1.5]))
    with pytest.raises(AssertionError, match="vjp_square"):
        check_grads(square, modes=["rev"], order=2)(onp.array([0.5, 1.5]))


def test_check_grads_rejects_unknown_modes():
    with pytest.raises(ValueError, match="fwd"):
        check_grads(np.sin, modes=["backward"])(1.0)


def test_combo_check_tries_every_combination():
    calls = []

    def f(x, axis=0, keepdims=False):
        calls.append((onp.shape(x), axis, keepdims))
        return np.sum(np.sin(x), axis=axis, keepdims=keepdims)

    combo_check(f, [0], modes=["rev"], order=1)(
        [onp.ones((2, 3)), onp.ones((3, 3)) * 0.5], axis=[0, 1], keepdims=[False, True])
    assert {c for c in calls} == {(s, a, k) for s in [(2, 3), (3, 3)] for a in (0, 1) for k in (False, True)}


def test_check_equivalent_and_scalar_close():
    check_equivalent({"a": onp.ones(2), "b": [1.0]}, {"a": onp.ones(2), "b": [1.0 + 1e-12]})
    with pytest.raises(AssertionError, match="differ"):
        check_equivalent(onp.ones(2), onp.array([1.0, 2.0]))
    with pytest.raises(AssertionError, match="shapes"):
        check_equivalent(onp.ones(2), onp.ones(3))
    assert scalar_close(1.0, 1.0 + 1e-9) and not scalar_close(1.0, 1.1)


def test_autograd_style_test_runs_with_only_the_import_changed():
    # the body of a typical autograd test, with `autograd` replaced by `teachgrad`
    import teachgrad.numpy.random as npr
    from teachgrad.test_util import check_grads as cg

    npr.seed(1)
    W = npr.randn(3, 2)

    def predict(W, inputs):
        return np.tanh(np.dot(inputs, W))

    cg(predict, modes=["rev", "fwd"], order=2)(W, npr.randn(4, 3))


def test_forward_mode_of_sum_with_initial():
    # found by the strict checker on tests/numpy/test_keywords.py's sum cases (fixed in afbdb65)
    onp.random.seed(0)
    check_grads(lambda x: np.sum(x, axis=0, initial=4.5), modes=["fwd"], order=1)(onp.ones((2, 3)))
