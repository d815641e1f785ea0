"""What only people need, captured only when a trace is for looking.

While :func:`teachgrad.trace` runs a function, the graph calls
:meth:`Recorder.watch` for each new node (plain ``grad`` never does). It looks
at the Python stack, at the frames of the user's own code only (never
teachgrad's or a library's), and notes for the node:

* the helper-function call it was computed inside (``layer(W, b, x)``), so
  the drawing can box each call;
* whether a backward pass computed it (``show_graph(grad(f), x)``), so forward
  and backward operations can be told apart;
* the source line that made it;

and it names earlier nodes after the local variables that now hold them
(``z = x * y`` makes the node ``z``), reading the frames' locals; when the
traced function has returned, its locals name what they held at the end
(``total = ...; return total``).
No ``sys.settrace`` or ``sys.setprofile``: debuggers and coverage tools keep
working while tracing.

Two kinds of frames are recognised without looking at code objects, so that
moving an engine function cannot silently break the capture:

* the frame that started the recording (``boundary``): frames above it are
  the caller's, not the traced function's;
* frames of the module that runs backward passes (:mod:`teachgrad.backprop`,
  by its module name): a node made under one was made by a backward pass.
"""
from __future__ import annotations

import os
import sys
import sysconfig
from types import FrameType

import numpy

from .. import backprop
from ..graph import Graph, Node

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple({os.path.abspath(p) for p in (sysconfig.get_paths()["stdlib"],
                                                    sysconfig.get_paths()["purelib"],
                                                    sysconfig.get_paths()["platlib"],
                                                    os.path.dirname(numpy.__file__))})
# Imported, not written out: renaming the module fails here, loudly.
BACKWARD_MODULE = backprop.__name__
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
    """What is known of a node beyond the graph itself, when it was captured."""
    __slots__ = ("name", "local_name", "call", "backward", "line", "function", "filename")

    def __init__(self):
        self.name: str | None = None          # the name shown, when it says something (not v7)
        self.local_name: str | None = None
        self.call: Call | None = None
        self.backward = False
        self.line: int | None = None
        self.function: str | None = None
        self.filename: str | None = None


class Recorder:
    """Watches one traced call; ``calls`` lists the helper calls seen, in order.

    ``boundary`` is the frame that started the recording: the walk up the
    stack stops there.
    """

    def __init__(self, graph: Graph, boundary: FrameType):
        self.graph = graph
        self.boundary = boundary
        self.calls: list[Call] = []
        self._call_of_frame: dict[FrameType, Call] = {}
        self._traced_frames: dict[FrameType, None] = {}    # the traced function's own calls

    def watch(self, node: Node) -> None:
        info = NodeInfo()
        node.info = info
        user_frames = []          # innermost first
        boundary = self.boundary
        frame = sys._getframe(1)  # the engine's frames are passed over below, wherever it calls from
        while frame is not None and frame is not boundary:
            if frame.f_globals.get("__name__") == BACKWARD_MODULE:
                info.backward = True
            elif is_user_code(frame.f_code.co_filename):
                user_frames.append(frame)
            frame = frame.f_back
        if frame is None or not user_frames:
            return                # not under the boundary, or no user code: nothing to note
        for f in reversed(user_frames):       # outer frames first: the caller's name wins
            self._name_locals(f)
        inner = user_frames[0]
        info.line, info.function, info.filename = inner.f_lineno, inner.f_code.co_name, inner.f_code.co_filename
        self._traced_frames[user_frames[-1]] = None
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

    def finish(self) -> list[Call]:
        """Name what the traced function's locals held when it returned; stop holding
        frames; give every node an info. Returns the helper calls seen."""
        for frame in self._traced_frames:
            self._name_locals(frame)           # a returned frame keeps its last locals
        self._traced_frames.clear()
        self._call_of_frame.clear()
        self.boundary = None
        for node in self.graph.nodes:
            if node.info is None:
                node.info = NodeInfo()
        return self.calls
