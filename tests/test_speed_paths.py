"""The engine's fast paths give exactly what its general paths give (issue 15).

Each fast path is an optimisation only: same values bit for bit, same nodes
recorded, same errors. These tests compare each one with the general path it
shortcuts, including under an outer trace (grad of jacobian) and in pictures.
"""
import operator

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
    with pytest.raises(NoGradientError) as drained:       # grad's pass, chain_rule inlined
        grad(lambda y: first_only(2.0, y))(3.0)
    assert str(drained.value) == str(general.value)


# --------------------------------------------------------------------------
# 2. Primitive.__call__'s lean path for the usual recorded call
# --------------------------------------------------------------------------

import teachgrad.tracing as tracing  # noqa: E402
from teachgrad.errors import EscapedValueError, RefusedOptionError  # noqa: E402
from teachgrad.tracing import Primitive  # noqa: E402
from teachgrad.refusals import Refused  # noqa: E402
from teachgrad.numpy.array_node import ArrayNode  # noqa: E402


def _general_only(monkeypatch):
    """Every call through the general path, as before the lean path existed.

    (Compiled as if in tracing.py: pictures name nodes after the first frame of user
    code, and a frame from this test file would count as the user's.)
    """
    space = {}
    exec(compile("def call(self, *args, **kwargs):\n    return self._call(args, kwargs)\n"
                 "def operator(prim, reflected):\n"
                 "    if reflected:\n"
                 "        return lambda node, other: prim(other, node)\n"
                 "    return lambda node, other: prim(node, other)\n",
                 tracing.__file__, "exec"), space)
    monkeypatch.setattr(Primitive, "__call__", space["call"])
    # the operators too (x * y): they record themselves, the lean path's usual case
    for name, method in list(vars(ArrayNode).items()):
        if getattr(method, "primitive", None) is not None:
            monkeypatch.setattr(ArrayNode, name, space["operator"](method.primitive,
                                                                   method.reflected))


@pytest.fixture
def general_calls(monkeypatch):
    """Counts the calls the lean path hands to the general path."""
    seen = []
    original = Primitive._call

    def spy(self, args, kwargs):
        seen.append(self.name)
        return original(self, args, kwargs)
    monkeypatch.setattr(Primitive, "_call", spy)
    return seen


def _chain(x):
    for k in range(30):
        x = np.sin(x) * 0.9 + x * onp.float64(0.05) - 1 if k % 2 else np.tanh(x) + x * x / 3.0
    return x


def _mixed(x, y):
    z = np.sum(x * y, axis=0) + np.dot(onp.ones(2), x)        # keywords and a constant array
    return np.sum(np.exp(z) * 2.0) + np.mean(np.array([x[0, 0], y[1, 1]])) + np.sin(x[0, 1])


_X2 = onp.array([[0.3, -0.4], [1.1, 0.2]])
_Y2 = onp.array([[1.5, 0.5], [-0.7, 2.0]])


def _node_records(graph):
    return [(n.op, n.parents and tuple((a, p.id) for a, p in n.parents), n.kwargs,
             tuple(type(a) for a in n.args), type(n.value)) for n in graph.nodes]


def _same_graphs(a, b):
    assert _node_records(a) == _node_records(b)
    for m, n in zip(a.nodes, b.nodes):
        _exactly_equal(m.value, n.value)
        for u, v in zip(m.args, n.args):
            _exactly_equal(u, v)
        assert m.has_grad == n.has_grad
        if m.has_grad:
            _exactly_equal(m.grad, n.grad)


def _cases():
    return [(_chain, (0.7,)), (_mixed, (_X2, _Y2)),
            (lambda x: _chain(x) * grad(_chain)(x), (0.4,)),           # grad inside a trace
            (lambda x: grad(lambda y: np.sin(y) * x)(x * 2.0), (0.3,))]  # a value of two traces


