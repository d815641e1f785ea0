"""step_through: a widget that replays the recorded computation one step at a time.

First the forward pass, node by node; then the backward pass, one step of the
backward generator at a time, each step saying what the chain rule did. In
forward mode (``mode="forward"``) there is one pass: node by node, each value
with its tangent, and the rule that made the tangent.

The graph is laid out once (one ``dot`` run). A frame is only a few CSS
rules over that one SVG (which nodes are computed, which gradients are known,
what is highlighted, which step rows show) plus a sentence, so moving a step is
instant and nodes never jump. The same frames make the kernel-free HTML file.

Step rows are drawn into the SVG once, each with its own id, and shown only by
the frames they belong to: on the edge in use, upstream × local = share
(``0.6347 × 0.5 = 0.3174``); in a box used more than once, its sum forming
(``sum: 2.1 + 0.7648 + 2.1 = 4.965``, each share from the step that sends it on).
"""
from __future__ import annotations

import pathlib
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy

from ..arguments import Signature, locate
from ..backprop import Step
from ..containers import differentiable_kind, map_leaves
from ..describe.names import node_name, output_name as name_of_output
from ..describe.steps import Explainer, TangentExplainer
from ..describe.tangents import TangentPass, replay, seed_of
from ..errors import TeachgradError, explain
from ..graph import Graph, Node
from ..options import separates_function_keywords
from ..record import trace
from .picture import GraphPicture
from .render import (HIGHLIGHT, DrawOptions, FrameStyle, arrivals, build, gradient_rows, group_title,
                     step_row_id, step_row_selector, summary_groups)
from .quiz import Quiz
from .show import data_leaves_of
from .tangent_picture import build_tangent_drawing, forward_note

MODES = ("reverse", "forward")
DIRECTIONS = ("TB", "LR", "BT", "RL")

class StepperError(TeachgradError, ValueError):
    """The function cannot be stepped through as asked."""


class StyleSheet:
    """How a :class:`FrameStyle` looks as CSS over the one laid-out SVG.

    ``element(i)`` is the CSS selector of node (or box) ``i``, ``edges_into[i]``
    those of the edges drawn into it: the ids :func:`render.build` gave the
    SVG. Gradient rows are found with :func:`render.gradient_rows`; step rows
    (``step_rows``: their id prefix) are hidden unless the frame shows them.
    """

    def __init__(self, scope: str, element: Callable[[int], str], edges_into: dict[int, list[str]],
                 count: int, edge: Callable[[tuple], str] | None = None, step_rows: str | None = None):
        self.scope = scope
        self.element = element
        self.edges_into = edges_into
        self.count = count              # how many nodes (or boxes) there are
        self.edge = edge                # (parent, child, argnum) -> the edge's selector
        self.step_rows = step_rows      # the id prefix of the step rows, if the SVG has them

    def shown(self, style: FrameStyle) -> list[str]:
        """The selectors of the step rows this frame shows (the product on each edge in use, the
        sum forming at a node used more than once); every other step row is hidden."""
        return [step_row_selector(self.scope, row) for row in sorted(style.shown)]

    def css(self, style: FrameStyle) -> str:
        rules = []
        if self.step_rows is not None:
            rules.append(f'#{self.scope} [id^="a_{self.step_rows}"] {{visibility:hidden;pointer-events:none}}')
            if style.shown:
                rules.append(", ".join(self.shown(style)) + " {visibility:visible}")
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
    tangent: Any = field(default=None, repr=False, compare=False)   # forward mode: the node's tangent

    @property
    def css(self) -> str:
        """The style as CSS rules over the one SVG."""
        return self.sheet.css(self.style)

    @property
    def title(self) -> str:
        return f"{self.phase} {self.number}/{self.total}"

    @property
    def step_rows(self) -> list[str]:
        """CSS selectors of the step rows this frame shows on the picture (upstream × local =
        share on each edge in use, the sum forming at a fan-in); a quiz that asks before the step
        is revealed hides them."""
        return self.sheet.shown(self.style)


