"""teachgrad.costs.cost: forward against reverse mode, counted on the student's function.

Every count below is worked out by hand from the function: k primitives in a chain
record k nodes; a backward pass applies one gradient rule per node it reaches; a
forward pass evaluates every primitive and applies one tangent rule per node that
depends on an input.
"""
import warnings
from collections import namedtuple

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import jacobian, trace
from teachgrad.costs import Cost, CostError, ModesDisagreeError, cost
from teachgrad.errors import NonScalarOutputError, NotDifferentiableInputError, TeachgradError
from teachgrad.extend import defjvp, defvjp, primitive


def chain(x, k):
    for _ in range(k):
        x = np.sin(x)
    return x


@pytest.mark.parametrize("k", [1, 3, 10])
def test_a_scalar_chain_of_k_operations(k):
    c = cost(chain, 0.3, k, wrt=0)
    assert (c.inputs, c.outputs, c.operations) == (1, 1, k)
    assert (c.reverse.passes, c.reverse.evaluations, c.reverse.rules) == (1, k, k)
    assert (c.forward.passes, c.forward.evaluations, c.forward.rules) == (1, k, k)
    assert c.reverse.work == c.forward.work == 2 * k
    assert c.cheaper is None and c.ratio == 1.0
    # d/dx of sin applied k times, by the chain rule
    expected, value = 1.0, 0.3
    for _ in range(k):
        expected *= onp.cos(value)
        value = onp.sin(value)
    assert c.jacobian_shape == ()
    assert float(c.jacobian) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("n", [1, 10, 100])
def test_many_inputs_one_output(n):
    c = cost(lambda x: np.sum(np.tanh(x * 2.0)), onp.linspace(-1.0, 1.0, n))
    assert (c.inputs, c.outputs, c.operations) == (n, 1, 3)        # multiply, tanh, sum
    assert (c.reverse.passes, c.reverse.passes_run) == (1, 1)
    assert (c.reverse.evaluations, c.reverse.rules) == (3, 3)
    assert (c.forward.passes, c.forward.passes_run) == (n, n)
    assert (c.forward.evaluations, c.forward.rules) == (3 * n, 3 * n)
    assert (c.forward.evaluations_per_pass, c.forward.rules_per_pass) == (3, 3)
    assert c.ratio == pytest.approx(n)
    assert c.cheaper == ("reverse" if n > 1 else None)
    x = onp.linspace(-1.0, 1.0, n)
    assert c.jacobian_shape == (n,)
    onp.testing.assert_allclose(c.jacobian, 2.0 / onp.cosh(2.0 * x) ** 2, rtol=1e-12)


@pytest.mark.parametrize("m", [1, 5, 40])
def test_one_input_many_outputs(m):
    c = cost(lambda x: np.sin(x * onp.arange(1.0, m + 1.0)), 0.5)
    assert (c.inputs, c.outputs, c.operations) == (1, m, 2)
    assert (c.reverse.passes, c.reverse.evaluations, c.reverse.rules) == (m, 2, 2 * m)
    assert (c.forward.passes, c.forward.evaluations, c.forward.rules) == (1, 2, 2)
    assert c.reverse.work == 2 + 2 * m and c.forward.work == 4
    if m > 1:
        assert c.cheaper == "forward"
    t = onp.arange(1.0, m + 1.0)
    assert c.jacobian_shape == (m,)
    onp.testing.assert_allclose(c.jacobian, t * onp.cos(0.5 * t), rtol=1e-12)


def test_the_jacobian_is_the_one_jacobian_computes():
    f = lambda x: np.tanh(np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]) @ x) * x[0]  # noqa: E731
    x = onp.array([0.1, -0.4, 0.7])
    c = cost(f, x)
    assert c.jacobian_shape == (2, 3)
    onp.testing.assert_allclose(c.jacobian, jacobian(f)(x), rtol=1e-12)