@pytest.mark.parametrize("k", range(4))
def test_lean_path_records_the_graph_the_general_path_records(k, monkeypatch):
    fun, args = _cases()[k]
    fast = trace(fun, *args)
    _general_only(monkeypatch)
    general = trace(fun, *args)
    _same_graphs(fast, general)


@pytest.mark.parametrize("k", range(4))
def test_lean_path_gives_the_same_gradients_and_second_derivatives(k, monkeypatch):
    fun, args = _cases()[k]
    d = lambda: [grad(fun, i)(*args) for i in range(len(args))]   # noqa: E731
    dd = lambda: grad(lambda *a: np.sum(grad(fun)(*a)))(*args)     # noqa: E731
    fast = d(), dd()
    _general_only(monkeypatch)
    general = d(), dd()
    for a, b in zip(fast[0] + [fast[1]], general[0] + [general[1]]):
        _exactly_equal(a, b)


def test_lean_path_draws_the_same_picture(monkeypatch):
    from teachgrad import show_graph
    f = lambda x, y: np.tanh(x * y + 1.0) * x - y / 2.0   # noqa: E731
    fast = show_graph(f, 0.5, -1.5).source
    _general_only(monkeypatch)
    assert show_graph(f, 0.5, -1.5).source == fast


def test_lean_path_takes_the_usual_calls(general_calls):
    grad(lambda x: np.sin(x) * x + 2.0 - x / onp.float64(3.0) + 1 + x * x)(0.5)
    assert general_calls == []
    a = onp.array([1.0, 2.0])                 # constant arrays, either side, and a data @ x
    seen_writeable = []
    grad(lambda x: np.sum(x * a) + np.sum(a * x) + np.dot(a, x)
         + (seen_writeable.append(a.flags.writeable) or 0.0))(onp.array([0.5, 0.25]))
    assert general_calls == []
    assert seen_writeable == [False] and a.flags.writeable   # frozen while recorded, then not
    assert np.sin(0.5) == onp.sin(0.5) and np.add(1, 2) == 3      # plain numbers
    assert general_calls == []


_OPERATORS = sorted(name for name, method in vars(ArrayNode).items()
                    if getattr(method, "primitive", None) is not None)


def test_the_binary_operators_record_the_usual_calls_themselves(monkeypatch):
    assert len(_OPERATORS) == 16          # + - * / // % ** @, each also reflected
    called = []
    original = Primitive.__call__
    from teachgrad.graph import Node

    def counted(self, *args, **kwargs):
        if any(isinstance(a, Node) for a in args):    # (gradient rules call with plain values)
            called.append(self.name)
        return original(self, *args, **kwargs)
    monkeypatch.setattr(Primitive, "__call__", counted)
    for name in _OPERATORS:
        method = getattr(ArrayNode, name)
        if "matmul" in name:
            graph = trace(lambda x: method(method(x, x), x), onp.eye(2) * 1.5)
        else:
            graph = trace(lambda x: method(method(method(method(x, 2), 1.5), x),
                                           onp.float64(0.5)), 1.5)
        assert [n.op for n in graph.nodes][1:] == [method.primitive.name] * (len(graph.nodes) - 1)
        assert called == [], name


@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::teachgrad.GradientWarning")
@pytest.mark.parametrize("name", _OPERATORS)
def test_each_operator_records_what_its_primitive_records(name, monkeypatch):
    method = getattr(ArrayNode, name)
    square = onp.array([[1.5, 2.0], [0.5, 3.0]])
    others = (lambda y: [y, y * 1.0]) if "matmul" in name else \
        (lambda y: [2, 1.5, onp.float64(0.75), y, y * 1.0, square, [1.0, 2.0], True])

    binary = getattr(operator, name.strip("_")[1:] if method.reflected else name.strip("_"))

    def f(x, y):
        total = 0.0
        for other in others(y):
            if method.reflected:
                if type(other) is not list:      # ([1.0, 2.0] * x asks the list first)
                    total = total + np.sum(binary(other, x))
            else:
                total = total + np.sum(binary(x, other))
        return total

    args = (square * 0.8, square[::-1] * 1.1)
    fast = trace(f, *args), [grad(f, i)(*args) for i in range(2)], grad(lambda x: np.sum(
        grad(f)(x, args[1])))(args[0])
    _general_only(monkeypatch)
    assert getattr(ArrayNode, name) is not method
    general = trace(f, *args), [grad(f, i)(*args) for i in range(2)], grad(lambda x: np.sum(
        grad(f)(x, args[1])))(args[0])
    _same_graphs(fast[0], general[0])
    for a, b in zip(fast[1] + [fast[2]], general[1] + [general[2]]):
        _exactly_equal(a, b)


