"""Quiz mode for the stepper: predict each gradient, then see it.

Before a backward step is revealed, the student types the gradient of the output with respect
to the step's node. The answer is checked with a tolerance; a wrong one is compared with the
usual slips (upstream gradient alone, local derivative alone, a sign, a value used where a
derivative belongs, one path of a fan-out missing), and the feedback names the factor that is
off. Every expected number and every slip is computed here, once, and stored as plain data:
the widget checks answers in Python, the kernel-free HTML checks them in the page's script
(QUIZ_PLAYER), and both read the same list, so they say the same thing.

>>> import teachgrad.numpy as np
>>> from teachgrad import step_through
>>> s = step_through(lambda w, x: np.tanh(w * x), 2.0, 0.5)
>>> quiz = Quiz(s)
>>> [s.steps[i].title for i in quiz.questions][:2]
['backward 1/4', 'backward 2/4']
>>> quiz.check(5, "-0.42").text      # ∂out/∂v2 is 1 - tanh(1)**2 = 0.42
'Not quite. Right size, wrong sign. Check the sign of each local derivative (a subtraction, a negation, cos whose derivative is -sin) and of the upstream gradient.'
>>> quiz.check(5, "0.42").right, quiz.score
(True, (0, 1))
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Callable

import numpy

from ..checking.compare import Item, Reference
from ..checking.diagnose import diagnose
from ..describe.names import node_name
from ..describe.values import escape
from ..errors import TeachgradError, explain
from .render import gradient_rows

RTOL, ATOL = 5e-3, 5e-4          # answers are typed from 4-digit numbers
NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?", re.I)     # the page's script reads the same


class QuizError(TeachgradError, ValueError):
    """The stepper cannot be turned into a quiz."""


@dataclass
class Slip:
    """A wrong answer that has a name: its value, and what to say when the student types it."""
    value: Any
    text: str


@dataclass
class Question:
    frame: int                      # the stepper's frame this question stands before
    node_id: int
    symbol: str                     # ∂f/∂x
    expected: Any
    prompt: str                     # HTML
    solution: str                   # HTML: how the number comes about
    slips: list[Slip]
    hide_css: str                   # hides this node's gradient rows while unanswered
    parents: list[int]              # the frames of the questions this step's text gives away
    short_explanation: str          # the frame's explanation without those answers


@dataclass
class Feedback:
    right: bool
    text: str                       # HTML
    counted: bool = True            # False for an answer that could not be read


def fmt(value: Any) -> str:
    a = numpy.asarray(value, dtype=float)
    if a.ndim == 0:
        return f"{float(a):.4g}"
    return numpy.array2string(a, precision=4, separator=", ")


def read_answer(text: str) -> numpy.ndarray | None:
    """The numbers a student typed: '0.5', '-1.2e-3', '[1, 2]', '1 2', '[[1, 2], [3, 4]]'."""
    parts = [t for t in re.split(r"[\s,\[\]();]+", text.strip()) if t]
    if not parts or not all(NUMBER.fullmatch(t) for t in parts):
        return None
    return numpy.array([float(t) for t in parts])


def close(a, b) -> bool:
    a, b = numpy.asarray(a, float).ravel(), numpy.asarray(b, float).ravel()
    return a.shape == b.shape and bool(numpy.all(numpy.abs(a - b) <= ATOL + RTOL * numpy.abs(b)))


class Quiz:
    """The questions of a stepper (one per backward step), their checks and the score."""

    def __init__(self, stepper, output_name: str | None = None):
        """``output_name``: what the stepper's text calls the output (default: its node's name)."""
        if getattr(stepper, "mode", "reverse") != "reverse":
            raise QuizError(explain(
                "Quiz mode asks for the gradients of the backward pass, and forward mode has none.",
                "forward mode carries tangents from an input to the output; reverse mode sends "
                "gradients back from the output, one node per step.",
                "use quiz=True with the default mode='reverse'."))
        steps = [f for f in stepper.steps if f.phase == "backward"]
        if len(steps) != len(stepper.graph.steps) or any(f.step is None for f in steps):
            raise QuizError(explain(
                "Quiz mode asks for one node's gradient per step, but this stepper's steps are boxes of code.",
                "a summary step covers many nodes at once.",
                "use quiz=True without summary=True, on a smaller example."))
        self.stepper = stepper
        self.output = output_name or node_name(stepper.graph.output)
        frame_of = {f.node.id: i for i, f in enumerate(stepper.steps) if f.phase == "backward"}
        self.questions: dict[int, Question] = {}
        for i, frame in enumerate(stepper.steps):
            if frame.phase == "backward":
                self.questions[i] = self._question(i, frame, frame_of)
        self.revealed: set[int] = set()
        self.tried: dict[int, bool] = {}        # frame -> right at the first check
        self.feedback: dict[int, Feedback] = {}

    # --- building the questions ------------------------------------------------
    def _uses(self, node):
        """(child, upstream of the child, contribution to node) for every use of node."""
        return [(s.node, s.upstream, g) for s in self.stepper.graph.steps
                for p, _, g in s.contributions if p is node]

    def _question(self, i, frame, frame_of) -> Question:
        node, out = frame.node, self.output
        name = self._name(node)
        symbol = f"∂{out}/∂{name}"
        expected = numpy.asarray(frame.step.upstream, dtype=float)
        uses = self._uses(node)
        shape = f" (shape {expected.shape})" if expected.ndim else ""
        prompt = (f"What is <b>{escape(symbol)}</b>{shape}, the gradient of {escape(out)} with respect "
                  f"to {escape(name)}? Predict it, then Check.")
        if not uses and close(expected, 1.0):
            solution = f"{escape(symbol)} = 1: the output's derivative with respect to itself."
        elif not uses:
            solution = (f"{escape(symbol)} = <b>{fmt(expected)}</b>: the seed passed to step_through "
                        "(seed=) starts the backward pass.")
        else:
            terms = []
            for child, up, g in uses:
                c = self._name(child)
                local = self._local(up, g)
                product = (f"{fmt(up)} × {fmt(local)}" if local is not None else f"∂{out}/∂{c} · ∂{c}/∂{name}")
                terms.append(f"{fmt(g)} (through {escape(c)}: ∂{escape(out)}/∂{escape(c)} × "
                             f"∂{escape(c)}/∂{escape(name)} = {product})")
            solution = f"{escape(symbol)} = " + " + ".join(terms) + (
                f" = <b>{fmt(expected)}</b>" if len(uses) > 1 else "")
        parents = sorted(frame_of[p.id] for _, p in node.parents if p.id in frame_of)
        return Question(i, node.id, symbol, expected, prompt, solution,
                        self._slips(node, symbol, expected, uses),
                        self._hide_css(node),
                        parents, self._without_contributions(frame.explanation))

    def _hide_css(self, node) -> str:
        """CSS hiding every place the picture shows node's gradient: its own gradient rows, and
        the step rows (shares on the edges, their sum, the products it sends on). ``!important``
        because each frame's own rules show its step rows with the same specificity."""
        scope = self.stepper.scope
        selectors = [gradient_rows(f"#{scope} #{scope}n{node.id}")]
        selectors += self.stepper.answer_rows(node)
        return ", ".join(selectors) + " {visibility:hidden !important}"

    def _name(self, node) -> str:
        return self.output if node is self.stepper.graph.output else node_name(node)

    @staticmethod
    def _local(up, g):
        """The local derivative of one scalar use (contribution / upstream), when it is a number."""
        up, g = numpy.asarray(up, float), numpy.asarray(g, float)
        if up.ndim or g.ndim or up == 0:
            return None
        return g / up

    def _slips(self, node, symbol, expected, uses) -> list[Slip]:
        out, name = self.output, self._name(node)
        slips: list[Slip] = []
        if not uses:
            slips.append(Slip(0.0, f"The output's gradient with respect to itself is not 0: if {escape(out)} "
                              f"changes by a little, {escape(out)} changes by exactly that much. "
                              "What is that ratio?"))
            slips.append(Slip(numpy.asarray(node.value, float),
                              f"That is the value of {escape(out)}, from the forward pass. The question is "
                              "its derivative with respect to itself."))
            return self._keep(slips, expected)
        slips.append(Slip(-expected, "Right size, wrong sign. Check the sign of each local derivative "
                          "(a subtraction, a negation, cos whose derivative is -sin) and of the upstream "
                          "gradient."))
        if len(uses) == 1:
            child, up, g = uses[0]
            c = self._name(child)
            local = self._local(up, g)
            if local is not None:
                u = f"∂{escape(out)}/∂{escape(c)}"
                l = f"∂{escape(c)}/∂{escape(name)}"
                slips += [
                    Slip(local, f"That is the local derivative {l} alone. The upstream factor is missing: "
                         f"multiply by the gradient {escape(c)} received, {u} (the chain rule)."),
                    Slip(up, f"That is the upstream gradient {u} alone. The local factor is missing: "
                         f"multiply by the local derivative {l}, how much {escape(c)} changes when "
                         f"{escape(name)} does."),
                    Slip(up * numpy.asarray(child.value, float),
                         f"The upstream factor is right, but the local factor is off: you used the value "
                         f"of {escape(c)} ({fmt(child.value)}) instead of its derivative {l}. Differentiate "
                         f"the operation that made {escape(c)} with respect to {escape(name)}."),
                    Slip(up * numpy.asarray(node.value, float),
                         f"The upstream factor is right, but the local factor is off: you used the value "
                         f"of {escape(name)} itself ({fmt(node.value)}). What is {l}?"
                         + (" For a product, the derivative with respect to one factor is the other factor."
                            if child.op == "multiply" else "")),
                    Slip(numpy.asarray(child.value, float) * local,
                         f"The local factor is right, but the upstream factor is off: you used the value "
                         f"of {escape(c)} ({fmt(child.value)}) instead of its gradient {u}."),
                ]
                if local != 0:
                    slips.append(Slip(up / local, f"You divided by the local derivative {l}; the chain rule "
                                      "multiplies by it."))
        # what check_grad would say about this number: a path missing from a fan-out sum, a factor 2
        contributions = [(self._name(child), g) for child, _, g in uses]
        if 2 <= len(uses) <= 8:
            for size in range(1, len(uses)):
                for subset in itertools.combinations(range(len(uses)), size):
                    partial = sum(numpy.asarray(uses[k][2], float) for k in subset)
                    slips += self._diagnosed(name, expected, partial, contributions)
        for factor in (2.0, 0.5):
            slips += self._diagnosed(name, expected, expected * factor, contributions)
        return self._keep(slips, expected)

    @staticmethod
    def _diagnosed(name, expected, value, contributions) -> list[Slip]:
        item = Item(name=name, kind="node", status="fail", ref=Reference(expected),
                    got=numpy.asarray(value, float), shape=expected.shape)
        found = [d for d in diagnose(item, contributions=contributions, whose="Your answer")
                 if d.kind in ("missing_path", "factor")]
        return [Slip(value, escape(found[0].text))] if found else []

    @staticmethod
    def _keep(slips, expected) -> list[Slip]:
        """Slips that differ from the right answer and from the slips before them."""
        kept: list[Slip] = []
        for s in slips:
            value = numpy.asarray(s.value, float)
            if value.shape == expected.shape and numpy.all(numpy.isfinite(value)) \
                    and not close(value, expected) and not any(close(value, k.value) for k in kept):
                kept.append(Slip(value, s.text))
        return kept

    @staticmethod
    def _without_contributions(explanation: str) -> str:
        """The frame's text without what it sends to its parents: their gradients are questions
        still to come. Lines are split at <br>; the lines that say what is sent are dropped."""
        lines = explanation.split("<br>")
        kept = [ln for ln in lines if not re.match(r"\s*(Sends to|Local derivative)", ln)]
        return "<br>".join(kept)

    # --- answering -------------------------------------------------------------
    def check(self, frame: int, text: str) -> Feedback:
        q = self.questions[frame]
        got = read_answer(text)
        if got is None:
            fb = Feedback(False, "Type a number, like 0.25 or -1.5e-3"
                          + (", or the entries of an array in order, like [1, 2, 3]." if q.expected.ndim else "."),
                          counted=False)
        elif got.size != q.expected.size:
            fb = Feedback(False, f"{escape(q.symbol)} has shape {q.expected.shape} ({q.expected.size} "
                          f"numbers), like {escape(self._name(self._node(q)))}; you typed {got.size}.",
                          counted=False)
        elif close(got, q.expected):
            fb = Feedback(True, f"Right! {q.solution}")
        else:
            slip = next((s for s in q.slips if close(got, s.value)), None)
            fb = Feedback(False, "Not quite. " + (slip.text if slip else
                          f"The chain rule: {escape(q.symbol)} is the sum, over every node that uses "
                          f"{escape(self._name(self._node(q)))}, of that node's gradient × the local "
                          "derivative. Try again, or Reveal."))
        if fb.counted and frame not in self.revealed:
            self.tried.setdefault(frame, fb.right)
        if fb.right:
            self.revealed.add(frame)
        self.feedback[frame] = fb
        return fb

    def reveal(self, frame: int) -> Feedback:
        q = self.questions[frame]
        self.tried.setdefault(frame, False)
        self.revealed.add(frame)
        fb = Feedback(False, f"Revealed: {q.solution}")
        self.feedback[frame] = fb
        return fb

    def _node(self, q: Question):
        return self.stepper.graph.nodes[q.node_id]

    @property
    def score(self) -> tuple[int, int]:
        """(right at the first check, questions tried or revealed)."""
        return sum(self.tried.values()), len(self.tried)

    def score_text(self) -> str:
        right, tried = self.score
        return f"Score: {right} of {tried} right on the first try ({len(self.questions)} questions)"

    # --- what a frame shows ------------------------------------------------------
    def hides(self, frame: int) -> bool:
        return frame in self.questions and frame not in self.revealed

    def hidden_css(self) -> str:
        """Hide every gradient whose question is still open (an earlier step may have sent it)."""
        return "\n".join(q.hide_css for i, q in self.questions.items() if i not in self.revealed)

    def explanation(self, frame: int) -> str:
        if frame not in self.questions:
            return self.stepper.steps[frame].explanation
        q = self.questions[frame]
        if all(p in self.revealed for p in q.parents):
            return self.stepper.steps[frame].explanation
        return q.short_explanation

    def data(self, rename: Callable[[str], str]) -> dict:
        """The questions as JSON for the page's script; ``rename`` maps the CSS to the copy's ids."""
        def numbers(v):
            return numpy.asarray(v, float).ravel().tolist()
        return {"rtol": RTOL, "atol": ATOL, "total": len(self.questions), "questions": {
            str(i): {"expected": numbers(q.expected), "shape": list(q.expected.shape),
                     "symbol": q.symbol, "name": self._name(self._node(q)),
                     "prompt": q.prompt, "solution": q.solution, "hide_css": rename(q.hide_css),
                     "parents": q.parents, "short_explanation": q.short_explanation,
                     "slips": [{"value": numbers(s.value), "text": s.text} for s in q.slips]}
            for i, q in self.questions.items()}}


