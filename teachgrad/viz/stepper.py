"""step_through: a widget that replays the recorded computation one step at a time.

First the forward pass, node by node; then the backward pass, one step of the
backward generator at a time, each step saying what the chain rule did.

The graph is laid out once (one ``dot`` run). A frame is only a few CSS
rules over that one SVG (which nodes are computed, which gradients are known,
what is highlighted) plus a sentence, so moving a step is instant and nodes
never jump. The same frames make the kernel-free HTML file.
"""
from __future__ import annotations

import pathlib
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ..backprop import Step
from ..describe.names import node_name, output_name as name_of_output
from ..describe.steps import Explainer
from ..errors import TeachgradError, explain
from ..graph import Graph, Node
from ..options import separates_function_keywords
from ..record import trace
from .picture import GraphPicture
from .render import (HIGHLIGHT, DrawOptions, FrameStyle, build, gradient_rows, group_title,
                     summary_groups)
from .show import data_leaves_of

class StepperError(TeachgradError, ValueError):
    """The function cannot be stepped through as asked."""


class StyleSheet:
    """How a :class:`FrameStyle` looks as CSS over the one laid-out SVG.

    ``element(i)`` is the CSS selector of node (or box) ``i``, ``edges_into[i]``
    those of the edges drawn into it: the ids :func:`render.build` gave the
    SVG. Gradient rows are found with :func:`render.gradient_rows`.
    """

    def __init__(self, scope: str, element: Callable[[int], str], edges_into: dict[int, list[str]],
                 count: int, edge: Callable[[tuple], str] | None = None):
        self.scope = scope
        self.element = element
        self.edges_into = edges_into
        self.count = count              # how many nodes (or boxes) there are
        self.edge = edge                # (parent, child, argnum) -> the edge's selector

    def css(self, style: FrameStyle) -> str:
        rules = []
        if style.unknown and len(style.unknown) == self.count:       # no gradient known yet
            rules.append(gradient_rows(f"#{self.scope}") + " {visibility:hidden}")
        if style.current is not None:
            e = self.element(style.current)
            rules.append(f"{e} > path, {e} > polygon {{stroke:{HIGHLIGHT};stroke-width:4px}}")
        if style.unknown and len(style.unknown) < self.count:
            rules.append(", ".join(gradient_rows(f"#{self.scope} {self.element(i)}")
                                   for i in sorted(style.unknown)) + " {visibility:hidden}")
        if style.hidden:
            later = sorted(style.hidden)
            rules.append(", ".join([self.element(i) for i in later]
                                   + [e for i in later for e in self.edges_into.get(i, [])])
                         + " {opacity:0.07}")
        if style.sending:
            rules.append(", ".join(f"{e} path, {e} polygon" for e in map(self.edge, style.sending))
                         + f" {{stroke:{HIGHLIGHT};stroke-width:3px}}")
        return "\n".join(rules)


@dataclass(frozen=True)
class Frame:
    """One position of the stepper: what it is about, what it says, and how the picture looks."""
    phase: str              # "forward" or "backward"
    number: int             # 1-based, within the phase
    total: int              # steps in this phase
    node: Node              # the node this step is about
    step: Step | None       # the backward step (None in the forward phase)
    explanation: str        # HTML
    style: FrameStyle       # how the one picture looks at this step
    sheet: StyleSheet = field(repr=False, compare=False)

    @property
    def css(self) -> str:
        """The style as CSS rules over the one SVG."""
        return self.sheet.css(self.style)

    @property
    def title(self) -> str:
        return f"{self.phase} {self.number}/{self.total}"