def _declined(general_calls, fun, *args):
    general_calls.clear()
    grad(fun)(*args)
    return general_calls


def test_lean_path_declines_everything_else(general_calls):
    a = onp.array([1.0, 2.0])
    assert "sum" in _declined(general_calls, lambda x: np.sum(x, axis=0), a)       # keywords
    assert "mean" in _declined(general_calls, lambda x: np.mean([x, 2.0 * x]), 1.0)   # a list
    assert "multiply" in _declined(general_calls, lambda x: x * True, 1.0)         # a bool
    assert "multiply" in _declined(general_calls, lambda x: x * onp.float32(2.0), 1.0)
    # a value of two traces (grad of grad): the inner node holds the outer one
    assert "sin" in _declined(general_calls, grad(lambda x: np.sin(x)), 1.0)
    # a primitive given values of two different traces
    assert "multiply" in _declined(general_calls,
                                   lambda x: grad(lambda y: y * x)(x * 1.0), 1.0)
    general_calls.clear()
    np.sin(kept_list := [1.0, 2.0])                     # a list: numpy's own conversion
    assert general_calls == ["sin"] and kept_list == [1.0, 2.0]


def test_plain_calls_give_numpys_results_on_the_lean_path(general_calls):
    a, b = onp.array([0.5, -1.0]), onp.array([[2.0], [3.0]])
    for got, want in [(np.sin(a), onp.sin(a)), (np.multiply(a, b), a * b), (np.add(a, 2), a + 2),
                      (np.power(2.0, 3), onp.power(2.0, 3)), (np.sin(0.5), onp.sin(0.5))]:
        _exactly_equal(got, want)
    assert general_calls == []
    assert a.flags.writeable and b.flags.writeable      # nothing recorded, nothing frozen


def test_refusals_still_come_from_the_general_path(general_calls):
    kept = []
    grad(lambda x: kept.append(x) or x * 2.0)(1.0)
    general_calls.clear()
    with pytest.raises(EscapedValueError):
        np.sin(kept[0])
    assert general_calls == ["sin"]
    general_calls.clear()
    with pytest.raises(RefusedOptionError):
        grad(lambda x: np.sum(np.multiply(x, x, onp.empty(2))))(onp.ones(2))   # out= by position
    assert "multiply" in general_calls
    with pytest.raises(RefusedOptionError):
        grad(lambda x: np.multiply(x, x, x))(1.0)        # a traced value at out='s position
    with pytest.raises(TypeError, match="out="):
        grad(lambda x: np.sum(np.multiply(x, x, out=onp.empty(2))))(onp.ones(2))


def test_positions_assigned_anew_set_where_the_lean_path_stops():
    prim = Primitive(lambda x, y=1.0, z=None: x * y)
    assert prim._lean_arity > 3
    prim.positions = {2: Refused("z", None)}
    assert prim._lean_arity == 2
    with pytest.raises(RefusedOptionError):
        grad(lambda x: prim(x, 2.0, 3.0))(1.0)
    defvjp(prim, lambda ans, x, y=1.0, z=None: lambda g: g * y)
    assert grad(lambda x: prim(x, 2.0))(1.0) == 2.0
    prim.positions = {}
    assert prim._lean_arity > 3


