"""What only a drawing needs, captured only while drawing.

While :func:`record` runs a function, the graph calls :meth:`Recorder.watch`
for each new node (plain ``grad`` never does). It looks at the Python stack,
at the frames of the user's own code only (never teachgrad's or a library's),
and notes for the node:

* the helper-function call it was computed inside (``layer(W, b, x)``), so
  the drawing can box each call;
* whether a backward pass computed it (``show_graph(grad(f), x)``), so forward
  and backward operations can be told apart;
* the source line that made it;

and it names earlier nodes after the local variables that now hold them
(``z = x * y`` makes the node ``z``), reading the frames' locals.
No ``sys.settrace``: debuggers and coverage tools keep working while drawing.
"""
from __future__ import annotations

import os
import sys
import sysconfig
from typing import Any, Callable

import numpy

from .. import backprop, differential_operators
from ..graph import Graph, Node
from ..record import trace

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple({os.path.abspath(p) for p in (sysconfig.get_paths()["stdlib"],
                                                    sysconfig.get_paths()["purelib"],
                                                    sysconfig.get_paths()["platlib"],
                                                    os.path.dirname(numpy.__file__))})
_BACKWARD_CODE = backprop.backward.__code__
_TRACE_CALL_CODE = differential_operators.trace_call.__code__
_user_code_cache: dict[str, bool] = {}


def is_user_code(filename: str) -> bool:
    """True for the student's code (a notebook cell, a script), not teachgrad's or a library's."""
    known = _user_code_cache.get(filename)
    if known is None:
        if filename.startswith("<frozen"):
            known = False
        else:
            path = os.path.abspath(filename) if not filename.startswith("<") else filename
            known = not path.startswith(_PACKAGE_DIR) and not path.startswith(_LIBRARY_DIRS)
        _user_code_cache[filename] = known
    return known


class Call:
    """One call of a user's helper function: a box in the drawing."""
    __slots__ = ("id", "function", "parent", "nodes")

    def __init__(self, id: int, function: str, parent: "Call | None"):
        self.id = id
        self.function = function
        self.parent = parent
        self.nodes: list[Node] = []

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1


class NodeInfo:
    """What the drawing knows of a node beyond the graph itself."""
    __slots__ = ("local_name", "call", "backward", "line", "function", "filename")

    def __init__(self):
        self.local_name: str | None = None
        self.call: Call | None = None
        self.backward = False
        self.line: int | None = None
        self.function: str | None = None
        self.filename: str | None = None


class Recorder:
    """Watches one traced call; ``calls`` lists the helper calls seen, in order."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.calls: list[Call] = []
        self._call_of_frame: dict[Any, Call] = {}

    def watch(self, node: Node) -> None:
        info = NodeInfo()
        user_frames = []          # innermost first
        cut = None
        frame = sys._getframe(2)  # skip watch() and Primitive.__call__
        while frame is not None:
            code = frame.f_code
            if code is _TRACE_CALL_CODE:
                cut = len(user_frames)        # frames above the outermost trace are not ours
            elif code is _BACKWARD_CODE:
                info.backward = True
            elif is_user_code(code.co_filename):
                user_frames.append(frame)
            frame = frame.f_back
        user_frames = user_frames[:cut] if cut is not None else []
        node.info = info
        if not user_frames:
            return
        for f in reversed(user_frames):       # outer frames first: the caller's name wins
            self._name_locals(f)
        inner = user_frames[0]
        info.line, info.function, info.filename = inner.f_lineno, inner.f_code.co_name, inner.f_code.co_filename
        info.call = self._call(user_frames[:-1])   # the outermost user frame is the function drawn
        if info.call is not None:
            info.call.nodes.append(node)

    def _call(self, helper_frames: list) -> Call | None:
        if not helper_frames:
            return None
        frame = helper_frames[0]
        call = self._call_of_frame.get(frame)
        if call is None:
            call = Call(len(self.calls), frame.f_code.co_name, self._call(helper_frames[1:]))
            self._call_of_frame[frame] = call      # holding the frame keeps its identity unique
            self.calls.append(call)
        return call

    def _name_locals(self, frame) -> None:
        level = self.graph.level
        for name, value in frame.f_locals.items():
            while isinstance(value, Node) and value.level > level:
                value = value.value                # an inner trace's value: find ours
            if isinstance(value, Node) and value.level == level and value.info is not None \
                    and value.info.local_name is None and not value.has_name:
                value.info.local_name = name


def record(fun: Callable, *args, wrt=None, seed=None, kwargs: dict | None = None) -> tuple[Graph, list[Call]]:
    """:func:`teachgrad.trace` with local names, helper calls and phases captured."""
    graph = Graph()
    recorder = Recorder(graph)
    graph.watcher = recorder.watch
    try:
        trace(fun, *args, wrt=wrt, seed=seed, graph=graph, kwargs=kwargs or {})
    finally:
        graph.watcher = None
        recorder._call_of_frame.clear()
    for node in graph.nodes:
        if node.info is None:
            node.info = NodeInfo()
    return graph, recorder.calls
