"""Every mistake a student can make gets a clear error (what, why, instead)."""
import math
import warnings

import numpy as realnp
import pytest

import teachgrad.numpy as np
from teachgrad import (GradientWarning, elementwise_grad, grad, grad_and_aux, grad_named, jacobian,
                       make_vjp, trace, value_and_grad)
from teachgrad.errors import (ArgumentError, AssignmentError, DetachedValueError,
                              EscapedValueError, NoGradientError, NonScalarOutputError,
                              NotDifferentiableInputError)


def three_parts(message: str) -> None:
    assert "\nWhy: " in message and "\nInstead: " in message


def test_non_scalar_output_says_shape_and_points_to_alternatives():
    with pytest.raises(NonScalarOutputError) as e:
        grad(lambda x: x * 2.0)(np.ones(3))
    msg = str(e.value)
    assert "shape (3,)" in msg and "elementwise_grad" in msg and "jacobian" in msg
    three_parts(msg)
    # and the alternatives it names do work
    realnp.testing.assert_allclose(elementwise_grad(lambda x: x * 2.0)(np.ones(3)), [2.0] * 3)
    assert jacobian(lambda x: x * 2.0)(np.ones(3)).shape == (3, 3)


@pytest.mark.parametrize("shape", [(1,), (1, 1)])
def test_an_array_of_one_number_is_a_scalar_output_as_in_autograd(shape):
    x = realnp.array([1.0, -2.0, 0.5])
    f = lambda x: np.reshape(np.sum(np.sin(x) * x), shape)
    realnp.testing.assert_allclose(grad(f)(x), realnp.sin(x) + x * realnp.cos(x), rtol=1e-12)
    value, g = value_and_grad(f)(x)
    assert realnp.shape(value) == shape
    realnp.testing.assert_allclose(g, realnp.sin(x) + x * realnp.cos(x), rtol=1e-12)
    assert realnp.shape(grad(lambda t: t * np.ones(shape))(2.0)) == ()


def test_an_array_of_two_numbers_is_not_a_scalar_output():
    with pytest.raises(NonScalarOutputError, match=r"shape \(2,\)"):
        grad(lambda x: x * np.ones(2))(2.0)


def test_complex_and_list_outputs():
    with pytest.raises(NonScalarOutputError, match="complex"):
        grad(lambda x: x * 1j)(1.0)
    with pytest.raises(NonScalarOutputError, match="a list"):
        grad(lambda x: [x, x])(1.0)


@pytest.mark.parametrize("value, hint", [(1, "1.0 instead of 1"), (True, "float such as 1.0"),
                                         (realnp.array([1, 2]), "np.array([1.0, 2.0])"),
                                         ("one", "float argument")])
def test_differentiating_with_respect_to_non_float(value, hint):
    with pytest.raises(NotDifferentiableInputError) as e:
        grad(lambda x: x * 2)(value)
    assert hint in str(e.value) and "Cannot differentiate with respect to x" in str(e.value)
    three_parts(str(e.value))


def test_int_inside_a_container_names_its_path():
    with pytest.raises(NotDifferentiableInputError, match=r"params\['n'\]"):
        grad(lambda params: params['w'] * 2.0)({'w': 1.0, 'n': 3})


def test_assignment_into_numpy_zeros():
    def f(x):
        a = np.zeros(3)
        a[0] = x
        return np.sum(a)
    with pytest.raises(AssignmentError) as e:
        grad(f)(1.0)
    msg = str(e.value)
    assert "assignment" in msg.lower() and "np.array(values)" in msg and "np.where" in msg
    three_parts(msg)


def test_slice_assignment_into_numpy_array():
    def f(x):
        a = np.zeros(3)
        a[0:2] = x[:2]
        return np.sum(a)
    with pytest.raises(AssignmentError, match="ssignment"):
        grad(f)(np.ones(3))


def test_assignment_into_traced_array():
    def f(x):
        a = x * 2.0
        a[0] = 1.0
        return np.sum(a)
    with pytest.raises(AssignmentError, match="ssignment into the traced array"):
        grad(f)(np.ones(3))


