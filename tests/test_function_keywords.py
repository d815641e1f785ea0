"""trace, show_graph, step_through and check_grad never take a function's keyword for an option."""
import numpy as realnp
import pytest

import teachgrad.numpy as np
from teachgrad import check_grad, show_graph, step_through, trace
from teachgrad.errors import ArgumentError


def f(x, seed=1.0):
    return x ** 2 * seed


ENTRIES = {
    "trace": lambda *a, **k: trace(f, *a, **k),
    "show_graph": lambda *a, **k: show_graph(f, *a, display=False, **k),
    "step_through": lambda *a, **k: step_through(f, *a, **k),
    "check_grad": lambda *a, **k: check_grad(f, None, *a, **k),
}


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_a_keyword_that_is_both_an_option_and_a_parameter_is_refused(entry):
    with pytest.raises(ArgumentError) as e:
        ENTRIES[entry](2.0, seed=5.0)
    msg = str(e.value)
    assert f"{entry} got seed=" in msg and "parameter of f" in msg
    assert "kwargs={'seed': 5.0}" in msg and "\nWhy: " in msg and "\nInstead: " in msg


def test_kwargs_passes_the_function_its_own_keyword():
    g = trace(f, 2.0, kwargs={"seed": 5.0})
    assert g.result == 20.0
    assert float(g["x"].grad) == 20.0 and float(g["seed"].grad) == 4.0
    picture = show_graph(f, 2.0, kwargs={"seed": 5.0}, display=False)
    assert float(picture.graph["x"].grad) == 20.0
    stepper = step_through(f, 2.0, kwargs={"seed": 5.0})
    assert float(stepper.graph["x"].grad) == 20.0


def test_with_kwargs_given_a_keyword_is_the_option():
    g = trace(f, 2.0, seed=3.0, kwargs={})          # trace's seed: the upstream gradient
    assert g.result == 4.0
    assert float(g["x"].grad) == 12.0


def test_with_kwargs_given_an_unknown_keyword_is_refused():
    with pytest.raises(ArgumentError, match="has no option 'colour'"):
        trace(f, 2.0, colour="red", kwargs={})
    with pytest.raises(ArgumentError, match="needs a dict"):
        trace(f, 2.0, kwargs=[("seed", 1.0)])


def test_loose_keywords_still_reach_the_function_when_nothing_clashes():
    def h(x, y=1.0):
        return x * y
    assert trace(h, 2.0, y=3.0).result == 6.0
    assert show_graph(h, 2.0, y=3.0, display=False).graph.result == 6.0


def test_check_grad_passes_keywords_to_the_function_and_the_students_gradient():
    def h(x, scale=1.0):
        return np.sum(np.sin(x) * scale)
    x = realnp.array([0.1, 0.2])
    right = lambda x, scale=1.0: np.cos(x) * scale
    forgot_scale = lambda x, scale=1.0: np.cos(x)
    assert check_grad(h, right, x, scale=3.0).passed
    assert not check_grad(h, forgot_scale, x, scale=3.0).passed
    assert check_grad(f, lambda x, seed=1.0: 2 * x * seed, 2.0, kwargs={"seed": 5.0}).passed
    assert not check_grad(f, lambda x, seed=1.0: 2 * x, 2.0, kwargs={"seed": 5.0}).passed


def test_internal_callers_do_not_trip_over_option_names():
    def g(x, wrt=2.0, graph=3.0):                  # parameters named like trace's options
        return x * wrt * graph
    assert check_grad(g, None, 1.5).passed
    assert check_grad(g, lambda x, wrt=2.0, graph=3.0: wrt * graph, 1.5).passed
