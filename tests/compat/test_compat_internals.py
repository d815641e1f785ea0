"""autograd 1.9's internals on teachgrad: trace with users' Node classes, make_vjp(f, x), vspaces."""
import io
import warnings
from contextlib import redirect_stdout

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad
from teachgrad.core import backward_pass, make_jvp, make_vjp, primitive_vjps, vspace
from teachgrad.tracer import Box, Node, getval, isbox, new_box, trace
from teachgrad.util import func, subval, subvals, toposort
from teachgrad.wrap_util import unary_to_nary


class Recorder(Node):
    """Keeps what trace gives each node, the way autograd's examples do."""

    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        self.value, self.name = value, fun.__name__
        self.args, self.kwargs = args, kwargs
        self.parent_argnums, self.parents = parent_argnums, parents

    def initialize_root(self, x):
        self.value, self.name, self.parents = x, "root", ()


def test_trace_gives_a_user_node_what_autograd_gives():
    root = Recorder.new_root(0.5)
    value, end = trace(root, lambda x: np.sin(x) * 3.0 + x, 0.5)
    assert value == pytest.approx(onp.sin(0.5) * 3.0 + 0.5)
    assert end.name == "add" and end.value == pytest.approx(value)
    mul, x_again = end.parents
    assert end.parent_argnums == (0, 1) and x_again is root
    assert mul.name == "mul" and mul.parent_argnums == (0,) and mul.args[1] == 3.0
    (sin,) = mul.parents
    assert sin.name == "sin" and sin.args == (0.5,) and sin.parents == (root,)
    assert [n.name for n in toposort(end)] == ["add", "mul", "sin", "root"]


def test_trace_passes_keyword_arguments_and_plain_values():
    root = Recorder.new_root(onp.ones((2, 2)))
    _, end = trace(root, lambda x: np.sum(x, axis=0), onp.ones((2, 2)))
    assert end.kwargs == {"axis": 0} and type(end.args[0]) is onp.ndarray


def test_trace_of_a_gradient_records_the_backward_computation():
    names = []

    class Names(Recorder):
        def __init__(self, *args):
            super().__init__(*args)
            names.append(self.name)
    _, end = trace(Names.new_root(1.0), grad(np.sin), 1.0)
    assert names == ["sin", "cos", "multiply"] and end.value == pytest.approx(onp.cos(1.0))


def test_trace_of_a_constant_output_warns_and_returns_none():
    with pytest.warns(UserWarning, match="independent of input"):
        value, end = trace(Recorder.new_root(1.0), lambda x: 4.0, 1.0)
    assert (value, end) == (4.0, None)


def test_a_node_class_must_define_its_methods():
    class Bare(Node):
        pass
    with pytest.raises(NotImplementedError):
        Bare.new_root()


def test_boxes_and_new_box_explains():
    seen = []
    grad(lambda x: seen.append((isbox(x), type(getval(x)))) or x * 2.0)(1.0)
    assert seen == [(True, onp.float64)] and isbox(onp.ones(1)) is False
    assert issubclass(Box, __import__("teachgrad").Node)
    with pytest.raises(TypeError, match="teachgrad has no boxes"):
        new_box(1.0, 0, None)


def test_unary_make_vjp_and_make_jvp():
    @unary_to_nary
    def my_grad(fun, x):
        vjp, _ = make_vjp(fun, x)
        return vjp(1.0)
    assert my_grad(lambda x, y: x ** 2 * y, 1)(3.0, 2.0) == pytest.approx(9.0)
    assert my_grad.__name__ == "my_grad"
    value, tangent = make_jvp(np.sin, 0.3)(2.0)
    assert value == pytest.approx(onp.sin(0.3)) and tangent == pytest.approx(2 * onp.cos(0.3))


def test_backward_pass_from_a_traced_value():
    result = {}

    def f(x):
        y = np.sin(x) * x
        result["g"] = backward_pass(2.0, y)
        return y
    grad(f)(0.7)
    assert result["g"] == pytest.approx(2.0 * (onp.cos(0.7) * 0.7 + onp.sin(0.7)))


