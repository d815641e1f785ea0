"""Quiz mode on the Python side: type an answer, click Check, read the feedback and the score.

step_through(..., quiz=True) attaches a Quiz to the stepper; until step_through takes quiz=
the tests attach it as step_through will (stepper.quiz = Quiz(stepper)).
"""
import re

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import step_through
from teachgrad.viz.quiz import Quiz, read_answer
from teachgrad.viz.stepper import StepperError


def neuron(w, x, b):
    z = w * x + b
    return np.tanh(z)


def fan_out(x):
    a = x * 3.0
    b = np.sin(x)
    return a * b


def quiz_stepper(fun, *args):
    s = step_through(fun, *args)
    s.quiz = Quiz(s)
    return s


def text(html):
    return re.sub("<[^>]+>", "", html)


def at(s, name):
    """Go to the backward step of the node called ``name``; return the widget."""
    w = s.widget
    i = next(i for i, f in enumerate(s.steps) if f.phase == "backward" and
             s.quiz.questions[i].symbol.endswith("/∂" + name))
    s.goto(i)
    return w


def answer(w, typed):
    w.answer.value = typed
    w.check_button.click()
    return text(w.feedback.value)


T = 1 - onp.tanh(0.7) ** 2          # ∂neuron/∂z at w, x, b = 2, 0.5, -0.3 (z = 0.7)


def test_a_right_answer_is_praised_revealed_and_scored():
    s = quiz_stepper(neuron, 2.0, 0.5, -0.3)
    w = at(s, "z")
    assert w.quiz_box.layout.display is None and "∂neuron/∂z" in text(w.prompt.value)
    assert w.explanation.layout.display == "none"              # the step's text waits for the answer
    assert f"#{s.scope}n4 text" in w.picture.value             # and so does z's gradient row
    feedback = answer(w, f"{T:.4f}")
    assert feedback.startswith("Right!") and "1 × 0.6347" in feedback
    assert "Score: 1 of 1 right on the first try" in w.score.value
    assert w.check_button.disabled and w.explanation.layout.display is None
    assert "Upstream gradient ∂neuron/∂z" in text(w.explanation.value)


def test_a_wrong_sign_is_named_and_scored_as_a_miss():
    s = quiz_stepper(neuron, 2.0, 0.5, -0.3)
    w = at(s, "w")
    feedback = answer(w, f"{-0.5 * T:.4f}")
    assert feedback.startswith("Not quite. Right size, wrong sign")
    assert "Score: 0 of 1" in w.score.value and not w.check_button.disabled
    assert answer(w, f"{0.5 * T:.4f}").startswith("Right!")       # a second try reveals, the score stays
    assert "Score: 0 of 1" in w.score.value


def test_a_wrong_local_derivative_is_named():
    s = quiz_stepper(neuron, 2.0, 0.5, -0.3)
    w = at(s, "z")
    # tanh(z) used where its derivative belongs
    feedback = answer(w, f"{onp.tanh(0.7):.4f}")
    assert "the local factor is off: you used the value of neuron (0.6044) instead of its derivative ∂neuron/∂z" in feedback
    w = at(s, "w")
    # ∂(w·x)/∂w taken as w instead of x
    feedback = answer(w, f"{2.0 * T:.4f}")
    assert "the local factor is off: you used the value of w itself (2)" in feedback
    assert "the derivative with respect to one factor is the other factor" in feedback
    # the upstream factor forgotten: the local derivative ∂v3/∂w = x alone
    assert "The upstream factor is missing" in answer(w, "0.5")
    assert "Score: 0 of 2" in w.score.value


def test_a_missing_sum_over_a_fan_out_is_named():
    s = quiz_stepper(fan_out, 0.5)
    w = at(s, "x")
    through_b = 1.5 * onp.cos(0.5)
    feedback = answer(w, f"{through_b:.4f}")
    assert "A path is missing: x is used 2 times" in feedback       # check_grad's own diagnosis
    assert "has only the contribution from b; add the one from a" in feedback
    assert answer(w, f"{through_b + 3 * onp.sin(0.5):.4f}").startswith("Right!")
    assert "Score: 0 of 1" in w.score.value


