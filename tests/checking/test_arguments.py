"""The arguments of check_grad (checking/arguments.py): which are checked, what the
student returned for each, and bad input.
"""
import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import check_grad
from teachgrad.checking import CheckGradError
from teachgrad.errors import ArgumentError, NonScalarOutputError, NotDifferentiableInputError

from checking_helpers import kinds, X, W, B, layer_loss, hand, dW, db


def test_several_arguments_by_argnum_wrt_and_inferred():
    both = lambda W, b, x: (dW(W, b, x), db(W, b, x))                  # noqa: E731
    assert check_grad(layer_loss, both, W, B, X, argnum=(0, 1))
    by_name = lambda W, b, x: {"W": dW(W, b, x), "b": db(W, b, x)}    # noqa: E731
    assert check_grad(layer_loss, by_name, W, B, X, wrt=("W", "b"))
    assert check_grad(layer_loss, db, W, B, X, wrt="b")
    assert check_grad(layer_loss, db, W, B, X, argnum=1)
    inferred = check_grad(layer_loss, both, W, B, X)                   # a tuple: W and b
    assert [i.name for i in inferred.items] == ["W", "b"] and inferred
    assert "argnum=(0, 1)" in str(inferred)
    wrong_b = check_grad(layer_loss, lambda W, b, x: {"W": dW(W, b, x), "b": -db(W, b, x)}, W, B, X)
    assert [i.status for i in wrong_b.items] == ["pass", "fail"] and kinds(wrong_b) == ["sign"]


def test_structured_argument_is_checked_leaf_by_leaf():
    def loss(params, x):
        return layer_loss(params["W"], params["b"], x)

    def grads(params, x):
        g = hand(params["W"], params["b"], x)
        return {"W": g["W"], "b": g["z"]}              # b: the sum over rows forgotten
    report = check_grad(loss, grads, {"W": W, "b": B}, X)
    assert [(i.name, i.status) for i in report.items] == [("params['W']", "pass"),
                                                           ("params['b']", "fail")]
    assert "broadcast" in kinds(report)


def test_non_float_input():
    with pytest.raises(NotDifferentiableInputError, match="3.0 instead of 3"):
        check_grad(lambda x: x ** 2, lambda x: 2 * x, 3)
    with pytest.raises(NotDifferentiableInputError):
        check_grad(lambda x: np.sum(x ** 2), None, onp.array([1, 2]))
    with pytest.raises(NotDifferentiableInputError):
        check_grad(lambda p: p["a"] * 2.0, None, {"a": 1.0, "n": 3})


def test_float32_input_is_checked_in_float64():
    x = onp.array([0.5, 1.5], dtype=onp.float32)
    report = check_grad(lambda x: np.sum(x ** 2), lambda x: 2 * x, x)
    assert report and "float64" in str(report)


def test_shapes_that_cannot_match():
    with pytest.raises(CheckGradError, match="itself raised ValueError"):
        check_grad(lambda a, b: np.sum(a @ b), lambda a, b: b, onp.ones((2, 3)), onp.ones((2, 3)))
    report = check_grad(lambda x: np.sum(x ** 2), lambda x: onp.ones((4, 4)), onp.ones(3))
    assert not report and report.items[0].error.startswith("shape (4, 4)")


def test_student_function_that_raises():
    def my_grad(x):
        return x @ onp.ones(7)
    report = check_grad(lambda x: np.sum(x ** 2), my_grad, onp.ones(3))
    assert not report and "raised ValueError" in report.items[0].error
    assert "my_grad" in report.items[0].error


def test_bad_function_and_options():
    x = onp.ones(2)
    with pytest.raises(NonScalarOutputError):
        check_grad(lambda x: x ** 2, lambda x: 2 * x, x)
    with pytest.raises(CheckGradError, match="is nan"):
        check_grad(lambda x: np.sum(np.log(x - 2.0)), None, x)
    with pytest.raises(CheckGradError, match="function to check"):
        check_grad(3.0, None, x)
    with pytest.raises(CheckGradError, match="no arguments"):
        check_grad(np.sin, None)
    with pytest.raises(ArgumentError):
        check_grad(lambda x: np.sum(x), None, x, argnum=2)
    with pytest.raises(ArgumentError, match="no argument called"):
        check_grad(lambda x: np.sum(x), None, x, wrt="y")
    with pytest.raises(ArgumentError, match="both"):
        check_grad(lambda x: np.sum(x), None, x, wrt="x", argnum=0)
    with pytest.raises(CheckGradError, match="points"):
        check_grad(lambda x: np.sum(x), None, x, points=0)
