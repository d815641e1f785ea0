"""End to end: the stepper in a real browser, through a live kernel (Voila + headless Chromium)."""
import os

import pytest

from browser import chromium_page, notebook_server

NOTEBOOK = [
    "import teachgrad.numpy as np\nfrom teachgrad import step_through",
    "def neuron(w, x, b):\n    z = w * x + b\n    return np.tanh(z)",
    "s = step_through(neuron, 2.0, 0.5, -0.3)\ns",
]


@pytest.fixture
def voila_url(tmp_path):
    with notebook_server(tmp_path, NOTEBOOK, ["voila", "lesson.ipynb", "--no-browser",
                                              "--Voila.ip=127.0.0.1"]) as port:
        yield f"http://127.0.0.1:{port}/"


MOVED_FIRST = NOTEBOOK[:2] + ["s = step_through(neuron, 2.0, 0.5, -0.3)\ns.goto(8)\ns"]


def test_a_stepper_moved_before_display_shows_that_step(tmp_path):
    """Play is linked to the slider in the browser: drawn at 0, it used to pull the slider back to step 1."""
    from playwright.sync_api import expect
    with notebook_server(tmp_path, MOVED_FIRST, ["voila", "lesson.ipynb", "--no-browser",
                                                 "--Voila.ip=127.0.0.1"]) as port, chromium_page() as page:
        page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
        live = page.locator('[class*="teachgrad-widget-"]')     # the widget, not the kernel-free copy
        nxt = live.get_by_role("button", name="Next", exact=True)
        nxt.wait_for(state="visible", timeout=90_000)
        expect(live.get_by_text("backward 3/6", exact=True)).to_be_visible()
        page.wait_for_timeout(1000)                  # a late sync from the browser would move it back
        expect(live.get_by_text("backward 3/6", exact=True)).to_be_visible()
        nxt.click()
        expect(live.get_by_text("backward 4/6", exact=True)).to_be_visible()
        assert page.js_errors == []


def test_next_moves_the_highlight_and_the_explanation(voila_url, tmp_path):
    from playwright.sync_api import expect
    with chromium_page() as page:
        page.goto(voila_url, wait_until="domcontentloaded")
        live = page.locator('[class*="teachgrad-widget-"]')     # the widget, not the kernel-free copy
        nxt = live.get_by_role("button", name="Next", exact=True)
        nxt.wait_for(state="visible", timeout=90_000)
        expect(live.get_by_text("forward 1/6", exact=True)).to_be_visible()
        expect(page.locator(".widget-html").get_by_text("w is an input")).to_be_visible()
        # the static copy for viewers without widgets exists, and the live widget hides it
        expect(page.locator('[class^="teachgrad-static-"]')).to_have_count(1)
        expect(page.locator('[class^="teachgrad-static-"]')).to_be_hidden()
        # so does the kernel-free stepper kept for viewers without a kernel (no double stepper)
        expect(page.locator('[class^="teachgrad-kernel-free-"]')).to_have_count(1)
        expect(page.locator('[class^="teachgrad-kernel-free-"]')).to_be_hidden()
        expect(page.get_by_role("button", name="Next", exact=True)).to_have_count(1)
        page.wait_for_timeout(600)                   # the copy's script waits 300 ms for a widget
        expect(page.locator('[class^="teachgrad-kernel-free-"] .tg-controls')).to_have_count(0)
        nxt.click()
        expect(live.get_by_text("forward 2/6", exact=True)).to_be_visible()
        expect(page.locator(".widget-html").get_by_text("x is an input")).to_be_visible()
        page.get_by_role("button", name="Last", exact=True).click()
        expect(live.get_by_text("backward 6/6", exact=True)).to_be_visible()
        expect(page.locator(".widget-html").get_by_text("with respect to the input w: 0.3174")).to_be_visible()
        page.get_by_role("button", name="Previous", exact=True).click()
        expect(live.get_by_text("backward 5/6", exact=True)).to_be_visible()
        # the highlighted node is drawn with the highlight colour in the live SVG
        stroke = page.evaluate("""() => {
            const styles = [...document.querySelectorAll('style')].map(s => s.textContent).join(' ');
            const m = styles.match(/#(tg\\w+?n\\d+) > path/);
            const node = m && document.getElementById(m[1]);
            return node ? getComputedStyle(node.querySelector('path')).stroke : null;
        }""")
        assert stroke == "rgb(204, 121, 167)"
        # exactly one node is highlighted on the page (the static copy must not leak its style)
        highlighted = page.evaluate("""() => [...document.querySelectorAll('g.node > path')]
            .filter(p => p.getClientRects().length && getComputedStyle(p).stroke === 'rgb(204, 121, 167)').length""")
        assert highlighted == 1
        page.screenshot(path=os.environ.get("TEACHGRAD_SCREENSHOT", str(tmp_path / "stepper.png")), full_page=True)
        assert page.js_errors == []


QUIZ = NOTEBOOK[:2] + ["from teachgrad.viz.quiz import Quiz\n"
                       "s = step_through(neuron, 2.0, 0.5, -0.3)\ns.quiz = Quiz(s)\ns.goto(7)\ns"]


def test_quiz_checks_an_answer_through_the_kernel(tmp_path):
    from playwright.sync_api import expect
    with notebook_server(tmp_path, QUIZ, ["voila", "lesson.ipynb", "--no-browser",
                                          "--Voila.ip=127.0.0.1"]) as port, chromium_page() as page:
        page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
        live = page.locator('[class*="teachgrad-widget-"]')
        check = live.get_by_role("button", name="Check", exact=True)
        check.wait_for(state="visible", timeout=90_000)
        expect(live.get_by_text("backward 2/6", exact=True)).to_be_visible()
        expect(live.get_by_text("the gradient of neuron with respect to z")).to_be_visible()
        box = live.get_by_placeholder("your answer")
        box.fill("-0.6347")
        check.click()
        expect(live.get_by_text("Not quite. Right size, wrong sign", exact=False)).to_be_visible()
        box.fill("0.6347")
        check.click()
        expect(live.get_by_text("Right! ∂neuron/∂z = 0.6347", exact=False)).to_be_visible()
        expect(live.get_by_text("Score: 0 of 1 right on the first try", exact=False)).to_be_visible()
        expect(live.get_by_text("Upstream gradient ∂neuron/∂z", exact=False)).to_be_visible()
        assert page.js_errors == []