def test_container_inputs_count_every_entry():
    def net(params, x):
        return np.tanh(params['W'] @ x + params['b'])
    params = {'W': onp.arange(6.0).reshape(3, 2) / 10, 'b': onp.array([0.1, 0.2, 0.3])}
    x = onp.array([1.0, -2.0])
    c = cost(net, params, x, wrt='params')
    assert (c.inputs, c.outputs, c.operations) == (9, 3, 3)       # matmul, add, tanh
    assert (c.reverse.passes, c.reverse.rules) == (3, 9)
    assert (c.forward.passes, c.forward.evaluations, c.forward.rules) == (9, 27, 27)
    assert c.jacobian_shape == (3, 9)          # entries of W (row by row), then of b
    W, b = params['W'], params['b']
    slope = 1 - onp.tanh(W @ x + b) ** 2
    expected = onp.zeros((3, 9))
    for i in range(3):
        expected[i, 2 * i:2 * i + 2] = slope[i] * x
        expected[i, 6 + i] = slope[i]
    onp.testing.assert_allclose(c.jacobian, expected, rtol=1e-12)
    assert "params: {'W': (3, 2), 'b': (3,)}" in str(c)
    mixed = cost(lambda p: [p['w'], 2.0 * p['b']], {'w': 1.5, 'b': onp.ones(3)})
    assert "(input p: {'w': number, 'b': (3,)}; output [number, (3,)])" in str(mixed)
    assert mixed.jacobian_shape == (4, 4)
    onp.testing.assert_allclose(mixed.jacobian, onp.diag([1.0, 2.0, 2.0, 2.0]))
    # by default, every argument holding floats: x too
    assert cost(net, params, x).inputs == 11


def test_lists_tuples_namedtuples_and_several_arguments():
    Pair = namedtuple("Pair", "a b")

    def f(p, q, scale):
        return (p.a * q[0], p.b + q[1][1]) if scale else None
    with pytest.warns(UserWarning, match=r"does not depend on q\[1\]\[0\], so"):
        c = cost(f, Pair(2.0, 3.0), [4.0, (5.0, 6.0)], 1)
    assert (c.inputs, c.outputs, c.operations) == (5, 2, 2)
    assert c.jacobian_shape == (2, 5)
    onp.testing.assert_allclose(c.jacobian, [[4.0, 0, 2.0, 0, 0], [0, 1.0, 0, 0, 1.0]])
    with pytest.warns(UserWarning, match=r"q\[1\]\[0\]"):
        by_position = cost(f, Pair(2.0, 3.0), [4.0, (5.0, 6.0)], 1, wrt=[1])
    assert by_position.inputs == 3
    onp.testing.assert_allclose(by_position.jacobian, [[2.0, 0, 0], [0, 0, 1.0]])


def test_keyword_arguments_defaults_and_varargs():
    def f(x, *rest, y=2.0):
        return x * y + sum(rest)
    c = cost(f, 1.0, 3.0, 4.0, wrt=[0, 1, 'y'], y=5.0)
    assert c.inputs == 3
    onp.testing.assert_allclose(c.jacobian, [[5.0, 1.0, 1.0]])
    assert cost(f, 1.0, wrt='y').jacobian == 1.0     # at its default (one number: shape ())
    with pytest.raises(CostError, match="wrt='z' does not name an argument"):
        cost(f, 1.0, wrt='z')


def test_counts_are_read_from_the_passes_not_from_a_formula():
    """A value computed and thrown away is still evaluated (and carries a tangent) in every
    forward pass, but the backward pass never reaches it."""
    def f(x):
        np.cos(x)                      # evaluated, not used
        np.exp(2.0)                    # a constant: evaluated by numpy, never recorded
        return np.sin(x)
    c = cost(f, 0.4)
    assert c.operations == 2
    assert (c.reverse.evaluations, c.reverse.rules) == (2, 1)
    assert (c.forward.evaluations, c.forward.rules) == (2, 2)


def test_gradient_rules_agree_with_the_engines_backward_steps():
    def f(x):
        h = np.tanh(x * 2.0) + x
        return np.sum(h * h)
    x = onp.array([0.1, 0.2])
    c = cost(f, x)
    g = trace(f, x)
    assert c.operations == sum(1 for node in g.nodes if node.fun is not None)
    assert c.reverse.rules == sum(1 for step in g.steps if step.node.fun is not None)


