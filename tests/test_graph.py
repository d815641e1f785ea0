"""The recorded graph: nodes, names, parents, values, gradients and backward steps."""
import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import Step, grad, name, trace


def f(x, y):
    z = x * y
    h = np.sin(z)
    return h + x ** 2


def test_nodes_in_forward_order_with_ops_parents_values():
    g = trace(f, 1.0, 2.0)
    ops = [n.op for n in g.nodes]
    assert ops == ['input', 'input', 'multiply', 'sin', 'power', 'add']
    x, y, z, h, sq, out = g.nodes
    assert (x.name, y.name) == ('x', 'y')
    assert [n.id for n in g.nodes] == list(range(6))
    assert z.parents == ((0, x), (1, y))
    assert h.parents == ((0, z),)
    assert sq.parents == ((0, x),) and sq.args[1] == 2       # the constant stays an argument
    assert out.parents == ((0, h), (1, sq))
    assert z.value == pytest.approx(2.0)
    assert h.value == pytest.approx(onp.sin(2.0))
    assert g.output is out and g.result == pytest.approx(onp.sin(2.0) + 1)
    assert g.inputs == [x, y]


def test_gradients_on_every_node_match_grad():
    g = trace(f, 1.0, 2.0)
    x, y, z, h, sq, out = g.nodes
    assert out.grad == 1.0
    assert h.grad == pytest.approx(1.0)
    assert z.grad == pytest.approx(onp.cos(2.0))
    assert x.grad == pytest.approx(grad(f)(1.0, 2.0))
    assert y.grad == pytest.approx(grad(f, 1)(1.0, 2.0))


def test_gradient_before_backward_is_an_error_not_zero():
    g = trace(lambda x: x * np.ones(3), 1.0)     # non-scalar output: no backward pass
    assert g.steps == []
    node = g.nodes[-1]
    assert not node.has_grad
    with pytest.raises(AttributeError, match="not been computed yet"):
        node.grad


def test_seed_runs_backward_for_non_scalar_output():
    g = trace(lambda x: x * onp.array([1.0, 2.0]), 3.0, seed=onp.array([1.0, 1.0]))
    assert g.inputs[0].grad == pytest.approx(3.0)


def test_steps_are_reverse_topological_with_fan_out_summed():
    g = trace(f, 1.0, 2.0)
    steps = g.steps
    assert all(isinstance(s, Step) for s in steps)
    order = [s.node.name for s in steps]
    assert order == ['f', 'v4', 'h', 'z', 'y', 'x']
    position = {s.node.id: i for i, s in enumerate(steps)}
    for s in steps:                                   # a node comes after all its users
        for parent, argnum, contribution in s.contributions:
            assert position[parent.id] > position[s.node.id]
    # x fans out to x*y and x**2: its gradient is the sum of the two contributions
    x = g.nodes[0]
    sent_to_x = [c for s in steps for (p, _, c) in s.contributions if p is x]
    assert len(sent_to_x) == 2
    assert sum(sent_to_x) == pytest.approx(x.grad)
    # each contribution is upstream times the local derivative
    mult = next(s for s in steps if s.node.op == 'multiply')
    (px, ax, cx), (py, ay, cy) = mult.contributions
    assert (ax, ay) == (0, 1)
    assert cx == pytest.approx(mult.upstream * 2.0) and cy == pytest.approx(mult.upstream * 1.0)


def test_nodes_not_leading_to_output_are_skipped_by_backward():
    def g(x):
        unused = np.exp(x)          # noqa: F841
        return x * 3.0
    tr = trace(g, 1.0)
    assert [s.node.op for s in tr.steps] == ['multiply', 'input']
    assert not tr.nodes[1].has_grad


def test_explicit_names_and_lookup():
    tr = trace(lambda x: name(np.tanh(name(x * 2.0, 'z')), 'h') + 1.0, 0.5)
    assert [n.name for n in tr.nodes] == ['x', 'z', 'h', 'out']
    assert tr['h'].op == 'tanh'
    with pytest.raises(KeyError, match="No node is named 'q'"):
        tr['q']