def node_sheet(graph: Graph, prefix: str, scope: str, data_ids: set[int],
               step_rows: bool = False) -> StyleSheet:
    """The style sheet over a drawing of every node; the ids are those render.build gave the SVG."""
    edges_into = {}
    for n in graph.nodes:
        parents = dict(n.parents)
        edges_into[n.id] = [f"#{prefix}e{p.id}_{n.id}_{a}" for a, p in n.parents] + [
            f"#{prefix}e_d{id(arg)}_{n.id}_{i}" for i, arg in enumerate(n.args)
            if id(arg) in data_ids and i not in parents]
    return StyleSheet(scope, lambda i: f"#{prefix}n{i}", edges_into, len(graph.nodes),
                      edge=lambda e: f"#{prefix}e{e[0]}_{e[1]}_{e[2]}",
                      step_rows=step_row_id(prefix, "") if step_rows else None)


def build_frames(graph: Graph, explainer: Explainer, prefix: str, scope: str,
                 data_ids: set[int]) -> list[Frame]:
    """Every step's style and explanation; the ids are those render.build gave the SVG."""
    nodes = graph.nodes
    sheet = node_sheet(graph, prefix, scope, data_ids, step_rows=True)
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
    # A node used more than once shows its sum forming: each share from the step that sends it
    # on (the whole sum stays, a summary of the fan-in). A product shows at its step only.
    sums = sorted((a.step, step_row_id(prefix, "s", parent, k))
                  for parent, into in arrivals(graph).items() if len(into) > 1
                  for k, a in enumerate(into, start=1))
    for j, step in enumerate(steps):
        pending = frozenset(n.id for n in nodes if n.id in done_at and done_at[n.id] > j)
        shown = {step_row_id(prefix, "p", p.id, step.node.id, a) for p, a, _ in step.contributions}
        shown.update(row for sent, row in sums if sent <= j)
        style = FrameStyle(current=step.node.id, unknown=pending, shown=frozenset(shown),
                           sending=tuple((p.id, step.node.id, a) for p, a, _ in step.contributions))
        frames.append(Frame("backward", j + 1, len(steps), step.node, step,
                            explainer.backward(step, j + 1, len(steps)), style, sheet))
    return frames


def build_tangent_frames(graph: Graph, explainer: TangentExplainer, moves: TangentPass, prefix: str,
                         scope: str, data_ids: set[int]) -> list[Frame]:
    """Forward mode: one step per node, its value and tangent appearing together; the edges
    bringing a moving argument's tangent are highlighted."""
    nodes = graph.nodes
    sheet = node_sheet(graph, prefix, scope, data_ids)
    frames = []
    for k, node in enumerate(nodes):
        arriving = tuple((p.id, node.id, a) for a, p in node.parents if moves.tangents.get(p.id) is not None)
        style = FrameStyle(current=node.id, hidden=frozenset(n.id for n in nodes[k + 1:]),
                           sending=arriving)
        frames.append(Frame("forward", k + 1, len(nodes), node, None,
                            explainer.forward(node, k + 1, len(nodes)), style, sheet,
                            tangent=moves.tangent(node)))
    return frames