def test_counts_match_the_rules_the_engine_really_calls():
    """Primitives whose rules count their own calls: what cost reports is what ran."""
    calls = {"gradient": 0, "tangent": 0, "evaluations": 0}

    @primitive
    def scale(x, factor):
        calls["evaluations"] += 1
        return x * factor

    def gradient(ans, x, factor):
        def apply(g):                     # counted when applied: a maker may be reused across passes
            calls["gradient"] += 1
            return g * factor
        return apply

    def tangent(g, ans, x, factor):
        calls["tangent"] += 1
        return g * factor
    defvjp(scale, gradient)
    defjvp(scale, tangent)

    def f(x):
        scale(x, 5.0)                      # thrown away: evaluated, never reached backward
        return scale(scale(x, 2.0), 3.0)
    c = cost(f, onp.array([0.5, -1.0, 2.0]))
    assert (c.inputs, c.outputs, c.operations) == (3, 3, 3)
    # the recording and 3 forward passes each evaluate the 3 scale nodes
    assert calls["evaluations"] == c.operations + c.forward.evaluations == 4 * 3
    # each forward pass applies the tangent rule of all 3
    assert calls["tangent"] == c.forward.rules == 3 * 3
    # the 3 backward passes of make_vjp, and the one cost runs to count, reach 2 scale nodes
    assert calls["gradient"] == c.reverse.rules + c.reverse.rules_per_pass == (3 + 1) * 2
    onp.testing.assert_allclose(c.jacobian, 6.0 * onp.eye(3))


def test_every_backward_pass_reaches_what_the_counting_pass_reached():
    def f(x):
        y = np.sin(x)
        return np.stack([y[0] * 2.0, np.exp(x[1])])
    x = onp.array([0.3, 0.7])
    c = cost(f, x)
    for seed in (onp.array([1.0, 0.0]), onp.array([0.0, 1.0])):
        steps = trace(f, x, seed=seed).steps
        assert sum(1 for step in steps if step.node.fun is not None) == c.reverse.rules_per_pass


def test_forward_tangent_rules_skip_nodes_computed_from_constants_only():
    def f(x):
        c = np.cos(onp.array([1.0, 2.0]))      # recorded? no: no traced argument
        return np.sum(np.sin(x) * c) + np.sum(np.exp(x))
    c = cost(f, onp.array([0.3, 0.6]))
    assert c.operations == 6          # sin, multiply, sum, exp, sum, add
    assert c.forward.rules_per_pass == 6


def test_an_output_that_does_not_depend_on_an_input_warns_once_in_the_students_names():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = cost(lambda x, y: np.sin(x) * 2.0, 1.0, onp.ones(3))
    messages = [str(w.message) for w in caught]
    assert messages == ["The output of f does not depend on y, so its derivatives there are "
                        "zero (and no backward pass reaches it)."]
    assert c.jacobian.tolist() == [[2.0 * onp.cos(1.0), 0.0, 0.0, 0.0]]


def test_a_constant_output_costs_nothing_backward():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = cost(lambda x: onp.ones(3), 1.0)
    assert (c.outputs, c.operations, c.reverse.rules, c.forward.rules) == (3, 0, 0, 0)
    assert c.jacobian.tolist() == [0.0, 0.0, 0.0]


def test_wrong_gradient_rule_is_reported_never_hidden():
    @primitive
    def cube(x):
        return x ** 3
    defvjp(cube, lambda ans, x: lambda g: g * 2 * x ** 2)        # wrong: 3 x^2
    defjvp(cube, lambda g, ans, x: g * 3 * x ** 2)
    with pytest.raises(ModesDisagreeError) as error:
        cost(lambda x: np.sum(cube(x)), onp.array([1.0, 2.0]))
    message = str(error.value)
    assert "d output / d x[1] is 12.0 in forward mode and 8.0 in reverse mode" in message
    assert "(2 of the columns compared differ)" in message
    assert "defvjp" in message and "check_grad" in message
    assert isinstance(error.value, AssertionError) and isinstance(error.value, TeachgradError)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")      # log(0), 0 / 0: expected here