def test_in_place_add_into_numpy_array():
    def f(x):
        a = np.zeros(3)
        a += x
        return np.sum(a)
    with pytest.raises(AssignmentError, match="in place"):
        grad(f)(np.ones(3))


def test_function_without_gradient_is_named_with_the_defvjp_to_write():
    with pytest.raises(NoGradientError) as e:
        grad(lambda x: np.sum(np.i0(x)))(np.ones(3))       # Bessel I0: deliberately left out
    msg = str(e.value)
    assert "np.i0 has no gradient" in msg and "defvjp(np.i0" in msg
    three_parts(msg)
    # with plain values it is simply numpy's function
    realnp.testing.assert_array_equal(np.i0([0.0]), realnp.i0([0.0]))


def test_plain_numpy_ufuncs_and_functions_on_traced_values_work_correctly():
    assert grad(lambda x: realnp.sin(x) * 2.0)(1.0) == pytest.approx(2 * math.cos(1.0))
    realnp.testing.assert_allclose(grad(lambda x: realnp.sum(x ** 2))(realnp.ones(3)), [2.0] * 3)
    assert grad(lambda x: realnp.sum(realnp.ones(3) * x))(2.0) == 3.0      # ndarray * traced
    assert grad(lambda x: realnp.float64(3.0) * x)(2.0) == 3.0             # numpy scalar * traced


def test_plain_numpy_without_gradient_names_the_function():
    with pytest.raises(NoGradientError, match="np.i0"):
        grad(lambda x: realnp.sum(realnp.i0(x)))(realnp.ones(3))


def test_plain_numpy_asarray_and_math_module_refuse():
    with pytest.raises(AssignmentError):
        grad(lambda x: realnp.sum(realnp.asarray(x)))(realnp.ones(3))
    with pytest.raises(DetachedValueError, match=r"math\.sin"):
        grad(lambda x: math.sin(x))(1.0)
    with pytest.raises(DetachedValueError, match="float()"):
        grad(lambda x: float(x) * 2)(1.0)


def test_argnum_out_of_range_and_unknown_name():
    with pytest.raises(ArgumentError, match="argnum=2 is out of range") as e:
        grad(lambda x, y: x * y, 2)
    three_parts(str(e.value))
    with pytest.raises(ArgumentError, match="no argument called 'z'") as e:
        grad_named(lambda x, y: x * y, 'z')
    assert "'x', 'y'" in str(e.value)
    with pytest.raises(ArgumentError, match="whole number"):
        grad(lambda x: x, 0.5)


def test_output_not_depending_on_input_warns_and_gives_zero_of_right_shape():
    with pytest.warns(GradientWarning, match="does not depend on x"):
        g = grad(lambda x: 3.0)(np.ones((2, 3)))
    assert g.shape == (2, 3) and not g.any()
    with pytest.warns(GradientWarning, match="does not depend on y"):
        g = grad(lambda x, y: x * 2.0, 1)(1.0, 5.0)
    assert g == 0.0


def test_no_warning_when_the_output_depends_on_the_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grad(lambda x: x * 2.0)(1.0)


def test_traced_value_used_after_its_grad_returned():
    kept = []

    def f(x):
        kept.append(x)
        return x * 2.0
    grad(f)(1.0)
    with pytest.raises(EscapedValueError, match="already returned") as e:
        kept[0] * 3.0
    three_parts(str(e.value))


def test_errors_inside_the_function_reach_the_student_unchanged():
    def f(x):
        raise KeyError("my bug")
    with pytest.raises(KeyError, match="my bug"):
        grad(f)(1.0)
    with pytest.raises(KeyError):
        trace(f, 1.0)


def test_traced_values_passed_by_keyword_are_followed():
    x = realnp.array([0.0, 1.0, 2.0])
    # d/dlo sum(clip(x, lo, 1.5)) = number of entries clipped from below
    assert grad(lambda lo: np.sum(np.clip(x, a_min=lo, a_max=1.5)))(0.5) == pytest.approx(1.0)
    realnp.testing.assert_allclose(grad(lambda x: np.sum(np.clip(x, a_min=0.5, a_max=1.5)))(x), [0, 1, 0])
    assert grad(lambda a: np.sum(np.concatenate(arrays=[a * realnp.ones(2), realnp.ones(2)])))(1.0) == 2.0


