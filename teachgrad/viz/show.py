"""show_graph: record a call and draw its graph with values and gradients."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy

from ..containers import differentiable_kind
from ..differential_operators import Signature
from ..describe.names import output_name as name_of_output
from ..options import separates_function_keywords
from ..record import trace
from .picture import GraphPicture, in_notebook
from .render import DrawOptions, build


@separates_function_keywords
def show_graph(fun: Callable, *args, wrt: Sequence[int | str] | int | str | None = None,
               seed: Any = None, direction: str = "TB", digits: int = 4, values: bool = True,
               gradients: bool = True, local_derivatives: bool | None = None,
               node_limit: int = 150, legend: bool = True, reveal: bool = False,
               display: bool | None = None, kwargs: dict | None = None) -> GraphPicture:
    """Draw the graph of ``fun(*args, **kwargs)``, each node with its value and gradient.

    Returns a :class:`GraphPicture` (``.save("f.svg")``, ``.source``, ``.graph``);
    in a notebook it is also displayed, once.

    ``wrt`` chooses the arguments to differentiate (default: every float
    argument; the others are drawn as data). ``direction`` is "TB" (top to
    bottom) or "LR"; ``digits`` the significant digits shown; ``values`` and
    ``gradients`` switch those rows off; ``local_derivatives`` labels each
    edge with its local derivative ∂child/∂parent, or for arrays with the rule
    that sends the gradient back, with shapes (default: on for graphs of 30
    nodes or fewer); ``legend=False`` leaves out the key that says what a
    gradient row, an edge's label and each kind of box mean; graphs of more
    than ``node_limit`` nodes are summarised. ``reveal=True`` is for predicting
    first: the picture is drawn without gradients, and the same picture with
    them waits behind a click ("Show the gradients"), also in a notebook saved
    as HTML, with no kernel (its handle is ``.answer``). Other keywords
    go to ``fun``; when ``fun`` has a parameter named like one of these
    options, pass its keywords as ``kwargs={...}``.

    >>> import teachgrad.numpy as np
    >>> picture = show_graph(lambda x, y: np.sin(x * y), 1.0, 2.0)
    >>> [node.op for node in picture.graph.nodes]
    ['input', 'input', 'multiply', 'sin']
    >>> 'sin(v2)' in picture.source
    True
    """
    if direction not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"direction must be 'TB' (top to bottom) or 'LR' (left to right), not {direction!r}.")
    kwargs = kwargs or {}
    graph = trace(fun, *args, wrt=wrt, seed=seed, kwargs=kwargs)
    calls = graph.calls
    output_name = name_of_output(fun, graph)
    options = DrawOptions(direction=direction, digits=digits, values=values, gradients=gradients,
                          local_derivatives=local_derivatives, node_limit=node_limit,
                          output_name=output_name, legend=legend)
    data_leaves = data_leaves_of(fun, args, kwargs, graph)
    if reveal:
        options.gradients = False
    drawing = build(graph, calls, options, data_leaves)
    picture = GraphPicture(drawing.digraph, graph, drawing.notes, drawing.collapsed)
    if reveal:
        options.gradients = True
        full = build(graph, calls, options, data_leaves)
        picture.answer = GraphPicture(full.digraph, graph, full.notes, full.collapsed)
    if display if display is not None else in_notebook():
        picture.show()
    return picture


def data_leaves_of(fun, args, kwargs, graph) -> dict[int, tuple[str, Any]]:
    """Arrays and floats among the arguments that were not differentiated: drawn as data."""
    sig = Signature(fun)
    differentiated = {inp.name.split("[")[0].split(".")[0] for inp in graph.inputs}
    if sig.sig is None:
        named = {f"args[{i}]": a for i, a in enumerate(args)}
    else:
        named = dict(sig.with_defaults(sig.bind(args, kwargs)))
    leaves = {}

    def walk(value, path):
        if isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}[{k!r}]")
        elif isinstance(value, numpy.ndarray) or differentiable_kind(value) is not None:
            leaves[id(value)] = (path, value)
    for name, value in named.items():
        if name not in differentiated:
            walk(value, name)
    return leaves