def test_a_nan_on_one_side_is_a_disagreement_explained():
    @primitive
    def ident(x):
        return x
    defvjp(ident, lambda ans, x: lambda g: g * onp.nan)
    defjvp(ident, lambda g, ans, x: g)
    with pytest.raises(ModesDisagreeError, match=r"d output\[0\] / d x\[0\] is 1.0 in forward "
                       r"mode and nan in reverse mode") as error:
        cost(lambda x: ident(x), onp.array([1.0, 2.0]))
    assert "not a finite number" in str(error.value) and "Or a rule returns nan" in str(error.value)
    # x log x at 0: the local derivative of log is infinite; forward mode multiplies it by
    # the zero tangent of x[0] along x[1] (0 x inf = nan), reverse mode does not
    with pytest.raises(ModesDisagreeError) as error:
        cost(lambda x: np.sum(x * np.log(x)), onp.array([0.0, 1.0]))
    message = str(error.value)
    assert "d output / d x[1] is nan in forward mode and 1.0 in reverse mode" in message
    assert "not differentiable at this point" in message and "x > 0 for log" in message
    assert cost(lambda x: np.sum(x * np.log(x)), onp.array([0.5, 1.0])).jacobian == \
        pytest.approx(onp.log([0.5, 1.0]) + 1.0, rel=1e-12)


def test_too_many_passes_are_refused_with_the_way_out():
    with pytest.raises(CostError) as error:
        cost(lambda x: np.sum(x ** 2), onp.ones(10_001))
    message = str(error.value)
    assert "10,001 input entries, so forward mode would need 10,001 passes" in message
    assert "max_passes=10,000" in message and "sample=100" in message
    with pytest.raises(CostError, match="so reverse mode would need 12 passes"):
        cost(lambda x: x * onp.ones(12), 1.0, max_passes=10)
    with pytest.raises(CostError, match="max_passes= must be a whole number"):
        cost(lambda x: x, 1.0, max_passes=0)
    with pytest.raises(CostError, match="sample= must be a whole number"):
        cost(lambda x: x, 1.0, sample=2.5)


def test_a_sample_runs_fewer_passes_and_says_so():
    x = onp.linspace(0.0, 1.0, 50)
    c = cost(lambda x: np.sum(np.sin(x)), x, max_passes=10, sample=5)
    assert (c.forward.passes, c.forward.passes_run) == (50, 5)
    assert (c.forward.evaluations, c.forward.rules) == (100, 100)     # 2 per pass, scaled up
    assert (c.reverse.passes, c.reverse.passes_run) == (1, 1)
    assert c.jacobian is None and c.forward.sampled and not c.reverse.sampled
    text = str(c)
    assert "~200 operations" in text
    assert "Forward mode ran 5 of its 50 passes (spread evenly)" in text
    assert "Both modes agree on every Jacobian entry they both computed." in text


def test_a_sample_of_backward_passes():
    c = cost(lambda x: np.sin(x * onp.arange(1.0, 51.0)), 0.5, max_passes=10, sample=5)
    assert (c.reverse.passes, c.reverse.passes_run) == (50, 5)
    assert (c.reverse.evaluations, c.reverse.rules) == (2, 100)     # 2 rules per pass, scaled
    assert (c.forward.passes, c.forward.passes_run) == (1, 1)
    assert c.reverse.sampled and c.jacobian is None
    assert "Reverse mode ran 5 of its 50 passes" in str(c)


def test_a_jacobian_too_big_to_keep_is_refused():
    with pytest.raises(CostError, match="has 3,200 x 3,200 = 10,240,000 entries"):
        cost(lambda x: x * 2.0, onp.ones(3200))


def test_a_sample_still_catches_a_disagreement():
    @primitive
    def double(x):
        return 2.0 * x
    defvjp(double, lambda ans, x: lambda g: 3.0 * g)
    defjvp(double, lambda g, ans, x: 2.0 * g)
    with pytest.raises(ModesDisagreeError):
        cost(lambda x: double(x), onp.ones(30), sample=4)


def test_non_float_inputs_are_explained():
    with pytest.raises(NotDifferentiableInputError) as error:
        cost(lambda x: x * 2.0, 3, wrt=0)
    assert "Cannot differentiate with respect to x: it is int (3)" in str(error.value)
    assert "write 3.0 instead of 3" in str(error.value)          # their own number, made a float
    with pytest.raises(NotDifferentiableInputError, match=r"params\['n'\]"):
        cost(lambda params: params['w'] * 2.0, {'w': 1.0, 'n': 3})
    with pytest.raises(CostError, match="None of the arguments of f holds floats"):
        cost(lambda x, k: x * k, 3, 2)
    with pytest.raises(CostError, match="x is complex"):
        cost(lambda x: x * 2.0, 1.0 + 2.0j)
    with pytest.raises(CostError, match=r"(?s)needs a function .* not cost\(f\(x\)\)"):
        cost(3.0, 1.0)
    with pytest.raises(CostError, match="hold no numbers"):
        cost(lambda x: np.sum(x), onp.zeros(0))