# --------------------------------------------------------------------------
# 3. grad's drain of the backward pass keeps no Step per node
# --------------------------------------------------------------------------

from teachgrad.backprop import input_gradients  # noqa: E402


def _drained_by_steps(graph, output, seed):
    return {s.node.id: s.upstream for s in backward(graph, output, seed) if s.node.fun is None}


@primitive
def _pair(x):
    return (x * 1.0, x * 2.0)


defvjp(_pair, lambda ans, x: lambda g: g[0] + 2.0 * g[1])


def _pair_product(x):
    p = _pair(x)            # one node with two outputs, each used: gradients added as tuples
    return p[0] * p[1] + p[1]


def _eigh_sum(x):
    w, v = np.linalg.eigh(x @ x.T + onp.eye(2))      # a primitive with several outputs
    return np.sum(w * 2.0) + np.sum(v ** 2) + np.sum(w * v[0])


@pytest.mark.parametrize("fun, args", [
    (_chain, (0.7,)), (_mixed, (_X2, _Y2)), (_eigh_sum, (_X2,)), (_pair_product, (1.5,)),
    (lambda x, y: x * 3.0, (1.0, 2.0)),                    # y never reached
    (lambda x: np.sum(_f(x)), (X,)),
])
def test_input_gradients_equal_the_steps_of_backward_bit_for_bit(fun, args):
    graph = trace(fun, *args)
    seed = onp.ones_like(graph.output.value)
    fast = input_gradients(graph, graph.output, seed)
    general = _drained_by_steps(graph, graph.output, seed)
    assert fast.keys() == general.keys()
    for k in fast:
        _exactly_equal(fast[k], general[k])


def test_input_gradients_from_several_outputs_equal_the_steps_of_backward():
    graph = trace(lambda x: np.sum(_f(x)), X)
    outputs = [n for n in graph.nodes if n.op == "concatenate"] + [graph.nodes[3], graph.nodes[3]]
    seeds = [onp.arange(7.0), onp.full_like(graph.nodes[3].value, 0.5),
             onp.full_like(graph.nodes[3].value, 2.0)]
    fast = input_gradients(graph, outputs, seeds)
    general = _drained_by_steps(graph, outputs, seeds)
    assert fast.keys() == general.keys() == {0}
    _exactly_equal(fast[0], general[0])


def test_input_gradients_reusing_pullbacks_equal_the_steps_of_backward():
    graph = trace(_eigh_sum, _X2)
    pullbacks = {}
    for scale in (1.0, -0.5, 3.0):
        fast = input_gradients(graph, graph.output, scale, pullbacks)
        _exactly_equal(fast[0], _drained_by_steps(graph, graph.output, scale)[0])
    assert pullbacks


def test_a_kept_plan_serves_only_the_outputs_it_was_made_for():
    graph = trace(lambda x: np.stack([np.sin(x[0]) * x[1], x[1] ** 2, np.sum(x)]), _X2[0])
    stacked = graph.output
    parts = [node for node in graph.nodes if node.op in ("multiply", "power")]
    kept = {}
    for outputs, seeds in [(stacked, onp.ones(3)), (parts, [2.0, -1.0]), (stacked, onp.ones(3)),
                           (parts[:1], [0.5]), (parts, [1.0, 1.0])]:
        fast = input_gradients(graph, outputs, seeds, kept)
        if isinstance(outputs, list):
            general = {}
            for step in backward(graph, outputs, seeds):
                if step.node.fun is None:
                    general[step.node.id] = step.upstream
        else:
            general = _drained_by_steps(graph, outputs, seeds)
        assert fast.keys() == general.keys()
        _exactly_equal(fast[0], general[0])
    assert len(kept) == 3            # one plan per set of seeded nodes


# --------------------------------------------------------------------------
# 4. unbroadcast_vjp decides the common cases by type
# --------------------------------------------------------------------------

