"""Tracing: how calls to primitives are recorded as nodes of a graph.

A *primitive* is a function whose derivative teachgrad knows (``sin``,
``multiply``, ``matmul``). When a primitive is called with traced values (nodes)
it unwraps them, computes the plain result with numpy, and records a new node
in the graph of the innermost active trace. Everything built from primitives
(any Python function, loop or recursion) is therefore traced for free.

Nested differentiation (``grad(grad(f))``) runs one trace inside another. Each
trace has a level; a node belongs to exactly one trace, and a primitive unwraps
only the nodes of the highest level among its arguments, so the values of
different derivatives never mix.
"""
from __future__ import annotations

import functools
import gc
import types
from typing import Any, Callable, Mapping

from .errors import EscapedValueError, NoGradientError, RefusedOptionError, explain
from .graph import Graph, Node
from .refusals import recorded_keywords, refused_message, traced_keywords_to_positions

_active: dict[int, Graph] = {}   # level -> graph of every trace now running
_float64: type = float       # numpy.float64 once array support is installed: a plain constant

# Array support, filled in once by install_array_support (teachgrad.numpy calls it at import).
# The engine itself knows nothing of numpy; until then traced values are plain Nodes.
node_type: Callable = Node              # makes every recorded node: Node(id, level, fun, ...)
list_to_array: Callable | None = None   # [x, 2 * x] -> one traced array
mutable_array_type: type | None = None  # constants of this type are frozen while recorded


def install_array_support(node_type: type, to_array: Callable, array_type: type) -> None:
    """Teach the engine about arrays; ``teachgrad.numpy`` calls this once, at import.

    * ``node_type``: the Node subclass traced values are made of (it gives
      them array operators: ``x * y``, ``x.T``, ``x[0]``);
    * ``to_array``: turns a list or tuple holding traced values into one
      traced array, so ``np.mean([x, 2 * x])`` is recorded;
    * ``array_type``: the mutable array type whose constants a trace keeps
      read-only while it may still need them (``numpy.ndarray``).

    What teachgrad.numpy does (``array`` is its list-to-array function)::

        install_array_support(ArrayNode, array, numpy.ndarray)
    """
    global list_to_array, mutable_array_type, _float64
    replace_node_factory(node_type)
    list_to_array = to_array
    mutable_array_type = array_type
    _float64 = array_type((), float).dtype.type     # numpy.float64, a constant like a float


def replace_node_factory(factory: Callable) -> Callable:
    """Make every new node with ``factory`` (same arguments as Node); returns the previous one.

    teachgrad.compat uses it so that a user's registered Box class wraps values of its type.
    """
    global node_type
    previous, node_type = node_type, factory
    return previous