def test_primitive_vjps_can_remove_and_restore_a_gradient():
    from teachgrad.extend import defvjp, primitive

    @primitive
    def double(x):
        return 2.0 * x
    defvjp(double, lambda ans, x: lambda g: 2.0 * g)
    assert double in primitive_vjps
    makers = primitive_vjps.pop(double)
    with pytest.raises(NotImplementedError):
        grad(double)(1.0)
    primitive_vjps[double] = makers
    assert grad(double)(1.0) == 2.0
    assert primitive_vjps.pop(lambda x: x, None) is None


def test_util_helpers():
    assert subvals((1, 2, 3), [(0, 9), (2, 7)]) == (9, 2, 7) and subval((1, 2), 1, 5) == (1, 5)
    assert func(len) is len


@pytest.mark.parametrize("value", [onp.zeros((3, 2)), 0.0, 1j * onp.zeros((2, 1)),
                                   [1.0, onp.zeros(2)], (1.0, onp.zeros(2)),
                                   {"a": 1.0, "b": onp.zeros((2, 1))}])
def test_vspace_axioms(value):
    vs = vspace(value)
    x, y = vs.randn(), vs.randn()
    z = vs.randn()
    close = lambda a, b: onp.isclose(vs.inner_prod(z, a), vs.inner_prod(z, b))
    assert close(vs.add(x, y), vs.add(y, x))
    assert close(vs.add(vs.zeros(), x), x)
    assert close(vs.scalar_mul(vs.add(x, y), 2.5), vs.add(vs.scalar_mul(x, 2.5), vs.scalar_mul(y, 2.5)))
    assert vs.inner_prod(x, x) > 0
    basis = list(vs.standard_basis())
    assert len(basis) == vs.size
    assert all(onp.isclose(vs.inner_prod(a, b), float(i == j))
               for i, a in enumerate(basis) for j, b in enumerate(basis))
    assert vspace(vs.add(x, y)) == vs and vspace(vs.ones()) == vs


def test_vspace_operations_are_differentiable():
    vs = vspace(onp.zeros(3))
    x, y = onp.array([1.0, 2.0, 3.0]), onp.array([0.5, -1.0, 2.0])
    onp.testing.assert_allclose(grad(lambda x: vs.inner_prod(x, y))(x), y)
    assert grad(lambda a: vs.inner_prod(vs.scalar_mul(x, a), y))(2.0) == pytest.approx(x @ y)


def test_vspace_of_unknown_type_explains():
    with pytest.raises(TypeError, match="register a space"):
        vspace("text")


def test_numpy_vjps_helpers():
    from teachgrad.numpy.numpy_vjps import match_complex, repeat_to_match_shape, unbroadcast_f
    g = unbroadcast_f(onp.ones((1, 3)), lambda g: g * 2.0)(onp.ones((4, 3)))
    onp.testing.assert_array_equal(g, [[8.0, 8.0, 8.0]])
    rep, n = repeat_to_match_shape(onp.array([1.0, 2.0]), (3, 2), float, 0, False)
    onp.testing.assert_array_equal(rep, [[1.0, 2.0]] * 3)
    assert n == 3
    assert match_complex(1.0, 2.0 + 1j) == 2.0 and match_complex(1j, 2.0) == 2.0 + 0j


def test_array_box_is_the_traced_array_type():
    from teachgrad.numpy.numpy_boxes import ArrayBox
    from teachgrad.numpy.numpy_vspaces import ArrayVSpace, ComplexArrayVSpace
    kinds = []
    grad(lambda x: kinds.append(type(x)) or np.sum(x))(onp.ones(2))
    assert kinds == [ArrayBox]
    assert type(vspace(onp.ones(2))) is ArrayVSpace and type(vspace(1j)) is ComplexArrayVSpace