from teachgrad.numpy.gradients import helpers  # noqa: E402

_VALUES = [1.5, 2, 1 + 2j, onp.float64(1.5), onp.float32(1.5), onp.complex128(1j),
           onp.array(1.5), onp.ones(3), onp.ones((1, 3)), onp.ones((2, 3)), onp.ones(3) * 1j,
           onp.ones(3, dtype=onp.float32), onp.ones(3, dtype=int), True]


@pytest.mark.parametrize("target", range(len(_VALUES)))
def test_unbroadcast_vjp_wraps_exactly_when_the_general_test_says_so(target):
    vjp = lambda g: g       # noqa: E731
    for ans in _VALUES:
        t = _VALUES[target]
        returned = helpers.unbroadcast_vjp(t, vjp, ans)
        assert (returned is vjp) == helpers._same_space(t, ans), (t, ans)
    assert helpers.unbroadcast_vjp(_VALUES[target], vjp) is not vjp     # no ans: always wraps


def test_unbroadcast_vjp_on_traced_values_uses_the_general_test():
    decisions = []
    vjp = lambda g: g       # noqa: E731

    def f(x):
        for target, ans in [(x, x * 2.0), (x, x * np.ones((2, 3))), (x[0], x * 2.0)]:
            decisions.append((helpers.unbroadcast_vjp(target, vjp, ans) is vjp,
                              helpers._same_space(target, ans)))
        return np.sum(x)
    grad(f)(onp.ones(3))
    assert decisions == [(True, True), (False, False), (False, False)]


# --------------------------------------------------------------------------
# 5. grad adds the third and later gradients of a node into an array it made
# --------------------------------------------------------------------------

def _fan_in(x, w):
    h = np.tanh(x * w)
    total = 0.0
    for k in range(5):                    # x, w and h each reach the output five times
        total = total + np.sum(h * x * (k + 1.0)) + np.sum(w ** 2) * 0.1
    return total


def _shared_gradient(x):
    a, b = x * 2.0, x * 3.0
    e = a * 5.0
    h = a + b             # add sends one gradient object to both a and b
    return np.sum(h * onp.array([1.0, -2.0, 0.5])) + np.sum(e)


def _no_sums_in_place(monkeypatch):
    original = input_gradients

    def general(graph, output, seed, pullbacks=None, in_place=False):
        return original(graph, output, seed, pullbacks, False)
    monkeypatch.setattr(reverse, "input_gradients", general)


@pytest.mark.parametrize("fun, args", [
    (_fan_in, (onp.linspace(-1, 1, 6).reshape(2, 3), onp.linspace(0.5, 2.0, 3))),
    (_shared_gradient, (onp.array([0.3, -0.7, 1.1]),)),
    (_mixed, (_X2, _Y2)), (_eigh_sum, (_X2,)), (_chain, (0.7,)),
])
def test_sums_in_place_give_the_same_gradients_bit_for_bit(fun, args, monkeypatch):
    kept = [a.copy() for a in args if isinstance(a, onp.ndarray)]
    fast = [grad(fun, i)(*args) for i in range(len(args))]
    fast_jac = jacobian(lambda *a: np.stack([fun(*a), fun(*a) * 2.0]))(*args)
    _no_sums_in_place(monkeypatch)
    general = [grad(fun, i)(*args) for i in range(len(args))]
    for a, b in zip(fast, general):
        _exactly_equal(a, b)
    _exactly_equal(fast_jac, jacobian(lambda *a: np.stack([fun(*a), fun(*a) * 2.0]))(*args))
    for a, b in zip([a for a in args if isinstance(a, onp.ndarray)], kept):
        _exactly_equal(a, b)                     # the user's arrays are untouched


