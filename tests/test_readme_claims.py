"""Each claim of README.md's "When something is wrong" section, tested.

Every test quotes the README words it checks (they must still be there) and
fails if teachgrad stops doing what they say.
"""
import math
import pathlib
import re
import warnings

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import (GradientWarning, check_grad, grad, grad_named, make_jvp, make_vjp,
                       show_graph, step_through, trace)
from teachgrad.errors import TeachgradError

README = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## When something is wrong"):README.index("## What numpy it covers")]
FLAT = " ".join(SECTION.split())


def claims(*phrases):
    for phrase in phrases:
        assert " ".join(phrase.split()) in FLAT, f"README no longer says {phrase!r}"


def refused(call, *words, kind=Exception):
    """``call`` raises a three-part explanation containing each of ``words``."""
    with pytest.raises(kind) as e:
        call()
    message = str(e.value)
    assert "\nWhy: " in message and "\nInstead: " in message, message
    for word in words:
        assert word in message, (word, message)
    return message


def test_the_error_shown_is_the_error_printed():
    block = re.search(r"```text\n>>> (.*?)\n(\w+): (.*?)```", SECTION, re.S)
    expression, error_name, text = block.groups()
    with pytest.raises(TeachgradError) as e:
        eval(expression, {"grad": grad, "np": np})
    assert type(e.value).__name__ == error_name
    assert str(e.value) == text.strip()


def test_what_the_function_returns():
    claims("An array of several numbers (above), `None` (\"did you forget return?\"), a string, "
           "a yes/no value, a list or a dict where one number is needed.",
           "An array holding one number, shape `(1,)` or `(1, 1)`, counts as one number")
    refused(lambda: grad(lambda x: None)(1.0), "returned None", "forget return")
    refused(lambda: grad(lambda x: "done")(1.0), "a str")
    refused(lambda: grad(lambda x: x > 0.0)(1.0), "yes/no")
    refused(lambda: grad(lambda x: [x, x])(1.0), "a list")
    refused(lambda: grad(lambda x: {"loss": x})(1.0), "a dict")
    for shape in [(1,), (1, 1)]:
        assert grad(lambda x: np.reshape(x ** 2, shape))(3.0) == 6.0


def test_what_it_is_differentiated_with_respect_to():
    claims("An integer (`1` instead of `1.0`), a bool or a string; `argnum` out of range; "
           "an unknown argument name.")
    refused(lambda: grad(lambda x: x * 2)(1), "1.0 instead of 1")
    refused(lambda: grad(lambda x: x * 2)(True), "float")
    refused(lambda: grad(lambda x: x)("one"), "float argument")
    refused(lambda: grad(lambda x, y: x * y, 2), "argnum=2 is out of range")
    refused(lambda: grad_named(lambda x, y: x * y, "z"), "no argument called 'z'")


def test_changing_arrays_in_place():
    claims("Assignment into an array (`a[i] = x`), in-place methods on traced arrays "
           "(`x.sort()`, `x.fill(0)`), `+=` into a view, and numpy's writing functions "
           "(`out=`, `np.copyto`)",
           "refilling a buffer (`buf[:] = data[i]` in a loop) is refused")
    x = onp.array([3.0, 1.0, 2.0])

    def assign(x):
        a = onp.zeros(3)
        a[0] = x[0]
        return np.sum(a)

    def sort_method(x):
        y = x * 1.0
        y.sort()
        return y[0]

    def fill(x):
        y = x * 1.0
        y.fill(0.0)
        return np.sum(y)

    def add_into_view(x):
        y = x * 1.0
        v = y[:2]
        v += 1.0
        return np.sum(y)

    def out(x):
        return np.sum(np.add(x, x, out=onp.zeros(3)))

    def copyto(x):
        a = onp.zeros(3)
        np.copyto(a, x)
        return np.sum(a)
    for f in (assign, sort_method, fill, add_into_view, out, copyto):
        with pytest.raises(TeachgradError if f is not out else TypeError) as e:
            grad(f)(x)
        assert "\nWhy: " in str(e.value), f.__name__
    data = onp.array([[1.0, 2.0], [3.0, 4.0]])
    buf = onp.zeros(2)

    def refill(w):
        total = 0.0
        for row in data:
            buf[:] = row
            total = total + np.sum(w * buf)
        return total
    refused(lambda: grad(refill)(onp.ones(2)), "changed after the function had used it")
    onp.testing.assert_allclose(grad(lambda x: np.sort(x)[0])(x), [0.0, 1.0, 0.0])


