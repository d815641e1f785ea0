"""Custom gradients (checking/custom.py): each maker registered with defvjp, checked on
its own where f used it, first and second order.
"""
import numpy as onp

import teachgrad.numpy as np
from teachgrad import check_grad
from teachgrad.extend import defvjp, defvjp_argnums, primitive

from checking_helpers import RNG, kinds


@primitive
def mul(x, y):
    return x * y


defvjp(mul, lambda ans, x, y: lambda g: g * y, lambda ans, x, y: lambda g: -g * x)  # y: sign


@primitive
def cube(x):
    return x ** 3


defvjp(cube, lambda ans, x: lambda g: g * 3 * x ** 2)


@primitive
def square_detached(x):
    return x * x


defvjp(square_detached, lambda ans, x: lambda g: g * 2.0 * float(x))  # loses the 2nd order


def test_wrong_custom_gradient_names_the_primitive_and_argument():
    x, y = RNG.standard_normal(3), RNG.standard_normal(3)
    report = check_grad(lambda x, y: np.sum(mul(x, y) ** 2), None, x, y)
    assert not report
    status = {i.name: i.status for i in report.items}
    assert status["mul: gradient for x"] == "pass"
    assert status["mul: gradient for y"] == "fail"
    assert report.item("mul: gradient for y").diagnoses[0].kind == "sign"
    assert "custom_gradient" in kinds(report)
    assert report.item("x").passed and not report.item("y").passed


def test_right_custom_gradient_passes_first_and_second_order():
    report = check_grad(lambda x: np.sum(cube(x)), None, onp.array([0.5, -1.0, 2.0]))
    assert report
    assert [i.kind for i in report.items].count("second order") >= 2


def test_second_order_of_an_untraceable_maker_is_caught():
    report = check_grad(lambda x: square_detached(x) * 3.0, None, 0.7)
    assert report.item("x").passed                        # first order is right
    assert not report
    item = report.item("square_detached: gradient for x, differentiated again by x")
    assert item.status == "fail" and "teachgrad.numpy" in item.error
    assert check_grad(lambda x: square_detached(x) * 3.0, None, 0.7, order=1)


def test_student_checked_against_finite_differences_where_a_custom_gradient_is_wrong():
    x = onp.array([0.5, -1.5])

    @primitive
    def bad_cube(x):
        return x ** 3
    defvjp(bad_cube, lambda ans, x: lambda g: g * 3 * x)
    report = check_grad(lambda x: np.sum(bad_cube(x)), lambda x: 3 * x ** 2, x)
    assert report.item("x").passed                       # the student is right
    assert report.item("bad_cube: gradient for x").status == "fail"
    assert "custom gradient" in str(report)


def test_a_maker_for_the_wrong_argument():
    @primitive
    def times(x, k):
        return x * k
    # the maker for x returns g * x, which is the gradient for k
    defvjp(times, lambda ans, x, k: lambda g: g * x, lambda ans, x, k: lambda g: g * x)
    x, k = onp.array([0.3, 2.0]), onp.array([1.5, -0.5])
    report = check_grad(lambda x, k: np.sum(times(x, k) ** 2), None, x, k, order=1)
    item = report.item("times: gradient for x")
    assert item.status == "fail" and [d.kind for d in item.diagnoses] == ["other_argument"]
    assert "for k instead" in item.diagnoses[0].text
    assert report.item("times: gradient for k").passed


def test_a_maker_for_all_arguments_at_once_is_checked_argument_by_argument():
    @primitive
    def swapped(x, y):
        return x * y
    # defvjp_argnums: one maker for every argument; here each gets the other's gradient
    defvjp_argnums(swapped, lambda argnums, ans, args, kwargs:
                   lambda g: [g * args[i] for i in argnums])
    x, y = onp.array([0.3, 2.0]), onp.array([1.5, -0.5])
    report = check_grad(lambda x, y: np.sum(swapped(x, y) ** 2), None, x, y, order=1)
    for mine, other in (("x", "y"), ("y", "x")):
        item = report.item(f"swapped: gradient for {mine}")
        assert item.status == "fail" and kinds(report).count("other_argument") == 2
        assert f"for {other} instead" in item.diagnoses[0].text

    @primitive
    def product(x, y):
        return x * y
    defvjp_argnums(product, lambda argnums, ans, args, kwargs:
                   lambda g: [g * args[1 - i] for i in argnums])
    report = check_grad(lambda x, y: np.sum(product(x, y) ** 2), None, x, y)
    assert report and report.item("product: gradient for y, differentiated again by x").passed


def test_a_rule_registered_with_defgradient_is_checked_and_called_a_rule():
    from teachgrad.extend import defgradient

    @primitive
    def mul_rule(x, y):
        return x * y

    defgradient(mul_rule, lambda g, ans, x, y: g * y, lambda g, ans, x, y: -g * x)   # y: sign
    x, y = RNG.standard_normal(3), RNG.standard_normal(3)
    report = check_grad(lambda x, y: np.sum(mul_rule(x, y) ** 2), None, x, y)
    assert not report
    wrong = report.item("mul_rule: gradient for y")
    assert wrong.status == "fail" and wrong.diagnoses[0].kind == "sign"
    assert report.item("mul_rule: gradient for x").status == "pass"
    text = str(report)
    assert "defgradient rule for argument 1" in text and "your rule" in text
    assert "the rule must return g times" in text and "maker" not in text.split("mul_rule: gradient for y (")[1]
    maker_text = str(check_grad(lambda x, y: np.sum(mul(x, y) ** 2), None, x, y))
    assert "defvjp maker for argument 1" in maker_text and "your maker" in maker_text