def test_sums_in_place_change_no_array_a_node_or_the_user_holds():
    x = onp.linspace(-1, 1, 6).reshape(2, 3)
    w = onp.linspace(0.5, 2.0, 3)
    graph = trace(_fan_in, x, w)
    values = [n.value.copy() if isinstance(n.value, onp.ndarray) else n.value for n in graph.nodes]
    args = [tuple(onp.copy(a) if isinstance(a, onp.ndarray) else a for a in n.args)
            for n in graph.nodes]
    input_gradients(graph, graph.output, 1.0, None, True)
    input_gradients(graph, graph.output, 1.0, None, True)
    for n, v, a in zip(graph.nodes, values, args):
        _exactly_equal(n.value, v)
        for got, want in zip(n.args, a):
            if isinstance(want, onp.ndarray):
                _exactly_equal(got, want)


def test_grad_of_grad_records_the_same_graph_with_sums_in_place(monkeypatch):
    outer = lambda x: np.sum(grad(_fan_in)(x, onp.array([0.5, 1.0, 2.0])) ** 2)   # noqa: E731
    x = onp.linspace(-1, 1, 6).reshape(2, 3)
    fast = trace(outer, x)
    _no_sums_in_place(monkeypatch)
    _same_graphs(fast, trace(outer, x))


def test_sums_are_made_in_place_only_when_no_trace_records(monkeypatch):
    seen = []
    original = input_gradients

    def spy(graph, output, seed, pullbacks=None, in_place=False):
        seen.append(in_place)
        return original(graph, output, seed, pullbacks, in_place)
    monkeypatch.setattr(reverse, "input_gradients", spy)
    grad(lambda x: np.sum(grad(lambda y: np.sum(y * x * y))(x)))(onp.ones(2))
    assert seen == [False, True]           # the inner pass ran while the outer one recorded


def test_refused_positions_cannot_be_changed_in_place():
    """The lean path reads the lowest refused position when positions is assigned; changing
    the mapping in place would leave it stale, so the mapping is read-only."""
    assert np.multiply.positions, "multiply refuses numpy's out slot by position"
    with pytest.raises(TypeError):
        np.multiply.positions[5] = np.multiply.positions[min(np.multiply.positions)]


# --------------------------------------------------------------------------
# 6. Gradients registered as rules of g (defgradient) mean what makers mean
# --------------------------------------------------------------------------

from teachgrad import check_grad, make_jvp  # noqa: E402
from teachgrad.extend import defgradient  # noqa: E402
from teachgrad.tracing import GradientRule  # noqa: E402


def _twin_primitives():
    """The same function and gradient, registered once as makers and once as rules."""
    def scaled_sin(x, y, scale=1.0):
        return onp.sin(x) * y * scale
    as_maker, as_rule = primitive(scaled_sin), primitive(lambda x, y, scale=1.0: scaled_sin(x, y, scale))
    defvjp(as_maker, lambda ans, x, y, scale=1.0: lambda g: g * np.cos(x) * y * scale,
           lambda ans, x, y, scale=1.0: lambda g: g * np.sin(x) * scale)
    defgradient(as_rule, lambda g, ans, x, y, scale=1.0: g * np.cos(x) * y * scale,
                lambda g, ans, x, y, scale=1.0: g * np.sin(x) * scale)
    return as_maker, as_rule


def _uses(prim):
    def f(x, y):
        return np.sum(prim(x, y) ** 2 + prim(y, x, scale=0.5) * x)
    return f


@pytest.mark.parametrize("argnum", [0, 1])
def test_a_rule_gives_what_the_same_maker_gives_bit_for_bit(argnum):
    as_maker, as_rule = _twin_primitives()
    assert type(as_rule.vjp_makers[0]) is GradientRule
    args = (onp.array([0.3, -1.1, 2.0]), onp.array([0.7, 0.2, -0.4]))
    ops = [lambda f: grad(f, argnum)(*args),
           lambda f: jacobian(lambda a, b: np.stack([f(a, b), f(b, a)]), argnum)(*args),
           lambda f: hessian(f, argnum)(*args),
           lambda f: make_jvp(f, argnum)(*args)(onp.ones(3))[1]]
    for op in ops:
        _exactly_equal(op(_uses(as_rule)), op(_uses(as_maker)))
    graph_rule, graph_maker = trace(_uses(as_rule), *args), trace(_uses(as_maker), *args)
    for m, n in zip(graph_rule.nodes, graph_maker.nodes):
        _exactly_equal(m.grad, n.grad)
    report = check_grad(_uses(as_rule), grad(_uses(as_maker), argnum), *args, argnum=argnum)
    assert report.status == "pass", report          # finite differences agree too


