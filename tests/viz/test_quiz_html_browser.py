"""Quiz mode without a kernel: the saved page checks answers in its own script (headless Chromium)."""
import numpy as onp

import teachgrad.numpy as np
from teachgrad import step_through
from teachgrad.viz.quiz import Quiz
from browser import chromium_page


def neuron(w, x, b):
    z = w * x + b
    return np.tanh(z)


def test_type_an_answer_click_check_and_read_the_feedback(tmp_path):
    s = step_through(neuron, 2.0, 0.5, -0.3)
    s.quiz = Quiz(s)
    path = s.save_html(tmp_path / "quiz.html")
    t = 1 - onp.tanh(0.7) ** 2
    with chromium_page() as page:
        page.goto(path.as_uri())
        quiz = page.locator(".tg-quiz")
        assert quiz.is_hidden()                                   # the forward phase asks nothing
        for _ in range(7):                                        # to backward 2/6, at z
            page.get_by_role("button", name="Next", exact=True).click()
        assert page.locator(".tg-title").text_content() == "backward 2/6"
        assert quiz.is_visible() and "∂neuron/∂z" in quiz.locator(".tg-prompt").text_content()
        assert page.locator(".tg-explanation").is_hidden()
        z_gradient = page.locator("g.node", has_text="∂neuron/∂z").locator('text[fill="#b35806"]')
        assert z_gradient.evaluate("e => getComputedStyle(e).visibility") == "hidden"
        # the step's products (upstream × local = share) would give the answer away too
        shown_products = """() => [...document.querySelectorAll('svg text')]
            .filter(e => /\\d × -?\\d.* = /.test(e.textContent) && getComputedStyle(e).visibility === 'visible')
            .map(e => e.textContent)"""
        assert page.evaluate(shown_products) == []
        box = page.get_by_label("your answer")
        box.fill(f"{-t:.4f}")
        page.get_by_role("button", name="Check").click()
        feedback = quiz.locator(".tg-feedback")
        assert feedback.text_content().startswith("Not quite. Right size, wrong sign")
        box.fill(f"{onp.tanh(0.7):.4f}")
        box.press("Enter")
        assert "you used the value of neuron (0.6044) instead of its derivative" in feedback.text_content()
        assert quiz.locator(".tg-score").text_content().startswith("Score: 0 of 1 right on the first try")
        box.fill(f"{t:.4f}")
        page.get_by_role("button", name="Check").click()
        assert feedback.text_content().startswith("Right! ∂neuron/∂z = 0.6347")
        assert page.locator(".tg-explanation").is_visible()
        assert "Upstream gradient ∂neuron/∂z" in page.locator(".tg-explanation").text_content()
        assert "Sends to" not in page.locator(".tg-explanation").text_content()   # v3's answer waits
        assert z_gradient.evaluate("e => getComputedStyle(e).visibility") == "visible"
        # answered: the products z sends show, but not the shares of v3 and b, still to be asked
        assert page.evaluate(shown_products) == []
        page.get_by_role("button", name="Next", exact=True).click()              # v3: a new question
        assert box.input_value() == "" and feedback.text_content() == ""
        page.get_by_role("button", name="Reveal").click()
        assert feedback.text_content().startswith("Revealed: ∂neuron/∂v3 = 0.6347")
        assert quiz.locator(".tg-score").text_content().startswith("Score: 0 of 2")
        assert page.js_errors == []