def build_frames(graph: Graph, explainer: Explainer, prefix: str, scope: str,
                 data_ids: set[int]) -> list[Frame]:
    """Every step's style and explanation; the ids are those render.build gave the SVG."""
    nodes = graph.nodes
    edges_into = {}
    for n in nodes:
        parents = dict(n.parents)
        edges_into[n.id] = [f"#{prefix}e{p.id}_{n.id}_{a}" for a, p in n.parents] + [
            f"#{prefix}e_d{id(arg)}_{n.id}_{i}" for i, arg in enumerate(n.args)
            if id(arg) in data_ids and i not in parents]
    sheet = StyleSheet(scope, lambda i: f"#{prefix}n{i}", edges_into, len(nodes),
                       edge=lambda e: f"#{prefix}e{e[0]}_{e[1]}_{e[2]}")
    frames = []
    for k, node in enumerate(nodes):
        style = FrameStyle(current=node.id, hidden=frozenset(n.id for n in nodes[k + 1:]),
                           unknown=frozenset(n.id for n in nodes))
        frames.append(Frame("forward", k + 1, len(nodes), node, None,
                            explainer.forward(node, k + 1, len(nodes)), style, sheet))

    steps = graph.steps
    # A gradient is known once the last contribution to it has been sent.
    done_at = {}
    for j, step in enumerate(steps):
        done_at.setdefault(step.node.id, j)
        for parent, _, _ in step.contributions:
            done_at[parent.id] = j
    for j, step in enumerate(steps):
        pending = frozenset(n.id for n in nodes if n.id in done_at and done_at[n.id] > j)
        style = FrameStyle(current=step.node.id, unknown=pending,
                           sending=tuple((p.id, step.node.id, a) for p, a, _ in step.contributions))
        frames.append(Frame("backward", j + 1, len(steps), step.node, step,
                            explainer.backward(step, j + 1, len(steps)), style, sheet))
    return frames


class Stepper:
    """The stepper: ``next()``, ``prev()``, ``goto(i)``, ``reset()``, ``index``, ``steps``.

    Displaying it in a notebook shows the controls, the graph with the current
    node highlighted, and what the chain rule did at this step.
    """

    def __init__(self, graph: Graph, picture: GraphPicture, frames: list[Frame], scope: str,
                 redraw: Callable[[FrameStyle], Any] | None = None):
        self.graph = graph
        self._redraw = redraw             # FrameStyle -> graphviz.Digraph of that frame
        self.picture = picture
        self.steps = frames
        self.scope = scope
        self.svg = picture.svg()          # laid out once; every frame is a style over it
        self._index = 0
        self._widget = None

    # --- driving it ------------------------------------------------------------
    @property
    def index(self) -> int:
        return self._index

    @property
    def frame(self) -> Frame:
        return self.steps[self._index]

    def goto(self, i: int) -> "Stepper":
        if not -len(self.steps) <= i < len(self.steps):
            raise IndexError(f"There are {len(self.steps)} steps, numbered 0 to {len(self.steps) - 1}; "
                             f"goto({i}) is outside them.")
        self._index = i % len(self.steps)
        if self._widget is not None:
            self._widget.show(self._index)
        return self

    def next(self) -> "Stepper":
        return self.goto(min(self._index + 1, len(self.steps) - 1))

    def prev(self) -> "Stepper":
        return self.goto(max(self._index - 1, 0))

    def reset(self) -> "Stepper":
        return self.goto(0)

    def last(self) -> "Stepper":
        return self.goto(len(self.steps) - 1)

    # --- what a frame looks like ----------------------------------------------
    def frame_html(self, i: int | None = None, copy: str = "") -> str:
        """The graph as it looks at step ``i`` (default: the current one).

        A ``copy`` suffix renames every id, so that a second picture on the same
        page (the static one) cannot pick up this one's style rules, or the reverse.
        """
        frame = self.steps[self._index if i is None else i]
        css, svg, scope = frame.css, self.svg, self.scope
        if copy:
            css = css.replace(f"#{scope}", f"#{scope}{copy}")
            svg = svg.replace(f'id="{scope}', f'id="{scope}{copy}')
        return f'<div id="{scope}{copy}"><style>{css}</style>{svg}</div>'

    def frame_drawing(self, i: int | None = None):
        """Step ``i`` (default: the current one) drawn on its own: a ``graphviz.Digraph`` with the
        frame's colours and the same layout (what save_gif draws)."""
        return self._redraw(self.steps[self._index if i is None else i].style)

    def explanation_html(self, i: int | None = None) -> str:
        return self.steps[self._index if i is None else i].explanation

    # --- notebooks -------------------------------------------------------------
    @property
    def widget(self):
        if self._widget is None:
            from .stepper_widget import StepperWidget
            self._widget = StepperWidget(self)
        return self._widget

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self.widget)
        # For viewers that run no widgets (a notebook reopened without its kernel, exported
        # HTML, GitHub): the final frame as a plain picture. The live widget hides it with a
        # style rule, so a running notebook shows the stepper only.
        # Colab shows each output in its own frame, out of reach of that style rule: there a
        # line of script hides the copy (Colab runs it; exported HTML has no google.colab).
        hide_in_colab = ('<script>if (window.google && window.google.colab) '
                         'document.currentScript.parentElement.style.display = "none";</script>')
        display({"text/html": f'<div class="{self.static_class}">{self.static_html()}{hide_in_colab}</div>',
                 "text/plain": repr(self)}, raw=True)

    @property
    def static_class(self) -> str:
        return f"teachgrad-static-{self.scope}"

    def static_html(self) -> str:
        last = len(self.steps) - 1
        return (self.frame_html(last, copy="static")
                + f'<div style="font-family:sans-serif;font-size:13px">{self.steps[last].explanation}</div>'
                + '<div style="color:#777;font-size:11px">(The final step of teachgrad\'s stepper: '
                  'run the notebook to step through it, or use save_html.)</div>')

    def save_html(self, path: str | pathlib.Path) -> pathlib.Path:
        """One self-contained HTML file that steps with the same controls, no kernel or internet."""
        from .stepper_html import standalone_html
        path = pathlib.Path(path)
        path.write_text(standalone_html(self), encoding="utf-8")
        return path

    def save_gif(self, path: str | pathlib.Path, seconds_per_step: float = 0.8) -> pathlib.Path:
        """An animation of every step, for slides (needs Pillow)."""
        from .stepper_gif import save_gif
        return save_gif(self, pathlib.Path(path), seconds_per_step)

    def __repr__(self) -> str:
        return f"<teachgrad stepper at {self.frame.title} of {len(self.steps)} steps>"