def test_a_rule_is_called_once_per_node_and_pass_with_the_upstream_gradient():
    calls = []

    @primitive
    def triple(x):
        return 3.0 * x

    defgradient(triple, lambda g, ans, x: calls.append((g, ans, x)) or 3.0 * g)
    assert grad(lambda x: triple(x) * 2.0)(0.5) == 6.0
    assert calls == [(2.0, 1.5, 0.5)]
    assert triple.chain_rule(1.5, [0], 1.5, (0.5,), None) == [4.5]
    assert triple.pullback([0], 1.5, (0.5,), None)(1.0) == [3.0]


def test_defvjp_after_defgradient_replaces_the_rule_and_none_is_zero():
    @primitive
    def f(x, y):
        return x * y

    defgradient(f, lambda g, ans, x, y: g * y, None)
    assert grad(f, 1)(2.0, 3.0) == 0.0
    defvjp(f, lambda ans, x, y: lambda g: g * 10.0)
    assert type(f.vjp_makers[0]) is not GradientRule
    assert grad(f)(2.0, 3.0) == 10.0


def test_defgradient_of_a_plain_function_says_to_make_it_a_primitive():
    with pytest.raises(TypeError, match="defgradient needs a primitive"):
        defgradient(onp.sin, lambda g, ans, x: g * onp.cos(x))


# --------------------------------------------------------------------------
# Quick rules (gradients/helpers.quick_rule): a rule doing a maker's commonest cases
# --------------------------------------------------------------------------

_R = onp.random.default_rng(7)
_M23, _M34, _V3, _V4 = (_R.standard_normal(s) for s in [(2, 3), (3, 4), (3,), (4,)])
_T223, _S33 = _R.standard_normal((2, 2, 3)), _R.standard_normal((3, 3))   # a square one: a.T vs a
_C3 = _V3 + 1j * _R.standard_normal(3)
_MASK23 = _R.random((2, 3)) < 0.5
_ZERO_D = onp.array(2.5)      # a 0-d array: the gradient of its mean is a number, not a view
_PRODUCTS = [(onp.float64(1.5), _M34), (_M34, onp.array(2.0)), (_V3, _M34), (_M23, _V3), (_M23, _M34),
             (_V3, _V3), (_S33, _M34), (_S33, _V3), (_V3, _S33), (_T223, _M34), (_M23, _R.standard_normal((4, 3, 2))), (_C3, _M34),
             (_M23, _C3), (_M23.astype(onp.float32), _M34.astype(onp.float32)),
             (onp.arange(6).reshape(2, 3), _M34)]
# Each quick rule's primitive with the calls to try it on: (args, kwargs).
_QUICK_CASES = {
    "sum": [((x,), kw) for x in (_M23, _C3, onp.zeros((0, 3)))
            for kw in ({}, {"axis": 0}, {"axis": (0, -1)} if x.ndim > 1 else {"axis": -1},
                       {"keepdims": True}, {"axis": 0, "keepdims": True})]
    + [((_M23,), {"where": _MASK23}), ((_M23,), {"initial": 2.0}), ((_ZERO_D,), {}),
       ((_ZERO_D,), {"keepdims": True})],
    "mean": [((x,), kw) for x in (_M23, _C3, onp.zeros((0, 3)))
             for kw in ({}, {"axis": 0}, {"keepdims": True}, {"axis": -1, "keepdims": True})]
    + [((_M23,), {"where": _MASK23}), ((_ZERO_D,), {}), ((_ZERO_D,), {"keepdims": True})],
    "dot": [(pair, {}) for pair in _PRODUCTS],
    "matmul": [(pair, {}) for pair in _PRODUCTS if onp.ndim(pair[0]) and onp.ndim(pair[1])],
    "power": [((_M23, y), {}) for y in (2, 3, 0, 1, 0.5, -1.5, onp.float64(2.0), True,
                                        onp.array([1.0, 2.0, 0.0]))]
    + [((onp.array([0.0, 1.5, -2.0]), 2), {}), ((_C3, 2), {})],
}