def test_a_call_that_would_come_back_to_itself_stops_with_an_explanation():
    from teachgrad.numpy.array_node import _dispatch
    x = realnp.ones(2)

    def target(value):        # hands the same value straight back, as a loop would
        return _dispatch(realnp.sum, target, (value,), {})
    with pytest.raises(DetachedValueError, match="in a place teachgrad does not look"):
        _dispatch(realnp.sum, target, (x,), {})


def test_ufunc_methods_on_traced_values():
    x = realnp.array([1.0, 2.0, 3.0])
    realnp.testing.assert_allclose(grad(lambda x: np.sum(np.multiply.outer(x, x)))(x), 2 * x.sum() * realnp.ones(3))
    realnp.testing.assert_allclose(grad(lambda x: np.add.reduce(x ** 2))(x), 2 * x)
    realnp.testing.assert_allclose(grad(lambda x: np.multiply.reduce(x))(x), [6.0, 3.0, 2.0])
    realnp.testing.assert_allclose(grad(lambda x: np.sum(np.add.accumulate(x)))(x), [3.0, 2.0, 1.0])
    assert realnp.array_equal(np.add.outer([1, 2], [3, 4]), realnp.add.outer([1, 2], [3, 4]))
    with pytest.raises(DetachedValueError, match="numpy.add.reduceat"):
        grad(lambda x: np.sum(np.add.reduceat(x, [0, 2])))(x)
    with pytest.raises(TypeError, match="out="):
        grad(lambda x: np.sum(np.add(x, x, out=realnp.zeros(3))))(x)


# --- outputs that are not numbers --------------------------------------------

def test_forgotten_return_is_named():
    def loss(x):
        np.sin(x) * 2.0
    with pytest.raises(NonScalarOutputError) as e:
        grad(loss)(1.0)
    msg = str(e.value)
    assert "returned None" in msg and "forget return" in msg and "loss" in msg
    three_parts(msg)


@pytest.mark.parametrize("make, says", [
    (lambda x: "done", "a str ('done')"),
    (lambda x: object(), "a object"),
    (lambda x: {"loss": x}, "a dict"),
    (lambda x: (x, x), "grad_and_aux"),
])
def test_output_that_is_not_a_number_is_refused_saying_what_it_was(make, says):
    with pytest.raises(NonScalarOutputError) as e:
        grad(make)(1.0)
    assert says in str(e.value)
    three_parts(str(e.value))


def test_make_vjp_refuses_a_function_returning_none():
    with pytest.raises(NonScalarOutputError, match="returned None"):
        make_vjp(lambda x: None)(1.0)


def test_grad_and_aux_needs_a_pair():
    with pytest.raises(NonScalarOutputError) as e:
        grad_and_aux(lambda x: x ** 2)(3.0)
    assert "pair (loss, aux)" in str(e.value) and "one number (9.0)" in str(e.value)
    three_parts(str(e.value))
    with pytest.raises(NonScalarOutputError, match="a tuple of 3"):
        grad_and_aux(lambda x: (x, x, x))(3.0)
    g, aux = grad_and_aux(lambda x: [x ** 2, "aux"])(3.0)      # a list pair is a pair too
    assert float(g) == 6.0 and aux == "aux"


# --- vectors, seeds and tangents of the wrong shape -----------------------------

def test_vjp_vector_of_the_wrong_shape_is_refused():
    vjp, _ = make_vjp(lambda x: x * 2.0)(realnp.ones(3))
    with pytest.raises(ArgumentError) as e:
        vjp(realnp.ones(2))
    assert "shape (3,)" in str(e.value) and "shape (2,)" in str(e.value)
    three_parts(str(e.value))
    with pytest.raises(ArgumentError, match="is None"):
        vjp(None)
    realnp.testing.assert_array_equal(vjp(realnp.array([1.0, 2.0, 3.0])), [2.0, 4.0, 6.0])