def build_summary_frames(graph: Graph, explainer: Explainer, prefix: str, scope: str) -> list[Frame]:
    """Frames over the summary drawing: one step per box (a line of code, an input, the output)."""
    groups = list(summary_groups(graph).items())
    edges_into = {}
    for a, (_, members) in enumerate(groups):
        for b, (_, others) in enumerate(groups):
            if a != b and any(p.id in {n.id for n in members} for n in others for _, p in n.parents):
                edges_into.setdefault(b, []).append(f"#{prefix}ge{a}_{b}")
    sheet = StyleSheet(scope, lambda i: f"#{prefix}g{i}", edges_into, len(groups))
    frames = []
    total = len(groups)
    for k, (key, members) in enumerate(groups):
        text = explainer.summary_forward(key[0], group_title(key, members, node_name), members, k + 1, total)
        style = FrameStyle(current=k, hidden=frozenset(range(k + 1, total)), unknown=frozenset(range(total)))
        frames.append(Frame("forward", k + 1, total, members[-1], None, text, style, sheet))

    position = {s.node.id: j for j, s in enumerate(graph.steps)}
    reached = sorted((min(position[n.id] for n in members if n.id in position), i, key, members)
                     for i, (key, members) in enumerate(groups) if any(n.id in position for n in members))
    order = [i for _, i, _, _ in reached]
    for j, (_, i, key, members) in enumerate(reached):
        steps = [graph.steps[position[n.id]] for n in members if n.id in position]
        text = explainer.summary_backward(key[0], group_title(key, members, node_name), steps,
                                          j + 1, len(reached))
        style = FrameStyle(current=i, unknown=frozenset(order[j + 1:]))
        frames.append(Frame("backward", j + 1, len(reached), steps[0].node, steps[0], text, style, sheet))
    return frames