def test_core_primitive_defvjp_with_todays_defvjp_function():
    from teachgrad.core import defvjp, primitive
    from teachgrad.tracer import primitive as tracer_primitive

    @tracer_primitive
    def f(x):
        return x * 2.0
    defvjp(f, lambda ans, x: lambda g: g * 2.0)
    assert grad(f)(1.0) == 2.0

    @primitive
    def h(x):
        return x * 3.0
    defvjp(h, lambda ans, x: lambda g: g * 3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")        # today's form gives no note
        assert grad(h)(1.0) == 3.0


class Bumps:
    """A function sum_i a_i exp(-(x - c_i)^2): a user's own differentiable type."""

    def __init__(self, coefs=None):
        self.coefs = dict(coefs or {})

    def __add__(self, other):
        out = dict(self.coefs)
        for c, a in other.coefs.items():
            out[c] = out.get(c, 0.0) + a
        return Bumps(out)

    def __mul__(self, s):
        return Bumps({c: a * s for c, a in self.coefs.items()})


def test_a_users_type_is_traced_with_its_registered_box():
    from teachgrad.extend import Box, VSpace, defvjp, primitive

    @primitive
    def evaluate(f, x):
        return sum((a * onp.exp(-(x - c) ** 2) for c, a in f.coefs.items()), 0.0)
    defvjp(evaluate, lambda ans, f, x: lambda g: Bumps({x: 1.0}) * g)

    class BumpsBox(Box, Bumps):
        pass
    BumpsBox.register(Bumps)

    class BumpsVSpace(VSpace):
        def __init__(self, value):
            pass

        def zeros(self):
            return Bumps()
    BumpsVSpace.register(Bumps)

    kinds = []

    def loss(f):
        kinds.append(type(f))
        return (evaluate(f, 1.0) - 3.0) ** 2 + evaluate(f, 2.0)
    f = Bumps({0.0: 1.0})
    g = grad(loss)(f)
    assert kinds == [BumpsBox] and isinstance(kinds[0], type) and issubclass(BumpsBox, Box)
    # d loss / d f = 2 (f(1) - 3) delta_1 + delta_2, as coefficients of bumps
    residual = onp.exp(-1.0) - 3.0
    assert set(g.coefs) == {1.0, 2.0}
    assert g.coefs[1.0] == pytest.approx(2 * residual) and g.coefs[2.0] == pytest.approx(1.0)
    assert type(vspace(f)) is BumpsVSpace and isinstance(grad(np.sin)(0.0), float)
    with pytest.raises(TypeError, match="subclass of Box"):
        Box.register(Bumps)


def test_full_graph_and_const_graph_node():
    from teachgrad.misc.tracers import ConstGraphNode, full_graph
    end = full_graph(lambda x, y: np.sin(x) * y, 0.5, 2.0)
    assert end.value == pytest.approx(onp.sin(0.5) * 2.0)
    fun, args, kwargs, parents = end.recipe
    assert [argnum for argnum, _ in parents] == [0, 1]
    sin_node = parents[0][1]
    assert sin_node.recipe[0].__name__ == "sin" and sin_node.value == pytest.approx(onp.sin(0.5))
    # ConstGraphNode recomputes a node from new parent values
    root = ConstGraphNode.new_root()
    _, node = trace(root, lambda x: x * 3.0 + 1.0, 2.0)
    (mul,) = [p for p in node.parents if p is not root]
    assert mul.partial_fun([5.0]) == 15.0 and node.partial_fun([15.0]) == 16.0


def test_autograds_reverse_mode_rebuilt_from_its_internals():
    """A course's "how autograd works" lesson: make_vjp written with trace, a Node class,
    toposort and primitive_vjps, as autograd's core does it, gives teachgrad's gradients."""

    class VJPNode(Node):
        def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
            self.parents = parents
            self.vjp = primitive_vjps[fun](parent_argnums, value, args, kwargs)

        def initialize_root(self):
            self.parents, self.vjp = [], lambda g: ()

    def lesson_make_vjp(fun, x):
        value, end = trace(VJPNode.new_root(), fun, x)

        def vjp(g):
            pending = {end: g}
            for node in toposort(end):
                g_node = pending.pop(node)
                for parent, g_parent in zip(node.parents, node.vjp(g_node)):
                    pending[parent] = pending[parent] + g_parent if parent in pending else g_parent
            return g_node
        return vjp, value

    f = lambda x: np.sum(np.tanh(x) * x + np.sin(x) ** 2)
    x = onp.array([0.3, -1.1, 2.0])
    vjp, value = lesson_make_vjp(f, x)
    assert value == pytest.approx(f(x))
    onp.testing.assert_allclose(vjp(1.0), grad(f)(x), rtol=1e-12)