class Stepper:
    """The stepper: ``next()``, ``prev()``, ``goto(i)``, ``reset()``, ``index``, ``steps``.

    Displaying it in a notebook shows the controls, the graph with the current
    node highlighted, and what the chain rule did at this step. ``mode`` is
    "reverse" or "forward" (then each frame's ``tangent`` is its node's tangent).
    ``quiz`` is the :class:`~teachgrad.viz.quiz.Quiz` of ``step_through(..., quiz=True)``, else None.
    """

    def __init__(self, graph: Graph, picture: GraphPicture, frames: list[Frame], scope: str,
                 redraw: Callable[[FrameStyle], Any] | None = None, mode: str = "reverse"):
        self.graph = graph
        self.mode = mode
        self._redraw = redraw             # FrameStyle -> graphviz.Digraph of that frame
        self.picture = picture
        self.steps = frames
        self.scope = scope
        self.svg = picture.svg()          # laid out once; every frame is a style over it
        self.quiz = None
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

    def answer_rows(self, node: Node | int) -> list[str]:
        """CSS selectors of the step rows from which the gradient of ``node`` can be read: the
        shares it receives (on the edges to the nodes that use it, and their sum) and the products
        on the edges it sends along (upstream × local, the upstream being its gradient). A quiz
        hides them while it asks for that gradient (with ``!important``: frames show them).

        >>> import teachgrad.numpy as np
        >>> s = step_through(lambda x: np.sin(x) * x, 0.5)
        >>> len(s.answer_rows(s.graph["x"]))       # two shares, two cells of their sum
        4
        """
        node_id = node if isinstance(node, int) else node.id
        if self.mode != "reverse" or self.steps[0].sheet.step_rows is None:
            return []
        received = arrivals(self.graph)
        into = received.get(node_id, [])
        rows = [step_row_id(self.scope, "p", node_id, a.child.id, a.argnum) for a in into]
        if len(into) > 1:
            rows += [step_row_id(self.scope, "s", node_id, k) for k in range(1, len(into) + 1)]
        rows += [step_row_id(self.scope, "p", parent, node_id, a.argnum)      # what it sends
                 for parent, uses in received.items() for a in uses if a.child.id == node_id]
        return [step_row_selector(self.scope, row) for row in rows]

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
                 node_limit: int = 60, summary: bool = False, mode: str = "reverse",
                 tangent: Any = None, quiz: bool = False, kwargs: dict | None = None) -> Stepper:
    """A widget stepping through the forward and backward pass of ``fun(*args)``.

    Returns a :class:`Stepper`; in a notebook it displays controls, the graph
    with the current node highlighted, and the chain rule at each step.
    ``s.next()``, ``s.prev()``, ``s.goto(i)``, ``s.reset()``, ``s.index`` and
    ``s.steps`` drive it from code; ``s.save_html(path)`` writes a version
    that needs no kernel. Other keywords go to ``fun``; when ``fun`` has a
    parameter named like one of these options, pass its keywords as
    ``kwargs={...}``.

    ``mode="forward"`` steps through forward mode instead: one pass, node by
    node, each value with its tangent (how much it moves when one input
    moves) and the rule that made it (``dh = cos(z)·dz``). ``wrt`` then
    chooses the one argument that moves (default: the first), ``tangent``
    which way it moves (default: 1 for a number, the first unit vector for
    an array); the other arguments are held still.

    ``quiz=True`` asks before each backward step: type the gradient of the
    current node, Check (right or wrong, and which factor is off: the upstream
    gradient, the local derivative, a sign, a path of a fan-out), or Reveal;
    a score counts the answers right on the first try. ``save_html`` keeps
    the quiz, checked by the page's own script.

    >>> import teachgrad.numpy as np
    >>> s = step_through(lambda w, x: np.tanh(w * x), 2.0, 0.5)
    >>> [f.title for f in s.steps][:2], s.steps[-1].title
    (['forward 1/4', 'forward 2/4'], 'backward 4/4')
    >>> f = step_through(lambda w, x: np.tanh(w * x), 2.0, 0.5, mode="forward")
    >>> [round(float(frame.tangent), 4) for frame in f.steps]
    [1.0, 0.0, 0.5, 0.21]
    """
    kwargs = kwargs or {}
    _check_mode(mode, direction)
    if mode == "forward":
        if quiz:
            raise _refuse_in_forward_mode(
                "quiz=True", "quiz mode asks for the gradients of the backward pass; forward mode has none.",
                "use quiz=True with mode='reverse' (the default).")
        return _step_forward(fun, args, kwargs, wrt, tangent, seed, summary, direction, digits, node_limit)
    if tangent is not None:
        raise StepperError(explain(
            "tangent= was given, but the stepper is in reverse mode.",
            "a tangent is the direction in which forward mode moves one input; reverse mode "
            "starts from the output instead (its starting gradient is seed=).",
            "step_through(f, x, mode='forward', tangent=...) to step through forward mode."))
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
    # Edges carry the local derivatives as in show_graph (for 30 nodes or fewer), and the step
    # rows: each shown at its step only (upstream × local on the edge in use, fan-in sums).
    options = DrawOptions(direction=direction, digits=digits, local_derivatives=None,
                          node_limit=0 if summary else max(node_limit, len(graph.nodes)),
                          output_name=output_name, id_prefix=scope, step_rows=not summary)
    data_leaves = data_leaves_of(fun, args, kwargs, graph)
    drawing = build(graph, calls, options, data_leaves)
    picture = GraphPicture(drawing.digraph, graph, drawing.notes, drawing.collapsed)
    names = node_name
    explainer = Explainer(graph, names, {k: n for k, (n, _) in data_leaves.items()}, output_name, digits)
    if summary:
        frames = build_summary_frames(graph, explainer, scope, scope)
    else:
        frames = build_frames(graph, explainer, scope, scope, set(data_leaves))
    stepper = Stepper(graph, picture, frames, scope,
                      redraw=lambda style: build(graph, calls, options, data_leaves, style).digraph)
    if quiz:
        stepper.quiz = Quiz(stepper, output_name)
    return stepper