class Primitive:
    """A function that records itself in the graph when given traced values.

    Its gradient is registered separately with :func:`teachgrad.extend.defvjp`.
    Called with plain values it is exactly the wrapped function.

    Two optional tables (filled for teachgrad.numpy's primitives by
    teachgrad/numpy/keywords.py, empty for users' own primitives) say how a
    *recorded* call treats what is not traced:

    * ``keywords``: keyword name -> :data:`~teachgrad.refusals.KEEP`, the name it is an alias of,
      or a :class:`~teachgrad.refusals.Refused` entry (see :mod:`teachgrad.refusals`).
      ``None`` keeps every keyword.
    * ``array_positions``: where a list or tuple is an array constant (made
      one once, when the node is recorded, so gradient rules see an array);
    * ``positions``: position -> :class:`Refused`, for an option numpy also
      takes by position.
    """

    keywords: dict | None = None
    kept: frozenset = frozenset()        # the KEEP keywords: a call with only these needs no work
    array_positions: frozenset = frozenset()
    _positions: Mapping = types.MappingProxyType({})
    _lean_arity: int = 1 << 30           # calls with at most this many arguments meet no Refused

    @property
    def positions(self) -> Mapping:
        """position -> :class:`Refused`, read-only: assign a new dict to change it (the lean
        path of ``__call__`` reads the lowest refused position from the assignment)."""
        return self._positions

    @positions.setter
    def positions(self, rules: dict) -> None:
        self._positions = types.MappingProxyType(dict(rules))
        self._lean_arity = min(rules, default=1 << 30)

    def __init__(self, fun: Callable, name: str | None = None):
        self.fun = fun
        self.name = name or getattr(fun, "__name__", type(fun).__name__)
        # How the gradient was registered (teachgrad.extend): one maker per argument, or one
        # maker for all arguments at once. Everything that needs the gradient calls chain_rule.
        self.vjp_makers: dict[int, Callable] = {}   # argnum -> maker(ans, *args, **kw)
        self._vjp_argnums_maker: Callable | None = None
        self.formulas: dict[int, str] = {}           # argnum -> human-readable local derivative
        self.jvp_makers: dict[int, Callable] = {}   # forward mode: argnum -> maker(g, ans, *args, **kw)
        self.jvp_argnum_maker: Callable | None = None
        functools.update_wrapper(self, fun, updated=())
        self._share_attributes(fun)

    def _share_attributes(self, fun: Callable) -> None:
        """Give the primitive the wrapped function's own attributes (np.add.outer, np.add.nin).

        They are copied once, here: a ``__getattr__`` falling back to ``fun`` would make
        every attribute read of every primitive slower (CPython cannot specialise them),
        and the engine reads them on each recorded call. The primitive's own attributes win.
        """
        own = self.__dict__
        # A Python function's own attributes are all in its __dict__ (dir() is slower to ask)
        for attr in list(fun.__dict__) if type(fun) is types.FunctionType else dir(fun):
            if attr.startswith("__") or attr in own or hasattr(type(self), attr):
                continue
            try:
                own[attr] = getattr(fun, attr)
            except AttributeError:
                pass

    def __call__(self, *args, **kwargs):
        # The lean path, for the usual call: no keywords, no refused option among the
        # positions, every argument a traced value of one trace (not itself holding an outer
        # trace's value), a number or a numpy array (a constant, frozen as the general path
        # freezes it); or only plain numbers and arrays (gradient rules call so). It records
        # exactly the node the general path (_call) would, or returns the plain result it
        # would. Anything else (lists, keywords, nested or escaped values, refusals) goes to
        # the general path, which handles and refuses as it always has.
        if not kwargs and len(args) <= self._lean_arity:
            if len(args) == 1:                      # sin(x), the commonest of all
                a = args[0]
                if isinstance(a, Node):
                    value = a.value
                    graph = _active.get(a.level)
                    if graph is not None and not isinstance(value, Node):
                        nodes = graph.nodes
                        node = node_type(len(nodes), a.level, self, ((0, a),), self.fun(value),
                                         (value,), None)
                        nodes.append(node)
                        if graph.watcher is not None:
                            graph.watcher(node)
                        return node
                elif type(a) is not list and type(a) is not tuple:
                    return self.fun(a)              # a plain value (gradient rules call so)
                return self._call(args, kwargs)
            level = 0
            arrays = False
            raw = []
            parents = []
            i = 0
            for a in args:
                kind = type(a)
                if kind is float or kind is int or kind is _float64:
                    raw.append(a)
                elif isinstance(a, Node) and (a.level == level or not level) \
                        and not isinstance(a.value, Node):
                    level = a.level
                    raw.append(a.value)
                    parents.append((i, a))
                elif kind is mutable_array_type:    # plain if nothing is traced, else a constant
                    raw.append(a)
                    arrays = True
                else:
                    break
                i += 1
            else:
                if not level:
                    return self.fun(*args)
                graph = _active.get(level)
                if graph is not None:
                    if arrays:
                        _freeze_constants(graph, args)
                    value = self.fun(*raw)
                    nodes = graph.nodes
                    node = node_type(len(nodes), level, self, tuple(parents), value, tuple(raw), None)
                    nodes.append(node)
                    if graph.watcher is not None:
                        graph.watcher(node)
                    return node
        return self._call(args, kwargs)

    def operator(self, reflected: bool = False) -> Callable:
        """A node's operator method for this primitive of two arguments: ``x * y`` is
        ``multiply(x, y)``; ``reflected`` makes ``__rmul__``: ``y * x``.

        The method records what ``self(x, y)`` records, without that second call (an
        operator is the commonest recorded call of all, and each Python call costs):
        the lean path's usual case (the other operand a number or a node of the same
        trace) done here, anything else handed to ``self(...)``.

        >>> import teachgrad.numpy as np
        >>> from teachgrad import trace
        >>> [node.op for node in trace(lambda x: 2.0 * x + x, 3.0).nodes]
        ['input', 'multiply', 'add']
        """
        prim, fun = self, self.fun

        def method(node, other):
            graph = _active.get(node.level)
            value = node.value
            if graph is not None and prim._lean_arity > 1 and not isinstance(value, Node):
                kind = type(other)
                if kind is float or kind is int or kind is _float64:
                    if reflected:
                        args, parents = (other, value), ((1, node),)
                    else:
                        args, parents = (value, other), ((0, node),)
                elif isinstance(other, Node) and other.level == node.level \
                        and not isinstance(other.value, Node):
                    if reflected:
                        args, parents = (other.value, value), ((0, other), (1, node))
                    else:
                        args, parents = (value, other.value), ((0, node), (1, other))
                elif kind is mutable_array_type:        # a constant array (x * mask)
                    _freeze_constants(graph, (other,))
                    if reflected:
                        args, parents = (other, value), ((1, node),)
                    else:
                        args, parents = (value, other), ((0, node),)
                else:
                    return prim(other, node) if reflected else prim(node, other)
                nodes = graph.nodes
                new = node_type(len(nodes), node.level, prim, parents, fun(*args), args, None)
                nodes.append(new)
                if graph.watcher is not None:
                    graph.watcher(new)
                return new
            return prim(other, node) if reflected else prim(node, other)
        method.__name__ = f"{self.name} operator" + (" (reflected)" if reflected else "")
        method.primitive, method.reflected = prim, reflected
        return method

    def _call(self, args: tuple, kwargs: dict):
        """The general path of a call: keywords, lists, arrays, nested traces, refusals."""
        if kwargs:
            for v in kwargs.values():          # (a loop: any() over a generator costs more)
                if isinstance(v, Node):
                    args, kwargs = self._traced_keywords_to_positions(args, kwargs)
                    break
        level = 0
        sequences = False
        for a in args:
            if isinstance(a, Node):
                if a.level > level:
                    level = a.level
            elif type(a) is list or type(a) is tuple:
                sequences = True
        if not level:
            if sequences and list_to_array is not None and _holds_node(args):
                # np.mean([a, 2 * a]): make the list one traced array, then record
                return self(*[list_to_array(b) if (type(b) is list or type(b) is tuple)
                              and _holds_node(b) else b for b in args], **kwargs)
            # Plain values (gradient rules call primitives so, many times per backward pass).
            return self.fun(*args, **kwargs) if kwargs else self.fun(*args)
        # Record a node in the innermost trace (this is the engine's hot path).
        graph = _active.get(level)
        if graph is None:
            raise EscapedValueError(escaped_message(self.name))
        if kwargs:
            if not kwargs.keys() <= self.kept:
                kwargs = recorded_keywords(self, kwargs)
            for v in kwargs.values():
                if type(v) is mutable_array_type and v.flags.writeable:
                    v.setflags(write=False)                    # where=mask: kept like a constant
                    graph.frozen.append(v)
        raw = list(args)
        parents = []
        nested = False
        positions = self.positions
        for i, a in enumerate(args):
            if isinstance(a, Node):
                if i and positions and i in positions:      # np.multiply(x, x, y): y is out=
                    raise RefusedOptionError(refused_message(self, positions[i].name, positions[i]))
                if a.level == level:
                    value = raw[i] = a.value
                    parents.append((i, a))
                    if isinstance(value, Node):
                        nested = True
                else:
                    nested = True
                continue
            kind = type(a)
            if kind is float or kind is int:                # the usual constant: nothing to do
                if positions and i in positions:
                    raw[i] = self._recorded_constant(i, a)
                continue
            if kind is list or kind is tuple or (positions and i in positions):
                constant = raw[i] = self._recorded_constant(i, a)
                if isinstance(constant, Node):      # a list holding traced values: one traced array
                    return self(*args[:i], constant, *args[i + 1:], **kwargs)
            elif kind is mutable_array_type and id(a) not in graph.seen_arrays:
                _freeze_constants(graph, (a,))
        # Values of outer traces are still nodes: record there too (grad of grad).
        if nested:
            value = self(*raw, **kwargs)
        else:
            value = self.fun(*raw, **kwargs) if kwargs else self.fun(*raw)
        nodes = graph.nodes
        node = node_type(len(nodes), level, self, tuple(parents), value, tuple(raw), kwargs or None)
        nodes.append(node)
        if graph.watcher is not None:
            graph.watcher(node)
        return node

    def chain_rule(self, upstream: Any, argnums: list, ans: Any, args: tuple,
                   kwargs: dict | None) -> list:
        """The gradient this primitive sends back to each argument in ``argnums``.

        One application of the chain rule at a node ``ans = self(*args, **kwargs)``:
        for each argnum, ``upstream`` (d output / d ans) times d ans / d args[argnum].
        This is the one entry point to a primitive's gradient, whichever way it was
        registered (:mod:`teachgrad.extend`): whatever needs the gradient (the backward
        pass, forward mode's derived tangents, drawing, checking) calls it.
        ``kwargs`` may be ``None``.

        >>> import teachgrad.numpy as np
        >>> np.multiply.chain_rule(1.0, [0, 1], 6.0, (2.0, 3.0), None)
        [3.0, 2.0]
        """
        # Gradients registered one maker or rule per argument (defvjp, defgradient). A
        # primitive registered with defvjp_argnums holds its own chain_rule instead (see
        # vjp_argnums_maker). grad's backward pass does what this does without calling it
        # (backprop.input_gradients: one call fewer per node), and
        # tests/test_speed_paths.py holds the two equal.
        return [function(upstream, *fixed)
                for function, fixed in self.local_gradients(argnums, ans, args, kwargs)]

    def pullback(self, argnums: list, ans: Any, args: tuple, kwargs: dict | None) -> Callable:
        """:meth:`chain_rule` with the local derivatives made once: ``upstream -> gradients``.

        ``pullback(argnums, ans, args, kwargs)(upstream)`` gives what
        ``chain_rule(upstream, argnums, ans, args, kwargs)`` gives, for a graph walked
        back many times (``make_vjp``'s ``vjp``: ``jacobian``, ``hessian``).

        >>> import teachgrad.numpy as np
        >>> times = np.multiply.pullback([0, 1], 6.0, (2.0, 3.0), None)
        >>> times(1.0), times(2.0)
        ([3.0, 2.0], [6.0, 4.0])
        """
        local = self.local_gradients(argnums, ans, args, kwargs)
        return lambda upstream: [function(upstream, *fixed) for function, fixed in local]

    def local_gradients(self, argnums: list, ans: Any, args: tuple,
                        kwargs: dict | None) -> list[tuple[Callable, tuple]]:
        """For each argnum, ``(function, fixed)``: that argument's gradient is
        ``function(upstream, *fixed)``, for any upstream gradient.

        A node's local derivatives depend on its value and arguments, never on
        ``upstream``, so they can be made once and applied on every backward pass
        over the node. For a rule (defgradient) ``function`` is the rule and ``fixed``
        is ``(ans, *args)``; for a maker (defvjp) it is the function of ``g`` the maker
        returns, with nothing fixed. (Gradients registered per argument; a primitive
        registered with defvjp_argnums has only :meth:`chain_rule` and :meth:`pullback`.)

        >>> import teachgrad.numpy as np
        >>> [function(2.0, *fixed) for function, fixed in
        ...  np.multiply.local_gradients([0, 1], 6.0, (2.0, 3.0), None)]
        [6.0, 4.0]
        """
        makers = self.vjp_makers
        local = []
        for argnum in argnums:
            maker = makers.get(argnum)
            if type(maker) is GradientRule and not kwargs and maker.maker is None:
                local.append((maker.rule, (ans, *args)))     # no function of g to make
            elif maker is None:
                raise NoGradientError(no_gradient_message(self, argnum))
            else:
                local.append((maker(ans, *args, **kwargs) if kwargs else maker(ans, *args), ()))
        return local

    @property
    def vjp_argnums_maker(self) -> Callable | None:
        """The maker registered for all arguments at once (defvjp_argnums), if any."""
        return self._vjp_argnums_maker

    @vjp_argnums_maker.setter
    def vjp_argnums_maker(self, maker: Callable | None) -> None:
        self._vjp_argnums_maker = maker
        if maker is None:
            self.__dict__.pop("chain_rule", None)
            self.__dict__.pop("pullback", None)
        else:
            self.chain_rule = _chain_rule_all_at_once(self, maker)
            self.pullback = _pullback_all_at_once(self, maker)

    def has_gradient(self, argnum: int | None = None) -> bool:
        """Whether a gradient is registered: for argument ``argnum``, or for any argument.

        >>> import teachgrad.numpy as np
        >>> np.sin.has_gradient(0), np.sin.has_gradient(1)
        (True, False)
        """
        if self._vjp_argnums_maker is not None:
            return True
        return bool(self.vjp_makers) if argnum is None else argnum in self.vjp_makers

    def _recorded_constant(self, i: int, value: Any) -> Any:
        rule = self.positions.get(i)
        if rule is not None:
            if not rule.allows(value):
                raise RefusedOptionError(refused_message(self, rule.name, rule))
        elif i in self.array_positions:
            if list_to_array is not None and _holds_node(value):
                return list_to_array(value)
            import numpy
            return numpy.asarray(value)
        return value

    def _traced_keywords_to_positions(self, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        # (a method, so that a kind of primitive can bind its arguments its own way: scipy's)
        return traced_keywords_to_positions(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<teachgrad primitive {self.name}>"

    def __get__(self, obj, objtype=None):
        # Behave like a plain function when stored as a class attribute.
        return self if obj is None else functools.partial(self, obj)


class GradientRule:
    """A gradient registered as one function of ``g`` (:func:`teachgrad.extend.defgradient`).

    ``rule(g, ans, *args, **kwargs)`` is the gradient for one argument: ``g`` times
    d ans / d that argument. Kept in ``Primitive.vjp_makers`` like any maker, and
    called like one (``maker(ans, *args)`` gives ``g -> rule(g, ans, *args)``), so
    everything that reads makers works unchanged; the backward pass spots the type and
    calls ``rule`` directly, without making a closure per node.

    ``maker``, if given, is a defvjp maker meaning the same as ``rule``: then ``rule``
    does the commonest cases itself (one pass, as grad makes) and hands the rest to the
    maker, and passes repeated over one node (jacobian, hessian) use the maker, which
    decides its case once per node rather than once per pass.

    >>> import teachgrad.numpy as np
    >>> double = GradientRule(lambda g, ans, x: 2.0 * g)
    >>> double(6.0, 3.0)(1.5), double.rule(1.5, 6.0, 3.0)
    (3.0, 3.0)
    """

    __slots__ = ("rule", "maker")

    def __init__(self, rule: Callable, maker: Callable | None = None):
        self.rule = rule
        self.maker = maker

    def __call__(self, ans, *args, **kwargs) -> Callable:
        if self.maker is not None:
            return self.maker(ans, *args, **kwargs)
        rule = self.rule
        if kwargs:
            return lambda g: rule(g, ans, *args, **kwargs)
        return lambda g: rule(g, ans, *args)

    def __repr__(self) -> str:
        return f"GradientRule({getattr(self.rule, '__qualname__', self.rule)!r})"


def _chain_rule_all_at_once(prim: Primitive, maker: Callable) -> Callable:
    """:meth:`Primitive.chain_rule` for a maker of all arguments at once (defvjp_argnums)."""
    def chain_rule(upstream, argnums, ans, args, kwargs):
        sent = list(maker(argnums, ans, args, kwargs or {})(upstream))
        if len(sent) < len(argnums):
            raise TypeError(too_few_gradients_message(prim, argnums, sent))
        return sent
    chain_rule.__doc__ = Primitive.chain_rule.__doc__
    return chain_rule


def _pullback_all_at_once(prim: Primitive, maker: Callable) -> Callable:
    """:meth:`Primitive.pullback` for a maker of all arguments at once (defvjp_argnums)."""
    def pullback(argnums, ans, args, kwargs):
        vjp = maker(argnums, ans, args, kwargs or {})

        def apply(upstream):
            sent = list(vjp(upstream))
            if len(sent) < len(argnums):
                raise TypeError(too_few_gradients_message(prim, argnums, sent))
            return sent
        return apply
    pullback.__doc__ = Primitive.pullback.__doc__
    return pullback


def no_gradient_message(prim, argnum: int) -> str:
    name = prim.name
    qualified = getattr(prim, "qualified_name", name)
    return explain(
        f"{qualified} has no gradient in teachgrad (argument {argnum}), but the "
        "output depends on it through this argument.",
        "teachgrad only differentiates functions whose derivative has been registered.",
        f"compute the value another way with functions that have gradients, or "
        f"register one yourself:\n"
        f"    from teachgrad.extend import defvjp\n"
        f"    defvjp({qualified}, lambda ans, *args: lambda g: ...)   "
        f"# g times d{name}/d(argument {argnum})")


def too_few_gradients_message(prim, argnums: list, sent: list) -> str:
    name = getattr(prim, "qualified_name", prim.name)
    return explain(
        f"The gradient maker of {name} was asked for the gradients of arguments {argnums} "
        f"but returned {len(sent)} gradient(s).",
        "a maker registered with defvjp_argnums returns a function of g that gives one "
        "gradient per entry of argnums, in that order; a missing one would silently be zero.",
        "return a tuple with one entry per argnum, for example "
        "lambda g: tuple(gradient_for(i, g) for i in argnums).")


def _freeze_constants(graph: Graph, args) -> None:
    """Make the arrays among ``args`` read-only until ``graph``'s trace ends.

    A recorded node keeps its constant arrays for the backward pass: if the function
    changed one afterwards (``buf[:] = ...``), the gradient would silently use the new
    values. Each array is looked at once per trace (``graph.seen_arrays``).
    """
    seen = graph.seen_arrays
    for a in args:
        if type(a) is mutable_array_type and id(a) not in seen:
            seen.add(id(a))
            if a.flags.writeable:
                a.setflags(write=False)
                graph.frozen.append(a)


def _holds_node(items) -> bool:
    return any(isinstance(i, Node) or ((type(i) is list or type(i) is tuple) and _holds_node(i))
               for i in items)


def escaped_message(what: str) -> str:
    return explain(
        f"{what} was given a traced value whose grad call has already returned.",
        "a traced value only exists while teachgrad is recording one call of your "
        "function; keeping it (in a global variable, a list outside the function, "
        "a closure) and using it later has no graph to record into.",
        "return the value from the function, or compute it again from plain numbers.")


# Python 3.12.0-3.12.1 copy __type_params__ too, which fails for a class such as `type`.
_WRAPPER_ASSIGNMENTS = tuple(a for a in functools.WRAPPER_ASSIGNMENTS if a != "__type_params__")


def notrace_primitive(fun: Callable) -> Callable:
    """Wrap ``fun`` so that traced arguments are replaced by their plain values.

    For functions with no derivative worth recording (shapes, argmax,
    comparisons): the result is a plain value, never a node.

    >>> import numpy
    >>> shape = notrace_primitive(numpy.shape)
    """
    @functools.wraps(fun, assigned=_WRAPPER_ASSIGNMENTS)
    def plain(*args, **kwargs):
        return fun(*[unwrap(a) for a in args],
                   **{k: unwrap(v) for k, v in kwargs.items()} if kwargs else {})
    plain.notrace = True
    return plain


def unwrap(value: Any) -> Any:
    """The plain value under any number of trace levels."""
    while isinstance(value, Node):
        value = value.value
    return value


def new_input(graph: Graph, value: Any, name: str) -> Node:
    """Make ``value`` an input node of ``graph``, called ``name``."""
    node = node_type(len(graph.nodes), graph.level, None, (), value, (), None, name)
    graph.nodes.append(node)
    graph.inputs.append(node)
    return node


class recording:
    """``with recording(graph):`` makes ``graph`` the innermost active trace while the block runs.

    (A class rather than a ``@contextmanager`` generator: it is entered on every grad
    call, and a generator-based context manager costs several times as much.)
    """

    __slots__ = ("graph",)

    def __init__(self, graph: Graph):
        self.graph = graph

    def __enter__(self) -> Graph:
        graph = self.graph
        _active[graph.level] = graph
        graph.recording = True
        return graph

    def __exit__(self, *exc_info) -> None:
        graph = self.graph
        graph.recording = False
        del _active[graph.level]
        if graph.frozen:
            left = thaw(graph.frozen)
            if left and _active:             # views of an array an outer trace still holds
                _active[max(_active)].frozen.extend(left)


def anything_recording() -> bool:
    """Whether any trace is recording now (then gradient rules may record nodes too).

    >>> anything_recording()
    False
    """
    return bool(_active)


def recording_graph(level: int) -> Graph | None:
    """The graph that the trace at ``level`` is recording now (a node's ``level``), else None.

    >>> recording_graph(-1) is None
    True
    """
    return _active.get(level)


def thaw(arrays: list) -> list:
    """Make writeable again the arrays a trace made read-only; return those that cannot be yet.

    A view can only be made writeable once its base is: retry until every
    array is done (bases and views may come in any order).
    """
    pending = arrays[:]
    arrays.clear()
    while pending:
        left = [array for array in pending if not _made_writeable(array)]
        if len(left) == len(pending):
            return left
        pending = left
    return []


def _made_writeable(array) -> bool:
    try:
        array.setflags(write=True)
        return True
    except ValueError:
        return False


def name(value: Any, label: str) -> Any:
    """Give a traced value the name drawings and errors will use; returns ``value``.

    Outside a trace (plain values) it does nothing.

    >>> import teachgrad.numpy as np
    >>> from teachgrad import trace
    >>> g = trace(lambda x: name(x * 2.0, "doubled") + 1.0, 3.0)
    >>> g.nodes[1].name
    'doubled'
    """
    if isinstance(value, Node):
        value.name = label
    return value


class cycle_collection_paused:
    """``with cycle_collection_paused():`` pauses Python's cycle collector while a graph is
    recorded and walked back.

    The graph holds no reference cycles (nodes point only to their parents),
    so reference counting frees it; but each run of the cycle collector
    would scan every live node, making long traces quadratically slow.
    Nested uses leave the collector to the outermost one. (A class rather than
    a ``@contextmanager`` generator: it is entered on every grad call.)
    """

    __slots__ = ("paused",)

    def __enter__(self) -> None:
        self.paused = gc.isenabled()
        if self.paused:
            gc.disable()

    def __exit__(self, *exc_info) -> None:
        if self.paused:
            gc.enable()