def test_reveal_unreadable_answers_and_the_output_question():
    s = quiz_stepper(neuron, 2.0, 0.5, -0.3)
    w = at(s, "neuron")
    assert answer(w, "one").startswith("Type a number")
    assert "Score: 0 of 0" in w.score.value                        # not counted
    assert "is not 0" in answer(w, "0")
    w.reveal_button.click()
    assert text(w.feedback.value).startswith("Revealed: ∂neuron/∂neuron = 1")
    assert "Score: 0 of 1" in w.score.value
    s.goto(0)                                                        # the forward phase asks nothing
    assert w.quiz_box.layout.display == "none"


def test_the_next_question_is_not_given_away_by_the_step_before():
    s = quiz_stepper(neuron, 2.0, 0.5, -0.3)
    w = at(s, "z")
    answer(w, f"{T:.4f}")
    shown = text(w.explanation.value)
    assert "Sends to" not in shown and "Local derivative" not in shown      # v3's and b's answers
    assert f"#{s.scope}n3 text" in w.picture.value                 # v3's gradient row stays hidden
    at(s, "v3")
    answer(w, f"{T:.4f}")
    at(s, "b")
    w.reveal_button.click()
    at(s, "z")
    assert "Sends to v3" in text(w.explanation.value)               # both answered: the whole text


def test_answers_are_read_like_numbers():
    assert read_answer(" -1.5e-3 ").tolist() == [-0.0015]
    assert read_answer("[[1, 2], [3, 4]]").tolist() == [1, 2, 3, 4]
    assert read_answer("0x10") is None and read_answer("inf") is None and read_answer("") is None


def test_arrays_need_the_right_number_of_entries():
    def loss(w):
        return np.sum(w * w)
    s = quiz_stepper(loss, onp.array([1.0, 2.0]))
    w = at(s, "w")
    assert "has shape (2,) (2 numbers)" in answer(w, "2")
    assert "Score: 0 of 0" in w.score.value
    assert answer(w, "[2, 4]").startswith("Right!")


def test_a_summary_cannot_be_a_quiz():
    from teachgrad.viz.quiz import QuizError

    def chain(x):
        for _ in range(3):
            x = np.sin(x)
        return x
    s = step_through(chain, 0.5, summary=True)
    with pytest.raises(QuizError, match="without summary=True"):
        Quiz(s)
    with pytest.raises(QuizError, match="forward mode has none"):
        Quiz(step_through(neuron, 2.0, 0.5, -0.3, mode="forward"))


def test_the_output_is_called_what_the_steppers_text_calls_it():
    s = step_through(lambda w, x: np.tanh(w * x), 2.0, 0.5)
    quiz = Quiz(s, output_name="loss")
    assert [q.symbol for q in quiz.questions.values()][:2] == ["∂loss/∂loss", "∂loss/∂v2"]


def test_the_kernel_free_copies_carry_the_quiz(tmp_path):
    from teachgrad.viz.stepper_html import notebook_html
    s = quiz_stepper(neuron, 2.0, 0.5, -0.3)
    page = s.save_html(tmp_path / "q.html").read_text(encoding="utf-8")
    assert "function teachgradQuiz(" in page and '"slips": [' in page
    assert "function teachgradQuiz(" in notebook_html(s)
    assert "function teachgradQuiz(" not in step_through(neuron, 2.0, 0.5, -0.3).save_html(tmp_path / "p.html").read_text()


def test_a_seed_is_the_output_questions_answer():
    s = step_through(lambda x: np.sin(x) * 2.0, 0.5, seed=3.0)
    quiz = Quiz(s)
    first = min(quiz.questions)
    assert not quiz.check(first, "1").right
    fb = quiz.check(first, "3")
    assert fb.right and "the seed passed to step_through (seed=)" in fb.text


def test_step_through_quiz_true_builds_the_quiz_and_refuses_it_in_forward_mode():
    s = step_through(neuron, 2.0, 0.5, -0.3, quiz=True)
    assert isinstance(s.quiz, Quiz) and s.quiz.output == "neuron"
    assert sorted(s.quiz.questions) == [i for i, f in enumerate(s.steps) if f.phase == "backward"]
    z = next(i for i, f in enumerate(s.steps) if f.phase == "backward" and f.node.name == "z")
    assert s.quiz.check(z, f"{1 - onp.tanh(0.7) ** 2:.4f}").right
    assert step_through(neuron, 2.0, 0.5, -0.3).quiz is None
    with pytest.raises(StepperError, match="does not support quiz=True"):
        step_through(neuron, 2.0, 0.5, -0.3, mode="forward", quiz=True)