def _check_mode(mode: Any, direction: Any) -> None:
    if not isinstance(mode, str) or mode not in MODES:
        raise StepperError(explain(
            f"step_through has no mode={mode!r}.",
            "automatic differentiation runs in one of two modes. Reverse mode (mode='reverse', "
            "the default) computes every value forward, then sends the gradient of the output "
            "backward: one backward pass gives the derivative with respect to every input. "
            "Forward mode (mode='forward') carries a tangent along with each value, how much it "
            "moves when one input moves: one forward pass per input direction.",
            "write mode='reverse' or mode='forward'."))
    if not isinstance(direction, str) or direction not in DIRECTIONS:
        tangent_hint = "" if isinstance(direction, str) else (
            " The direction in which forward mode moves an input is tangent=, not direction=.")
        raise StepperError(explain(
            f"direction={direction!r} is not a layout of the drawing.{tangent_hint}",
            "direction= says which way the graph is drawn: 'TB' top to bottom, 'LR' left to right.",
            "direction='TB' or direction='LR'" + ("; tangent=... for forward mode." if tangent_hint else ".")))


def _refuse_in_forward_mode(option: str, why: str, instead: str) -> StepperError:
    return StepperError(explain(f"step_through(..., mode='forward') does not support {option}.",
                                why, instead))


def _holds_float(value: Any) -> bool:
    found = []
    map_leaves(lambda leaf: found.append(differentiable_kind(leaf) is not None), value)
    return any(found)


def _count_leaves(value: Any) -> int:
    count = []
    map_leaves(lambda leaf: count.append(1), value)
    return len(count)


def _moved_argument(fun: Callable, args: tuple, kwargs: dict, wrt: Any) -> tuple[list, Any, str]:
    """The arguments to trace (the one that moves first, then every other float argument, held
    still), the moved argument's value and its name."""
    if isinstance(wrt, (list, tuple)):
        if len(wrt) != 1:
            raise _refuse_in_forward_mode(
                f"several moving arguments (wrt={wrt!r})",
                "one forward pass moves one argument along one tangent: it gives the derivative "
                "along that one direction (one column of the Jacobian).",
                "choose one argument, for example wrt=0, and step through another pass for each other one.")
        wrt = wrt[0]
    key = 0 if wrt is None else wrt
    sig = Signature(fun)
    if isinstance(key, str):
        sig.check_name(key)
    else:
        sig.check_argnum(key)
    bound = sig.bind(args, kwargs)
    if bound is None:
        others = [i for i, a in enumerate(args) if _holds_float(a)]
        same = key
    else:
        others = [k for k, v in bound.arguments.items() if k != sig.varargs and _holds_float(v)]
        same = sig.positional[key] if isinstance(key, int) and key < len(sig.positional) else key
    value, _, name = locate(sig, bound, list(args), key)
    return [key] + [k for k in others if k != same], value, name