def test_outputs_without_derivatives_are_explained():
    with pytest.raises(NonScalarOutputError) as error:
        cost(lambda x: "done", 1.0)
    assert "cost needs f to return numbers or arrays, but it returned a str ('done')" \
        in str(error.value)
    assert "Instead:" in str(error.value)

    def forgot(x):
        np.sin(x)
    with pytest.raises(NonScalarOutputError, match="returned None. Did you forget return"):
        cost(forgot, 1.0)
    with pytest.raises(NonScalarOutputError, match="yes/no value"):
        cost(lambda x: x > 0.0, 1.0)
    with pytest.raises(NonScalarOutputError, match="returned a complex one"):
        cost(lambda x: x * 1j, 1.0)


def test_keywords_of_the_function_and_options_stay_apart():
    def f(x, sample=2.0):
        return x * sample
    assert cost(f, 1.0, kwargs={'sample': 3.0}).jacobian.tolist() == [[3.0, 1.0]]
    assert cost(f, 1.0, wrt=0, kwargs={'sample': 3.0}).jacobian == pytest.approx(3.0)
    with pytest.raises(TeachgradError, match="both an option of cost and a parameter of f"):
        cost(f, 1.0, sample=3.0)


def test_the_text_a_student_reads():
    c = cost(lambda x: np.sum(np.tanh(x * 2.0)), onp.ones(1000))
    lines = str(c).splitlines()
    assert lines[0] == "f: R^1,000 -> R   (input x: shape (1000,); output a number)"
    assert lines[1].startswith("reverse mode: 1 forward recording (3 ops) + 1 backward pass x "
                               "3 gradient rules =     6 operations")
    assert lines[2].startswith("forward mode: 1,000 passes x (3 ops + 3 tangent rules)")
    assert "= 6,000 operations" in lines[2]
    assert lines[1].index("=") == lines[2].index("=")          # aligned
    assert lines[1].endswith(" ms") or lines[1].endswith(" s")
    assert lines[3] == ("Reverse mode is 1,000x less work here: it needs one backward pass "
                        "per output (1), forward mode one pass per input (1,000).")
    assert lines[4] == "Both modes give the same Jacobian, shape (1000,)."
    assert repr(c) == str(c)

    def chain3(x):
        return np.sin(np.sin(np.sin(x)))
    text = str(cost(chain3, 0.5)).splitlines()
    assert text[0] == "chain3: R -> R   (input x: a number; output a number)"
    assert "1 backward pass x 3 gradient rules" in text[1]
    assert "forward mode: 1 pass x (3 ops + 3 tangent rules)" in text[2]
    assert text[3] == ("Both modes do about the same work here: reverse mode needs one backward "
                       "pass per output (1), forward mode one pass per input (1).")
    wide = str(cost(lambda x: np.sin(x * onp.arange(1.0, 6.0)), 0.5)).splitlines()
    assert "5 backward passes x 2 gradient rules" in wide[1]
    assert wide[3].startswith("Forward mode is 3.0x less work here: it needs one pass per "
                              "input (1), reverse mode one backward pass per output (5).")


def test_the_notebook_table():
    c = cost(lambda x, name: np.sum(x * 2.0), onp.ones(4), "<b>")
    page = c._repr_html_()
    assert page.startswith("<div class='teachgrad-cost'><table><caption>f: R<sup>4</sup> &rarr; R")
    assert page.count("<tr>") == 3
    number = "<td style='text-align:right'>"
    assert ("<td>reverse</td><td>1 recording + 1 backward</td>" + number + "2</td>" + number +
            "2 gradient rules</td>" + number + "4</td>") in page
    assert ("<td>forward</td><td>4</td>" + number + "8</td>" + number + "8 tangent rules</td>" +
            number + "16</td>") in page
    assert "<b>" not in page                   # the string argument is not an input

    def loss(x):
        return np.sum(x)
    loss.__name__ = "loss<b>"
    assert "<caption>loss&lt;b&gt;: R<sup>2</sup>" in cost(loss, onp.ones(2))._repr_html_()
    assert "Reverse mode is 4.0x less work here" in page
    assert isinstance(c, Cost)
