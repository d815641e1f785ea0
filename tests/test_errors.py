"""Every mistake a student can make gets a clear error (what, why, instead)."""
import math
import warnings

import numpy as realnp
import pytest

import teachgrad.numpy as np
from teachgrad import GradientWarning, elementwise_grad, grad, grad_named, jacobian, trace
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


def test_shape_one_array_is_not_a_scalar():
    with pytest.raises(NonScalarOutputError, match=r"shape \(1,\)"):
        grad(lambda x: x * np.ones(1))(2.0)


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
    from teachgrad.numpy.boxes import _dispatch
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