def test_vjp_vector_must_follow_a_container_output():
    x = realnp.array([0.5, -1.0])
    vjp, value = make_vjp(lambda x: {"a": x * 2.0, "b": np.sum(np.sin(x))})(x)
    with pytest.raises(ArgumentError, match="keys"):
        vjp({"a": realnp.ones(2)})
    with pytest.raises(ArgumentError, match=r"\['a'\].*shape \(2,\).*shape \(3,\)"):
        vjp({"a": realnp.ones(3), "b": 1.0})
    got = vjp({"a": realnp.array([1.0, 3.0]), "b": 2.0})
    realnp.testing.assert_allclose(got, 2.0 * realnp.array([1.0, 3.0]) + 2.0 * realnp.cos(x),
                                   rtol=1e-12)


def test_vjp_of_tuple_and_list_outputs_sums_every_output():
    x = realnp.array([0.3, 0.7])
    u, w = realnp.array([1.0, -2.0]), realnp.array([0.5, 4.0])
    vjp, value = make_vjp(lambda x: (x ** 2, np.sin(x), 7.0))(x)
    assert isinstance(value, tuple) and value[2] == 7.0
    realnp.testing.assert_allclose(vjp((u, w, 1.0)), 2 * x * u + realnp.cos(x) * w, rtol=1e-12)
    same, _ = make_vjp(lambda x: [x, x])(x)           # one node listed twice: both parts count
    realnp.testing.assert_allclose(same([u, w]), u + w, rtol=1e-12)
    realnp.testing.assert_allclose(elementwise_grad(lambda x: (x ** 2, np.sin(x)))(x),
                                   2 * x + realnp.cos(x), rtol=1e-12)


def test_jacobian_of_a_tuple_output_is_refused():
    with pytest.raises(NonScalarOutputError) as e:
        jacobian(lambda t: (t, t ** 2))(2.0)
    assert "a tuple of 2" in str(e.value) and "jacobian(lambda x: f(x)[0])" in str(e.value)
    three_parts(str(e.value))


def test_trace_seed_of_the_wrong_shape_is_refused():
    with pytest.raises(ArgumentError) as e:
        trace(lambda x: x * 2.0, realnp.ones(3), seed=realnp.ones(2))
    assert "seed=" in str(e.value) and "shape (3,)" in str(e.value)
    g = trace(lambda x: x * 2.0, realnp.ones(3), seed=realnp.array([1.0, 2.0, 3.0]))
    realnp.testing.assert_array_equal(g.inputs[0].grad, [2.0, 4.0, 6.0])


def test_trace_starts_the_backward_pass_from_an_array_of_one_number():
    g = trace(lambda x: np.reshape(x ** 3, (1, 1)), 2.0)
    assert float(g.inputs[0].grad) == 12.0


def test_vjp_vector_of_a_dict_output_is_matched_by_key_not_by_order():
    vjp, _ = make_vjp(lambda x: {"a": x, "b": 2.0 * x})(1.0)
    assert vjp({"b": 1.0, "a": 0.0}) == 2.0
    assert vjp({"a": 1.0, "b": 0.0}) == 1.0
    nested, _ = make_vjp(lambda x: [{"p": x, "q": 3.0 * x}, x])(1.0)
    assert nested([{"q": 1.0, "p": 0.0}, 0.0]) == 3.0


@pytest.mark.parametrize("make, x", [(lambda x: np.allclose(x, x), realnp.array([1.0, 2.0])),
                                     (lambda x: x > 0.0, 1.0)])
def test_a_yes_no_output_is_refused(make, x):
    with pytest.raises(NonScalarOutputError) as e:
        grad(make)(x)
    assert "yes/no value" in str(e.value)
    three_parts(str(e.value))


def test_tensor_jacobian_product_contracts_the_leading_axes():
    from teachgrad import tensor_jacobian_product, vector_jacobian_product
    x = realnp.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    J = realnp.zeros((2, 3, 2, 3))
    for i in range(2):
        for j in range(3):
            J[i, j, i, j] = realnp.cos(x[i, j])
    v = realnp.array([1.0, -2.0])
    realnp.testing.assert_allclose(tensor_jacobian_product(np.sin)(x, v),
                                   realnp.tensordot(v, J, axes=1), rtol=1e-14)
    V = realnp.arange(6.0).reshape(2, 3)
    realnp.testing.assert_allclose(vector_jacobian_product(np.sin)(x, V),
                                   realnp.tensordot(V, J, axes=2), rtol=1e-14)
    with pytest.raises(ArgumentError, match=r"shape \(3,\).*shape \(2, 3\)"):
        tensor_jacobian_product(np.sin)(x, realnp.ones(3))