@separates_function_keywords
def step_through(fun: Callable, *args, wrt: Sequence[int | str] | int | str | None = None,
                 seed: Any = None, direction: str = "TB", digits: int = 4,
                 node_limit: int = 60, summary: bool = False,
                 kwargs: dict | None = None) -> Stepper:
    """A widget stepping through the forward and backward pass of ``fun(*args)``.

    Returns a :class:`Stepper`; in a notebook it displays controls, the graph
    with the current node highlighted, and the chain rule at each step.
    ``s.next()``, ``s.prev()``, ``s.goto(i)``, ``s.reset()``, ``s.index`` and
    ``s.steps`` drive it from code; ``s.save_html(path)`` writes a version
    that needs no kernel. Other keywords go to ``fun``; when ``fun`` has a
    parameter named like one of these options, pass its keywords as
    ``kwargs={...}``.

    >>> import teachgrad.numpy as np
    >>> s = step_through(lambda w, x: np.tanh(w * x), 2.0, 0.5)
    >>> [f.title for f in s.steps][:2], s.steps[-1].title
    (['forward 1/4', 'forward 2/4'], 'backward 4/4')
    """
    kwargs = kwargs or {}
    graph = trace(fun, *args, wrt=wrt, seed=seed, kwargs=kwargs)
    calls = graph.calls
    if not graph.inputs:
        raise StepperError(explain(
            "No argument was differentiated: none of them holds floats.",
            "a derivative measures how the output changes when an input changes a little; "
            "integers cannot change a little.",
            "pass floats, for example step_through(f, 2.0, 0.5) instead of step_through(f, 2, 1)."))
    if graph.output is None and isinstance(graph.result, (tuple, list, dict)):
        raise StepperError(explain(
            f"step_through needs the function to return one number, but it returned a "
            f"{type(graph.result).__name__}.",
            "the backward pass starts from the derivative of one number (a loss) with respect to itself.",
            "return one of the values, or their sum."))
    if graph.output is None:
        raise StepperError(explain(
            "The output does not depend on any differentiated input, so there is no backward pass to step through.",
            "the backward pass starts at the output and follows the graph back to the inputs.",
            "check that the function returns a value computed from its arguments."))
    if not graph.steps:
        shape = getattr(graph.output, "shape", ())
        raise StepperError(explain(
            f"step_through needs the function to return one number, but it returned shape {shape}.",
            "the backward pass starts from the derivative of one number (a loss) with respect to itself.",
            "return a scalar such as np.sum(...), or pass seed= with the upstream gradient."))
    if len(graph.nodes) > node_limit and not summary:
        raise StepperError(explain(
            f"The computation has {len(graph.nodes)} nodes, more than node_limit={node_limit}: stepping "
            "through them one at a time would not be a lesson.",
            "each node is two steps (forward and backward).",
            "step through the summary, one line of code at a time (step_through(..., summary=True)), "
            f"a smaller example, or every node anyway (step_through(..., node_limit={len(graph.nodes)}))."))
    scope = f"tg{uuid.uuid4().hex[:10]}"
    output_name = name_of_output(fun, graph)
    options = DrawOptions(direction=direction, digits=digits, local_derivatives=False,
                          node_limit=0 if summary else max(node_limit, len(graph.nodes)),
                          output_name=output_name, id_prefix=scope)
    data_leaves = data_leaves_of(fun, args, kwargs, graph)
    drawing = build(graph, calls, options, data_leaves)
    picture = GraphPicture(drawing.digraph, graph, drawing.notes, drawing.collapsed)
    names = node_name
    explainer = Explainer(graph, names, {k: n for k, (n, _) in data_leaves.items()}, output_name, digits)
    if summary:
        frames = build_summary_frames(graph, explainer, scope, scope)
    else:
        frames = build_frames(graph, explainer, scope, scope, set(data_leaves))
    return Stepper(graph, picture, frames, scope,
                   redraw=lambda style: build(graph, calls, options, data_leaves, style).digraph)
