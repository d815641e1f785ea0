"""autograd 1.0-1.1's API on teachgrad: the old primitive methods, util, wrappers and notes."""
import subprocess
import sys
import warnings

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad
from teachgrad.compat import OldAutogradWarning, forget_notes
from teachgrad.compat.primitives import OldPrimitive
from teachgrad.core import primitive


@pytest.fixture(autouse=True)
def fresh_notes():
    forget_notes()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        yield
    forget_notes()


def numeric(f, x, eps=1e-6):
    x = onp.asarray(x, float)
    out = onp.zeros_like(x)
    for i in onp.ndindex(*x.shape):
        d = onp.zeros_like(x)
        d[i] = eps
        out[i] = (f(x + d) - f(x - d)) / (2 * eps)
    return out


def test_core_primitive_is_a_teachgrad_primitive_with_old_methods():
    @primitive
    def cube(x):
        return x ** 3
    assert isinstance(cube, OldPrimitive)
    with pytest.warns(OldAutogradWarning, match=r"defgrad.*today: `defvjp\(f"):
        cube.defgrad(lambda ans, x: lambda g: g * 3 * x ** 2)
    x = onp.array([0.5, -1.5])
    f = lambda x: np.sum(cube(x) * onp.array([1.0, 2.0]))
    onp.testing.assert_allclose(grad(f)(x), numeric(f, x), rtol=1e-7)


def test_defgrad_for_second_argument_and_defgrads():
    @primitive
    def mul(x, y):
        return x * y
    mul.defgrad(lambda ans, x, y: lambda g: g * y)
    mul.defgrad(lambda ans, x, y: lambda g: g * x, argnum=1)
    assert grad(lambda y: mul(3.0, y) ** 2)(2.0) == pytest.approx(2 * 6.0 * 3.0)

    @primitive
    def mul2(x, y):
        return x * y
    with pytest.warns(OldAutogradWarning, match="defgrads"):
        mul2.defgrads(lambda argnum, ans, x, y: lambda g: g * (y if argnum == 0 else x), [0, 1])
    f = lambda v: mul2(v[0], v[1]) ** 2
    v = onp.array([1.5, -2.0])
    onp.testing.assert_allclose(grad(f)(v), numeric(f, v), rtol=1e-7)


def test_defvjp_in_the_1_1_form_gets_vector_spaces():
    seen = {}

    @primitive
    def scale(x, a):
        return x * a

    def vjp_x(g, ans, vs, gvs, x, a):
        seen["vs"], seen["gvs"] = vs, gvs
        return g * a
    with pytest.warns(OldAutogradWarning, match=r"f\.defvjp\(vjp, argnum\)"):
        scale.defvjp(vjp_x)
    scale.defvjp(lambda g, ans, vs, gvs, x, a: onp.sum(g * x), argnum=1)
    x = onp.array([1.0, 2.0, 3.0])
    f = lambda a: np.sum(scale(x, a) ** 2)
    assert grad(f)(0.5) == pytest.approx(numeric(f, 0.5), rel=1e-7)
    g = grad(lambda x: np.sum(scale(x, 0.5) ** 2))(x)
    onp.testing.assert_allclose(g, 2 * 0.25 * x)
    assert seen["vs"].shape == (3,) and seen["gvs"].shape == (3,)


def test_defvjps_and_zero_forms():
    @primitive
    def f(x, y, flag):
        return x * y
    f.defvjps(lambda argnum, g, ans, vs, gvs, x, y, flag: g * (y if argnum == 0 else x), [0, 1])
    with pytest.warns(OldAutogradWarning, match="defvjp_is_zero"):
        f.defvjp_is_zero(argnums=(2,))
    assert grad(lambda t: f(t, 4.0, t))(2.0) == pytest.approx(4.0)

    @primitive
    def g(x, y):
        return x * y
    with pytest.warns(OldAutogradWarning, match="defgrad_is_zero"):
        g.defgrad_is_zero(argnums=(0, 1))
    assert grad(lambda t: g(t, t))(2.0) == 0.0


def test_no_gradient_registered_is_a_clear_error():
    @primitive
    def h(x):
        return x * 2.0
    with pytest.raises(NotImplementedError, match="has no gradient"):
        grad(h)(1.0)


def test_each_note_is_one_line_and_said_once():
    @primitive
    def a(x):
        return x
    @primitive
    def b(x):
        return x
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        a.defgrad(lambda ans, x: lambda g: g)
        b.defgrad(lambda ans, x: lambda g: g)
    notes = [w for w in caught if w.category is OldAutogradWarning]
    assert len(notes) == 1 and "\n" not in str(notes[0].message)
    assert notes[0].filename == __file__          # points at the student's line


def test_notes_can_be_silenced():
    @primitive
    def a(x):
        return x
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", OldAutogradWarning)
        a.defgrad(lambda ans, x: lambda g: g)
    assert caught == []