def test_what_teachgrad_cannot_follow():
    claims("A numpy function with no gradient yet (the message shows the `defvjp` that would "
           "add one)", "an option the gradient does not follow, given with a traced value",
           "`np.random.normal(x, 1.0)`: write `x + np.random.normal(size=...)`",
           "plain `math` functions, `float(x)` and `numpy.asarray(x)` on a traced value",
           "are routed to teachgrad's versions and give correct gradients")
    v = onp.array([0.5, 1.5])
    refused(lambda: grad(lambda x: np.sum(np.i0(x)))(v), "defvjp(np.i0")
    refused(lambda: grad(lambda x: np.sum(np.exp(x, order="F")))(v), "does not follow order=")
    refused(lambda: grad(lambda x: np.sum(np.histogram(x, weights=x)[0]))(v))
    refused(lambda: grad(lambda x: np.sum(np.random.normal(x, 1.0)))(v), "np.random")
    refused(lambda: grad(lambda x: math.sin(x))(1.0), "math.sin")
    refused(lambda: grad(lambda x: float(x) * 2)(1.0), "float()")
    refused(lambda: grad(lambda x: onp.sum(onp.asarray(x)))(v))
    assert grad(lambda x: onp.sin(x) * 2.0)(1.0) == pytest.approx(2 * math.cos(1.0), rel=1e-15)


def test_shapes_that_do_not_fit():
    claims("A vector given to `vjp`, a tangent given to `jvp`, or a `seed=` whose structure "
           "or shape differs from the output's (or the input's).")
    vjp, _ = make_vjp(lambda x: x * 2.0)(onp.ones(3))
    refused(lambda: vjp(onp.ones(2)), "shape (3,)", "shape (2,)")
    refused(lambda: make_jvp(lambda x: x * 2.0)(onp.ones(3))(onp.ones(2)))
    refused(lambda: make_jvp(lambda d: d["a"] * d["b"])({"a": 1.0, "b": 2.0})({"a": 1.0}))
    refused(lambda: trace(lambda x: x * 2.0, onp.ones(3), seed=onp.ones(2)), "seed=")


def test_ambiguous_keywords():
    claims("A keyword that is both an option of `trace`, `show_graph`, `step_through` or "
           "`check_grad` and a parameter of your function: pass the function's keywords as "
           "`kwargs={...}`.")

    def f(x, seed=1.0):
        return x * seed
    for entry in (lambda: trace(f, 2.0, seed=5.0), lambda: show_graph(f, 2.0, seed=5.0),
                  lambda: step_through(f, 2.0, seed=5.0),
                  lambda: check_grad(f, None, 2.0, seed=5)):
        refused(entry, "kwargs={'seed'")
    assert trace(f, 2.0, kwargs={"seed": 5.0}).result == 10.0


def test_a_traced_value_kept():
    claims("**A traced value kept** after its `grad` call returned.")
    kept = []
    grad(lambda x: kept.append(x) or x * 2.0)(1.0)
    refused(lambda: kept[0] * 3.0, "already returned")


def test_an_output_that_does_not_depend_on_the_input():
    claims("it gives a `GradientWarning` and a zero gradient of the right shape.")
    with pytest.warns(GradientWarning):
        g = grad(lambda x: 3.0)(onp.ones((2, 3)))
    assert g.shape == (2, 3) and not g.any()


def test_the_remaining_pitfall_is_as_described():
    claims("`b = a; a += x` inside a differentiated function makes a new `a` and leaves `b` "
           "as it was, where numpy would change both.")

    def f(x):
        a = x * 1.0
        b = a
        a += x
        return np.sum(b)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        onp.testing.assert_array_equal(grad(f)(onp.ones(2)), [1.0, 1.0])   # b is still x