def _seed_words(graph: Graph, moved: list[Node], name: str, chosen: bool,
                out: str) -> tuple[str, str, str]:
    """What the seed is, what the output's tangent then means, and the picture's note."""
    scalar_out = numpy.ndim(graph.output.value) == 0
    total = sum(int(numpy.size(n.value)) for n in moved)
    still = len(graph.inputs) - len(moved)
    if still:
        per_input = ("The inputs held still need passes of their own, one per entry; reverse mode "
                     "gives the derivative with respect to every input in one backward pass.")
    elif total > 1:
        per_input = ""
    else:
        per_input = "With one number as input, one forward pass is all it takes, as in reverse mode."
    if chosen:
        seed_text = "the seed chosen with tangent="
        target = (f"is the derivative of {out} along that tangent (the Jacobian times it). " + per_input)
        return seed_text, target, forward_note(name, "along the tangent chosen (tangent=)")
    first = moved[0]
    shape = numpy.shape(first.value)
    entry = node_name(first) + ("" if shape == () else "[" + ", ".join("0" * len(shape)) + "]"
                                 if len(shape) > 1 else "[0]")
    if entry == name:
        seed_text = f"the seed: {name} moves by 1"
    else:
        seed_text = f"the seed: {entry} moves by 1, every other entry of {name} stays"
    wrt_text = f"∂{out}/∂{entry}"
    if scalar_out:
        target = (f"is {wrt_text}, the derivative of {out} with respect to {entry}. "
                  + (f"Each of the {total} entries of {name} needs a forward pass of its own; "
                     "one backward pass of reverse mode gives them all. " if total > 1 else "")
                  + per_input)
    else:
        target = (f"is how every entry of {out} moves per unit change of {entry}: {wrt_text}, "
                  "one column of the Jacobian. " + per_input)
    return seed_text, target, forward_note(entry, "by 1")


def _step_forward(fun: Callable, args: tuple, kwargs: dict, wrt: Any, tangent: Any, seed: Any,
                  summary: bool, direction: str, digits: int, node_limit: int) -> Stepper:
    if seed is not None:
        raise _refuse_in_forward_mode(
            "seed=", "seed= is where reverse mode starts: the gradient of the output. Forward "
            "mode starts from the input's side, with a tangent.",
            "leave seed= out; tangent= says which way the input moves.")
    if summary:
        raise _refuse_in_forward_mode(
            "summary=True", "a summary box stands for many operations, and their tangents "
            "cannot be shown as one rule.",
            "step through a smaller example in forward mode, or use summary=True in reverse mode.")
    keys, argument, name = _moved_argument(fun, args, kwargs, wrt)
    graph = trace(fun, *args, wrt=keys, kwargs=kwargs)
    if graph.output is None and isinstance(graph.result, (tuple, list, dict)):
        raise StepperError(explain(
            f"step_through needs the function to return one value (a number or an array), but it "
            f"returned a {type(graph.result).__name__}.",
            "the stepper follows the tangent to one output.",
            "return one of the values, or step through each one separately."))
    if graph.output is None:
        raise StepperError(explain(
            "The output does not depend on any differentiated input, so no tangent reaches it.",
            "forward mode follows how the output moves when an input moves.",
            "check that the function returns a value computed from its arguments."))
    if len(graph.nodes) > node_limit:
        raise StepperError(explain(
            f"The computation has {len(graph.nodes)} nodes, more than node_limit={node_limit}: stepping "
            "through them one at a time would not be a lesson.",
            "forward mode shows one step per node.",
            f"step through a smaller example, or every node anyway "
            f"(step_through(..., mode='forward', node_limit={len(graph.nodes)}))."))
    chosen = seed_of(argument, tangent, name)
    moved = graph.inputs[:len(chosen.leaves)]
    assert len(moved) == _count_leaves(argument), "the moved argument's leaves are the first inputs"
    moves = replay(graph, {n.id: t for n, t in zip(moved, chosen.leaves)})
    scope = f"tg{uuid.uuid4().hex[:10]}"
    output_name = name_of_output(fun, graph)
    seed_text, target_text, note = _seed_words(graph, moved, name, chosen.chosen, output_name)
    options = DrawOptions(direction=direction, digits=digits, local_derivatives=False,
                          node_limit=max(node_limit, len(graph.nodes)),
                          output_name=output_name, id_prefix=scope)
    data_leaves = data_leaves_of(fun, args, kwargs, graph)
    calls = graph.calls
    seeded = {n.id for n in moved}
    drawing = build_tangent_drawing(graph, calls, options, data_leaves, moves, seeded, note)
    picture = GraphPicture(drawing.digraph, graph, drawing.notes, drawing.collapsed)
    explainer = TangentExplainer(graph, node_name, {k: n for k, (n, _) in data_leaves.items()},
                                 output_name, moves, moved, seed_text, target_text, digits)
    frames = build_tangent_frames(graph, explainer, moves, scope, scope, set(data_leaves))
    return Stepper(graph, picture, frames, scope, mode="forward",
                   redraw=lambda style: build_tangent_drawing(graph, calls, options, data_leaves,
                                                              moves, seeded, note, style).digraph)
