"""The engine's fast paths give exactly what its general paths give (issue 15).

Each fast path is an optimisation only: same values bit for bit, same nodes
recorded, same errors. These tests compare each one with the general path it
shortcuts, including under an outer trace (grad of jacobian) and in pictures.
"""
import numpy as onp
import pytest

import teachgrad.numpy as np
import teachgrad.reverse as reverse
from teachgrad import grad, hessian, jacobian, make_vjp, trace
from teachgrad.backprop import backward
from teachgrad.extend import defvjp, defvjp_argnums, primitive


def _exactly_equal(a, b):
    assert type(a) is type(b)
    onp.testing.assert_array_equal(a, b)
    assert onp.asarray(a).dtype == onp.asarray(b).dtype


def _f(x):
    A = onp.arange(12.0).reshape(4, 3) / 7.0
    y = np.tanh(A @ x) * 2.0 + np.sum(x ** 3) - x[0] / (1.0 + x[1] ** 2)
    return np.concatenate([y, np.exp(x) * np.sin(x)])


X = onp.array([0.3, -1.2, 0.7])


# --------------------------------------------------------------------------
# 1. make_vjp's vjp makes each node's local derivatives once, across passes
# --------------------------------------------------------------------------


def _jacobian_and_hessian():
    return jacobian(_f)(X), hessian(lambda x: np.sum(_f(x) ** 2))(X)


def test_reused_local_derivatives_give_the_same_jacobian_and_hessian_bit_for_bit(monkeypatch):
    fast = _jacobian_and_hessian()
    monkeypatch.setattr(reverse, "anything_recording", lambda: True)
    general = _jacobian_and_hessian()
    for a, b in zip(fast, general):
        _exactly_equal(a, b)


def test_each_pass_of_a_vjp_gives_what_a_fresh_backward_pass_gives():
    vjp, value = make_vjp(_f)(X)
    graph = trace(_f, X)      # the same computation, walked with chain_rule each time
    for k in range(value.shape[0]):
        v = onp.zeros_like(value)
        v[k] = 1.5
        steps = list(backward(graph, graph.output, v))
        _exactly_equal(vjp(v), steps[-1].upstream)
    _exactly_equal(vjp(onp.ones_like(value)), list(backward(graph, graph.output,
                                                            onp.ones_like(value)))[-1].upstream)


def test_a_maker_runs_once_per_node_when_nothing_records_and_on_every_pass_when_a_trace_does():
    calls = []

    @primitive
    def cube(x):
        return x ** 3

    defvjp(cube, lambda ans, x: calls.append(1) or (lambda g: g * 3.0 * x ** 2))
    f = lambda x: cube(x) * np.array([1.0, 2.0, 3.0])   # noqa: E731
    jacobian(f)(2.0)
    assert len(calls) == 1
    calls.clear()
    # Under an outer trace the rule's own operations must be recorded on each pass.
    grad(lambda x: np.sum(jacobian(f)(x)))(2.0)
    assert len(calls) >= 3



def _recorded(fun, x):
    graph = trace(fun, x)
    return [(n.op, tuple(a for a, _ in n.parents), tuple(p.id for _, p in n.parents))
            for n in graph.nodes], [n.value for n in graph.nodes], graph


def test_a_trace_around_a_jacobian_records_the_same_nodes_with_and_without_reuse(monkeypatch):
    outer = lambda x: np.sum(jacobian(_f)(x) ** 2)     # noqa: E731
    fast_ops, fast_values, fast_graph = _recorded(outer, X)
    monkeypatch.setattr(reverse, "anything_recording", lambda: True)
    general_ops, general_values, general_graph = _recorded(outer, X)
    assert fast_ops == general_ops
    for a, b in zip(fast_values, general_values):
        _exactly_equal(a, b)
    for a, b in zip(fast_graph.nodes, general_graph.nodes):
        assert a.has_grad == b.has_grad
        if a.has_grad:
            _exactly_equal(a.grad, b.grad)


def test_pullback_gives_what_chain_rule_gives():
    ans, args = np.multiply.fun(2.0, 3.0), (2.0, 3.0)
    pull = np.multiply.pullback([0, 1], ans, args, None)
    for g in (1.0, -2.5, onp.float64(0.25)):
        assert pull(g) == np.multiply.chain_rule(g, [0, 1], ans, args, None)
    x = onp.arange(6.0).reshape(2, 3)
    pull = np.sum.pullback([0], np.sum.fun(x, axis=1), (x,), {"axis": 1})
    g = onp.array([1.0, 2.0])
    _exactly_equal(pull(g)[0], np.sum.chain_rule(g, [0], np.sum.fun(x, axis=1), (x,),
                                                 {"axis": 1})[0])


def test_pullback_of_a_primitive_registered_for_all_arguments_at_once():
    @primitive
    def both(x, y):
        return x * y

    defvjp_argnums(both, lambda argnums, ans, args, kwargs:
                   lambda g: tuple(g * args[1 - i] for i in argnums))
    assert both.pullback([0, 1], 6.0, (2.0, 3.0), None)(1.0) == [3.0, 2.0]
    assert both.chain_rule(1.0, [0, 1], 6.0, (2.0, 3.0), None) == [3.0, 2.0]
    _exactly_equal(jacobian(lambda v: both(v, v * 2.0))(onp.array([1.0, 2.0])),
                   onp.array([[4.0, 0.0], [0.0, 8.0]]))

    @primitive
    def short(x, y):
        return x * y

    defvjp_argnums(short, lambda argnums, ans, args, kwargs: lambda g: (g,))
    with pytest.raises(TypeError, match="returned 1 gradient"):
        short.pullback([0, 1], 6.0, (2.0, 3.0), None)(1.0)
    with pytest.raises(TypeError, match="returned 1 gradient"):
        make_vjp(lambda x: short(x, x))(2.0)[0](1.0)


def test_pullback_refuses_a_missing_gradient_as_chain_rule_does():
    @primitive
    def first_only(x, y):
        return x * y

    defvjp(first_only, lambda ans, x, y: lambda g: g * y)
    from teachgrad.errors import NoGradientError
    with pytest.raises(NoGradientError) as general:
        first_only.chain_rule(1.0, [1], 6.0, (2.0, 3.0), None)
    with pytest.raises(NoGradientError) as fast:
        first_only.pullback([1], 6.0, (2.0, 3.0), None)
    assert str(fast.value) == str(general.value)
    vjp, _ = make_vjp(lambda y: first_only(2.0, y))(3.0)
    for _ in range(2):    # a failed first pass leaves nothing half-made for the next
        with pytest.raises(NoGradientError):
            vjp(1.0)
