"""numeric_grad (checking/numeric.py): finite differences, and the lesson of the step size."""
import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import numeric_grad
from teachgrad.checking import CheckGradError
from teachgrad.errors import NonScalarOutputError, NotDifferentiableInputError


def test_numeric_grad_central_forward_backward():
    x = onp.array([0.3, -1.2, 2.0])
    f = lambda x: np.sum(np.sin(x) * x)                       # noqa: E731
    exact = onp.cos(x) * x + onp.sin(x)
    onp.testing.assert_allclose(numeric_grad(f, x), exact, rtol=1e-8)
    onp.testing.assert_allclose(numeric_grad(f, x, eps=1e-7, method="forward"), exact, rtol=1e-5)
    onp.testing.assert_allclose(numeric_grad(f, x, eps=1e-7, method="backward"), exact, rtol=1e-5)
    assert type(numeric_grad(np.sin, 0.5)) is float           # the kind of the argument


def test_numeric_grad_several_arguments_and_containers():
    f = lambda p, y: np.sum(p["W"] ** 2) * y + p["b"]         # noqa: E731
    p = {"W": onp.array([1.0, 2.0]), "b": 0.5}
    gp, gy = numeric_grad(f, p, 3.0, argnum=(0, 1))
    onp.testing.assert_allclose(gp["W"], [6.0, 12.0], rtol=1e-7)
    assert gp["b"] == pytest.approx(1.0, rel=1e-7)
    assert gy == pytest.approx(5.0, rel=1e-7)


def test_numeric_grad_error_against_step_size_is_the_lesson():
    exact = onp.cos(1.0)
    err = {m: [abs(numeric_grad(np.sin, 1.0, eps=e, method=m) - exact) for e in (1e-1, 1e-2, 1e-3)]
           for m in ("forward", "central")}
    # forward: error ~ eps (10x smaller per step); central: ~ eps**2 (100x)
    assert 8 < err["forward"][0] / err["forward"][1] < 12
    assert 80 < err["central"][0] / err["central"][1] < 120
    # a step far too small is worse again: rounding noise divided by eps
    tiny = abs(numeric_grad(np.sin, 1.0, eps=1e-13, method="forward") - exact)
    assert tiny > err["forward"][2] / 100


def test_numeric_grad_bad_input():
    with pytest.raises(CheckGradError, match="method"):
        numeric_grad(np.sin, 1.0, method="sideways")
    with pytest.raises(CheckGradError, match="eps"):
        numeric_grad(np.sin, 1.0, eps=0)
    with pytest.raises(NotDifferentiableInputError):
        numeric_grad(np.sin, 1)
    with pytest.raises(CheckGradError, match="argnum"):
        numeric_grad(np.sin, 1.0, argnum=1)
    with pytest.raises(NonScalarOutputError):
        numeric_grad(np.sin, onp.array([1.0, 2.0]))


def test_the_checker_differentiates_exactly_what_grad_does():
    """One definition of a differentiable leaf: a float subclass grad refuses is refused here too."""
    from teachgrad import grad
    from teachgrad.checking.numeric import is_float_leaf

    class Celsius(float):
        pass

    for value in [1.0, onp.float32(2.0), 1j, onp.ones(2), onp.ones(2, complex)]:
        assert is_float_leaf(value)
    for value in [1, True, onp.ones(2, int), "1.0", Celsius(3.0)]:
        assert not is_float_leaf(value)
    with pytest.raises(NotDifferentiableInputError):
        grad(lambda t: t * 2.0)(Celsius(3.0))
    with pytest.raises(NotDifferentiableInputError):
        numeric_grad(lambda t: t * 2.0, Celsius(3.0))


def test_an_argument_inside_star_args_has_the_same_name_everywhere():
    f = lambda x, *rest: x * rest[0]                        # noqa: E731
    from teachgrad import check_grad
    for run in (lambda: numeric_grad(f, 1.0, 2, argnum=1),
                lambda: check_grad(f, None, 1.0, 2, argnum=1)):
        with pytest.raises(NotDifferentiableInputError, match=r"respect to rest\[0\]: it is int"):
            run()