def _quick_rules():
    from teachgrad.numpy import array_node
    prims = {id(p): p for p in vars(np).values() if hasattr(p, "vjp_makers")}
    prims.update({id(p): p for p in vars(array_node).values() if hasattr(p, "vjp_makers")})
    return [(prim, argnum, rule) for prim in prims.values()
            for argnum, rule in prim.vjp_makers.items()
            if type(rule) is GradientRule and rule.maker is not None]


def test_every_quick_rule_has_cases_here():
    names = {prim.name for prim, _, _ in _quick_rules()}
    assert names and names <= set(_QUICK_CASES), names - set(_QUICK_CASES)


@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::numpy.exceptions.ComplexWarning")
@pytest.mark.parametrize("prim, argnum, rule", _quick_rules(),
                         ids=lambda v: getattr(v, "name", str(v)) if not isinstance(v, GradientRule) else "")
def test_a_quick_rule_gives_what_its_maker_gives_bit_for_bit(prim, argnum, rule):
    tried = 0
    for args, kwargs in _QUICK_CASES[prim.name]:
        if argnum >= len(args) or onp.ndim(args[argnum]) is None:
            continue
        with onp.errstate(all="ignore"):
            ans = prim.fun(*args, **kwargs)
        for g in (onp.ones_like(ans) * 0.75, onp.full_like(ans, -2.5)):
            if onp.ndim(ans) == 0:
                g = onp.float64(g) if onp.asarray(ans).dtype.kind != "c" else g[()]
            with onp.errstate(all="ignore"):
                quick = rule.rule(g, ans, *args, **kwargs)
                made = rule.maker(ans, *args, **kwargs)(g)
            _exactly_equal(quick, made)
            tried += 1
    assert tried >= 4


def test_passes_repeated_over_a_node_use_the_makers_of_quick_rules():
    local = np.dot.local_gradients([0, 1], _M23 @ _M34, (_M23, _M34), None)
    assert [fixed for _, fixed in local] == [(), ()]       # functions of g alone, made once
    g = onp.ones((2, 4))
    _exactly_equal(local[0][0](g), np.dot.vjp_makers[0].rule(g, _M23 @ _M34, _M23, _M34))


def _makers_only(monkeypatch):
    """Register every quick rule's maker in its place, as before quick rules existed."""
    for prim, argnum, rule in _quick_rules():
        monkeypatch.setitem(prim.vjp_makers, argnum, rule.maker)


def _uses_every_quick_rule(w):
    h = np.tanh(_M23 @ w[:3, :2] + np.dot(w[:2, :2], w[2:4, :2]).sum())
    return np.mean(h ** 2) + np.sum(w ** 3) * 0.1 + np.mean(np.matmul(_V3, w[:3, :3]) ** 2)


@pytest.mark.parametrize("operator", [grad, hessian, lambda f: jacobian(grad(f)),
                                      lambda f: grad(lambda w: np.sum(grad(f)(w) ** 2))])
def test_quick_rules_give_what_their_makers_give_through_every_operator(operator, monkeypatch):
    w = _R.standard_normal((4, 4))
    quick = operator(_uses_every_quick_rule)(w)
    _makers_only(monkeypatch)
    assert _quick_rules() == []
    _exactly_equal(quick, operator(_uses_every_quick_rule)(w))