# --- arrays changed after the function used them ---------------------------------

DATA = realnp.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])


def test_refilling_a_buffer_after_using_it_is_refused():
    buf = realnp.zeros(2)

    def f(w):
        total = 0.0
        for row in DATA:
            buf[:] = row                       # the second pass would change what the first used
            total = total + np.sum(w * buf)
        return total
    with pytest.raises(AssignmentError) as e:
        grad(f)(realnp.ones(2))
    assert "changed after the function had used it" in str(e.value)
    three_parts(str(e.value))
    assert buf.flags.writeable                 # given back as it was
    buf[:] = 1.0


def test_in_place_add_to_a_used_array_and_a_used_mask_are_refused():
    c = realnp.array([1.0, 2.0])

    def f(w):
        y = np.sum(w * c)
        realnp.add(c, 1.0, out=c)
        return y
    with pytest.raises(AssignmentError, match="changed after"):
        grad(f)(realnp.ones(2))
    mask = realnp.array([True, False])

    def g(w):
        y = np.sum(w ** 2, where=mask)
        mask[1] = True
        return y
    with pytest.raises(AssignmentError, match="changed after"):
        grad(g)(realnp.ones(2))
    assert c.flags.writeable and mask.flags.writeable


def test_a_new_array_each_time_gives_the_right_gradient():
    def f(w):
        total = 0.0
        for row in DATA:
            buf = row.copy()
            total = total + np.sum(w * buf)
        return total
    realnp.testing.assert_array_equal(grad(f)(realnp.ones(2)), DATA.sum(axis=0))


def test_arrays_are_writeable_again_after_an_error_and_after_nested_traces():
    base = realnp.arange(4.0)
    view = base[:2]

    def h(x):
        return np.sum(x * base[:2]) + np.sum(x * view) + x[0] * base[0]
    # h = 2 x1 (base[:2] = [0, 1]), so h² has Hessian [[0, 0], [0, 8]]
    from teachgrad import hessian
    realnp.testing.assert_array_equal(hessian(lambda x: h(x) ** 2)(realnp.ones(2)),
                                      [[0.0, 0.0], [0.0, 8.0]])
    assert base.flags.writeable and view.flags.writeable

    def broken(x):
        np.sum(x * base)
        raise RuntimeError("my bug")
    with pytest.raises(RuntimeError, match="my bug"):
        grad(broken)(realnp.ones(4))
    assert base.flags.writeable
    ro = realnp.ones(2)
    ro.flags.writeable = False                 # the user's own read-only array stays so
    grad(lambda x: np.sum(x * ro))(realnp.ones(2))
    assert not ro.flags.writeable


def test_a_maker_given_to_defgradient_and_a_rule_given_to_defvjp_are_refused_with_both_forms():
    from teachgrad.extend import defgradient, defvjp, primitive

    @primitive
    def double(x):
        return 2.0 * x

    with pytest.raises(TypeError) as maker_as_rule:
        defgradient(double, lambda ans, x: lambda g: 2.0 * g)
    with pytest.raises(TypeError) as rule_as_maker:
        defvjp(double, lambda ans, x: lambda g: 2.0 * g, lambda g, ans, x: 2.0 * g)
    for error in (maker_as_rule.value, rule_as_maker.value):
        text = str(error)
        assert "double" in text and "Why:" in text and "Instead:" in text
        assert "defvjp(double, lambda ans, x: lambda g:" in text
        assert "defgradient(double, lambda g, ans, x:" in text
    assert not double.vjp_makers                  # nothing half-registered
    defgradient(double, lambda g, ans, x: 2.0 * g)
    defvjp(double, lambda ans, x: lambda g: 2.0 * g, None)   # the right forms are taken