# The page's side of the quiz: the same checks as Quiz.check, over Quiz.data.
QUIZ_PLAYER = r"""
function teachgradQuiz(root, quiz, redraw) {
  const revealed = new Set(), tried = {}, feedback = {};
  let current = null;
  const box = document.createElement("div");
  box.className = "tg-quiz";
  box.style.cssText = "margin:6px 0;padding:6px 10px;border:1px solid #CC79A7;max-width:60em;font-size:14px";
  box.innerHTML = '<div class="tg-prompt"></div><input class="tg-answer" type="text" size="24" aria-label="your answer"> ' +
    '<button type="button" class="tg-check">Check</button> <button type="button" class="tg-reveal">Reveal</button>' +
    '<div class="tg-feedback" style="margin-top:4px"></div><div class="tg-score" style="color:#555;font-size:12px"></div>';
  root.appendChild(box);
  const $ = (c) => box.querySelector(c);
  const escape = (s) => s.replace(/[&<>"]/g, (ch) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[ch]));
  const close = (a, b) => a.length === b.length && a.every((v, k) => Math.abs(v - b[k]) <= quiz.atol + quiz.rtol * Math.abs(b[k]));
  const read = (text) => { const parts = text.trim().split(/[\s,\[\]();]+/).filter((t) => t);
    if (!parts.length) return null;
    return parts.every((t) => /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) ? parts.map(Number) : null; };
  function score() { const v = Object.values(tried);
    $(".tg-score").textContent = "Score: " + v.filter((x) => x).length + " of " + v.length +
      " right on the first try (" + quiz.total + " questions)"; }
  function say(i, fb) { feedback[i] = fb; $(".tg-feedback").innerHTML = fb.text;
    $(".tg-feedback").style.color = fb.right ? "#1a7f37" : (fb.revealed ? "#333" : "#b35806"); }
  function check() {
    const i = current, q = quiz.questions[i], got = read($(".tg-answer").value);
    let fb;
    if (got === null) fb = {right: false, counted: false, text: "Type a number, like 0.25 or -1.5e-3" +
      (q.shape.length ? ", or the entries of an array in order, like [1, 2, 3]." : ".")};
    else if (got.length !== q.expected.length) fb = {right: false, counted: false, text: escape(q.symbol) +
      " has shape (" + q.shape.join(", ") + (q.shape.length === 1 ? "," : "") + ") (" + q.expected.length +
      " numbers), like " + escape(q.name) + "; you typed " + got.length + "."};
    else if (close(got, q.expected)) fb = {right: true, counted: true, text: "Right! " + q.solution};
    else { const slip = q.slips.find((s) => close(got, s.value));
      fb = {right: false, counted: true, text: "Not quite. " + (slip ? slip.text : "The chain rule: " + escape(q.symbol) +
        " is the sum, over every node that uses " + escape(q.name) +
        ", of that node's gradient × the local derivative. Try again, or Reveal.")}; }
    if (fb.counted && !revealed.has(i) && !(i in tried)) tried[i] = fb.right;
    if (fb.right) revealed.add(i);
    say(i, fb); score(); redraw();
  }
  function reveal() { const i = current; if (!(i in tried)) tried[i] = false; revealed.add(i);
    say(i, {right: false, revealed: true, text: "Revealed: " + quiz.questions[i].solution}); score(); redraw(); }
  $(".tg-check").onclick = check;
  $(".tg-reveal").onclick = reveal;
  $(".tg-answer").addEventListener("keydown", (e) => { if (e.key === "Enter") check(); });
  score();
  return {
    hides: (i) => (i in quiz.questions) && !revealed.has(i),
    css: () => Object.keys(quiz.questions).filter((k) => !revealed.has(Number(k)))
      .map((k) => quiz.questions[k].hide_css).join("\n"),
    explanation: (i, full) => { const q = quiz.questions[i];
      return !q || q.parents.every((p) => revealed.has(p)) ? full : q.short_explanation; },
    at(i) {
      const q = quiz.questions[i];
      box.style.display = q ? "" : "none";
      if (!q) { current = null; return; }
      if (current !== i) { current = i; $(".tg-answer").value = ""; }
      $(".tg-prompt").innerHTML = q.prompt;
      const open = !revealed.has(i);
      $(".tg-answer").disabled = !open; $(".tg-check").disabled = !open; $(".tg-reveal").disabled = !open;
      const fb = feedback[i];
      $(".tg-feedback").innerHTML = fb ? fb.text : "";
      if (fb) $(".tg-feedback").style.color = fb.right ? "#1a7f37" : (fb.revealed ? "#333" : "#b35806");
    },
  };
}
"""