def test_old_module_imports_say_where_things_live_today():
    code = ("import warnings; warnings.simplefilter('always')\n"
            "from teachgrad.optimizers import adam\n"
            "from teachgrad.optimizers import sgd\n"
            "from teachgrad.scipy.misc import logsumexp\n"
            "from teachgrad.core import grad, getval\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "OldAutogradWarning" in line]
    assert len(lines) == 3, done.stderr
    assert all(line.startswith("<string>:") for line in lines), lines
    assert "autograd.misc.optimizers" in lines[0] and "scipy.special" in lines[1] \
        and "from autograd import grad" in lines[2]


def test_core_grad_casts_ints_as_1_1_did():
    from teachgrad.core import grad as old_grad
    assert old_grad(lambda x: x ** 3)(2) == pytest.approx(12.0)


def test_util_check_grads_and_quick_grad_check_catch_a_wrong_gradient():
    from teachgrad.util import check_grads, quick_grad_check

    @primitive
    def sq(x):
        return x ** 2
    sq.defgrad(lambda ans, x: lambda g: g * 2 * x)
    x = onp.array([0.3, -0.7])
    check_grads(lambda x, y: np.sum(sq(x) * y), x, onp.array([1.0, 3.0]))
    quick_grad_check(lambda x: np.sum(sq(x)), x, verbose=False)

    @primitive
    def wrong(x):
        return x ** 2
    wrong.defgrad(lambda ans, x: lambda g: g * x)
    with pytest.raises(AssertionError):
        check_grads(lambda x: np.sum(wrong(x)), x)
    with pytest.raises(AssertionError):
        quick_grad_check(lambda x: np.sum(wrong(x)), x, verbose=False)
    with pytest.raises(TypeError, match="needs the arguments"):
        check_grads(lambda x: x)


def test_quick_grad_check_prints_when_verbose(capsys):
    from teachgrad.util import quick_grad_check
    quick_grad_check(lambda x, c: np.sum(x ** 2) * c, onp.array([1.0, 2.0]), extra_args=(3.0,))
    out = capsys.readouterr().out
    assert "Checking the gradient" in out and "OK" in out


def test_util_nd_flatten_and_flatten_func():
    from teachgrad.util import flatten, flatten_func, nd, unary_nd
    dx, dy = nd(lambda x, y: x * y ** 2, 3.0, 2.0)
    assert dx == pytest.approx(4.0, abs=1e-6) and dy == pytest.approx(12.0, abs=1e-6)
    d = unary_nd(lambda p: p["a"] * onp.sum(p["b"]), {"a": 2.0, "b": onp.array([1.0, 3.0])})
    assert d["a"] == pytest.approx(4.0, abs=1e-6) and onp.allclose(d["b"], [2.0, 2.0], atol=1e-6)
    vector, unflatten = flatten({"b": onp.ones(2), "a": 3.0})
    onp.testing.assert_array_equal(vector, [3.0, 1.0, 1.0])          # sorted keys, as autograd
    assert unflatten(vector * 2)["a"] == 6.0
    flat_f, unflatten, flat_x = flatten_func(lambda p, k: {"y": p["a"] * k}, {"a": onp.ones(2)})
    onp.testing.assert_array_equal(flat_f(flat_x, 3.0), [3.0, 3.0])


def test_convenience_wrappers_match_closed_forms():
    from teachgrad.convenience_wrappers import (grad_and_aux, hessian, jacobian, multigrad,
                                                multigrad_dict, vector_jacobian_product)
    f = lambda x, y: np.sum(np.sin(x) * y)
    x, y = onp.array([0.2, 1.1]), onp.array([2.0, -1.0])
    gx, gy = multigrad(f, [0, 1])(x, y)
    onp.testing.assert_allclose(gx, onp.cos(x) * y)
    onp.testing.assert_allclose(gy, onp.sin(x))
    d = multigrad_dict(f)(x, y=y)
    onp.testing.assert_allclose(d["y"], onp.sin(x))
    g, aux = grad_and_aux(lambda x: (np.sum(x ** 2), "aux"))(x)
    assert aux == "aux" and onp.allclose(g, 2 * x)
    onp.testing.assert_allclose(jacobian(np.sin)(x), onp.diag(onp.cos(x)))
    onp.testing.assert_allclose(hessian(lambda x: np.sum(x ** 4))(x), onp.diag(12 * x ** 2))
    v = onp.array([1.0, 2.0])
    onp.testing.assert_allclose(vector_jacobian_product(np.sin)(x, v), v * onp.cos(x))


def test_optimizers_have_1_1_signatures():
    import inspect

    from teachgrad.optimizers import adam, rmsprop, sgd
    assert list(inspect.signature(adam).parameters)[:4] == ["grad", "init_params", "callback", "num_iters"]
    found = adam(lambda x, i: 2 * (x - 3.0), onp.zeros(2), num_iters=2000, step_size=0.05)
    onp.testing.assert_allclose(found, [3.0, 3.0], atol=1e-3)
    assert sgd(lambda x, i: 2 * (x - 1.0), 0.0, num_iters=300, step_size=0.5) == pytest.approx(1.0, abs=1e-4)
    assert rmsprop(lambda x, i: 2 * (x - 1.0), onp.zeros(1), num_iters=500,
                   step_size=0.01)[0] == pytest.approx(1.0, abs=0.02)


def test_scipy_misc_logsumexp_gradient_is_softmax():
    from teachgrad.scipy.misc import logsumexp
    x = onp.array([0.5, -1.0, 2.0])
    onp.testing.assert_allclose(grad(logsumexp)(x), onp.exp(x) / onp.exp(x).sum())


def test_nograd_primitive_returns_plain_values():
    from teachgrad.core import nograd_primitive
    seen = []
    spy = nograd_primitive(lambda x: seen.append(type(x)) or 0.0)
    grad(lambda x: x * 2.0 + spy(x))(1.0)
    assert seen and all(not issubclass(t, __import__("teachgrad").Node) for t in seen)


def test_unknown_core_name_is_an_attribute_error():
    import teachgrad.core
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        teachgrad.core.nothing_here


def test_isinstance_of_primitive_as_in_1_1():
    from teachgrad.core import primitive as core_primitive
    f = core_primitive(lambda x: x)
    assert isinstance(f, core_primitive) and isinstance(np.sin, core_primitive)
    assert not isinstance(lambda x: x, core_primitive)
    old_sin = core_primitive(np.sin)           # np.sin gains the old methods, keeps its gradient
    assert grad(old_sin)(0.0) == pytest.approx(1.0) and hasattr(old_sin, "defgrad")


def test_make_vjp_with_an_int_is_1_1_8s_argnum_form():
    from teachgrad.core import make_vjp
    vjp, ans = make_vjp(lambda x, y: x * y ** 2, 1)(3.0, 2.0)
    assert ans == 12.0 and vjp(1.0) == pytest.approx(12.0)
    vjp, ans = make_vjp(lambda x: x ** 3)(2.0)
    assert vjp(1.0) == pytest.approx(12.0)


def test_old_grad_differentiates_the_real_part_of_a_complex_output():
    from teachgrad.core import grad as old_grad
    # real(z^2) = x^2 - y^2; autograd's convention is d/dx - i d/dy: 2x + 2y i at 2 + i
    assert old_grad(lambda z: z ** 2)(2.0 + 1.0j) == pytest.approx(4.0 + 2.0j)
    from teachgrad.util import check_grads
    check_grads(lambda z: z ** 2, 2.0 + 1.0j)


def test_util_star_import_gives_what_1_1_gave():
    names = {}
    exec("from teachgrad.util import *", names)
    assert {"np", "it", "grad", "check_grads", "quick_grad_check", "flatten", "nd",
            "to_scalar", "check_equivalent", "make_tuple", "base_class"} <= set(names)
    assert names["base_class"](onp.float32) is float and names["base_class"](onp.complex64) is complex
    assert names["np"] is np


def test_vspace_flatten_and_unflatten_1_1_style():
    from teachgrad.core import vspace, vspace_flatten
    z = onp.array([1.0 + 2.0j, 3.0 - 1.0j])
    vs = vspace(z)
    flat = vspace_flatten(z)
    onp.testing.assert_array_equal(flat, [1.0, 3.0, 2.0, -1.0])     # real parts, then imaginary
    onp.testing.assert_array_equal(vs.unflatten(flat), z)
    onp.testing.assert_array_equal(vs.flatten(z, covector=True), [1.0, 3.0, -2.0, 1.0])
    value = {"b": onp.ones((2, 1)), "a": [2.0, onp.zeros(2)]}
    vs = vspace(value)
    flat = vs.flatten(value)
    assert flat.shape == (vs.size,) == (5,)
    back = vs.unflatten(flat * 2)
    onp.testing.assert_array_equal(back["b"], 2 * onp.ones((2, 1))) and back["a"][0] == 4.0
    assert len(vspace(1.0).examples()) == 2


def test_util_check_grads_takes_a_size_one_output():
    from teachgrad.util import check_grads
    check_grads(lambda x: np.sum(np.sin(x), keepdims=True), onp.array([[0.1, 0.2], [0.3, 0.4]]))


def test_container_types_build_plain_containers():
    from teachgrad.container_types import make_dict, make_list, make_tuple
    g = grad(lambda x: make_tuple(x, 2.0 * x)[1] + make_list(x)[0] + make_dict(a=x)["a"])(1.0)
    assert g == pytest.approx(4.0)


def test_primitive_with_aux_passes_aux_to_the_gradient():
    from teachgrad.core import primitive_with_aux
    calls = []

    @primitive_with_aux
    def solve_and_keep(a, b):
        calls.append(1)
        return b / a, 1.0 / a          # result, and what its gradient reuses
    with pytest.warns(OldAutogradWarning, match="primitive_with_aux"):
        solve_and_keep.defgrad(lambda inv_a, ans, a, b: lambda g: -g * ans * inv_a)
    solve_and_keep.defgrad(lambda inv_a, ans, a, b: lambda g: g * inv_a, argnum=1)
    f = lambda v: solve_and_keep(v[0], v[1]) ** 2
    v = onp.array([2.0, 3.0])
    onp.testing.assert_allclose(grad(f)(v), numeric(f, v), rtol=1e-7)
    assert solve_and_keep(2.0, 3.0) == 1.5