def test_data_arguments_excluded_by_wrt():
    tr = trace(lambda w, X: np.sum(X @ w), onp.ones(2), onp.ones((3, 2)), wrt='w')
    assert [n.name for n in tr.inputs] == ['w']
    onp.testing.assert_allclose(tr.inputs[0].grad, [3.0, 3.0])


def test_integer_arguments_are_not_inputs_by_default():
    tr = trace(lambda x, n: x ** n, 2.0, 3)
    assert [n.name for n in tr.inputs] == ['x']
    assert tr.inputs[0].grad == pytest.approx(12.0)


def test_graph_of_a_gradient_records_the_backward_computation():
    tr = trace(grad(np.tanh), 0.5)
    ops = [n.op for n in tr.nodes]
    assert ops[:2] == ['input', 'tanh']            # the forward pass
    assert 'power' in ops and 'subtract' in ops    # 1 - tanh**2, from the gradient table
    t = onp.tanh(0.5)
    assert tr.result == pytest.approx(1 - t ** 2)
    assert tr.inputs[0].grad == pytest.approx(-2 * t * (1 - t ** 2))


# --------------------------------------------------------------------------
# One naming: trace names nodes as the pictures and check_grad do
# --------------------------------------------------------------------------

def test_trace_names_nodes_after_local_variables_and_the_output_after_the_function():
    g = trace(f, 1.0, 2.0)
    assert [n.name for n in g.nodes] == ['x', 'y', 'z', 'h', 'v4', 'f']
    assert g['z'].op == 'multiply' and g['h'].op == 'sin'
    assert str(g).splitlines()[3].startswith('h = sin(z)')
    assert str(g).splitlines()[5].startswith('f = add(h, v4)')


def test_the_output_of_a_lambda_or_a_gradient_is_out():
    assert trace(lambda x: np.sin(x) * 2.0, 1.0).output.name == 'out'
    assert trace(grad(np.tanh), 0.5).output.name == 'out'


def test_a_reused_local_name_is_numbered_and_a_given_name_wins():
    def loop(x):
        h = x
        for _ in range(3):
            h = np.tanh(h)
        k = name(h * 2.0, 'doubled')
        return np.sum(k)
    g = trace(loop, 0.3)
    assert [n.name for n in g.nodes] == ['x', 'h₁', 'h₂', 'h₃', 'doubled', 'loop']


def test_a_local_held_at_return_names_its_node():
    def g(x):
        unused = np.exp(x)          # noqa: F841  nothing is computed after it
        return x * 3.0
    assert [n.name for n in trace(g, 1.0).nodes] == ['x', 'unused', 'g']


def test_helper_calls_are_recorded_and_their_locals_name_nodes():
    def layer(w, x):
        pre = w * x
        return np.tanh(pre)

    def net(w, x):
        hidden = layer(w, x)
        return hidden * 2.0
    g = trace(net, 0.5, 1.0)
    assert [n.name for n in g.nodes] == ['w', 'x', 'pre', 'hidden', 'net']
    assert [c.function for c in g.calls] == ['layer']
    assert g['pre'].info.call is g.calls[0]


def test_plain_grad_captures_nothing():
    seen = []

    def f(x):
        seen.append(x)
        return np.sin(x) * 2.0
    grad(f)(1.0)
    assert seen[0].info is None and seen[0].name == 'x'


def test_nodes_computed_by_a_backward_pass_are_marked():
    tr = trace(grad(np.tanh), 0.5)
    made_by_backward = [n.op for n in tr.nodes if n.info.backward]
    assert tr.nodes[1].op == 'tanh' and not tr.nodes[1].info.backward     # the forward pass
    assert 'power' in made_by_backward and 'subtract' in made_by_backward   # 1 - tanh**2
    assert not any(n.info.backward for n in trace(f, 1.0, 2.0).nodes)


def test_frames_above_the_trace_are_not_the_traced_function():
    def caller():
        outside = 3.0               # noqa: F841  a local of the caller, not of f
        return trace(f, 1.0, 2.0)
    g = caller()
    assert [n.info.function for n in g.nodes if n.fun is not None] == ['f'] * 4
    assert g.calls == []           # f is the function traced, not a helper call
