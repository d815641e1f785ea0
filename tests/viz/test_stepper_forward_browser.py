"""A forward-mode stepper saved with save_html steps in headless Chromium, like a reverse one.

The page and its script belong to stepper_html; this test only checks that a forward-mode
Stepper's frames (tangent rows instead of gradient rows) need nothing new there.
"""

import teachgrad.numpy as np
from teachgrad import step_through
from browser import chromium_page

PINK = "rgb(204, 121, 167)"          # render.HIGHLIGHT, as the browser computes it

STATE = """(scope) => {
    const root = document.getElementById(scope);
    const pink = (g) => [...g.querySelectorAll(':scope > path, :scope > polygon')]
        .some(p => getComputedStyle(p).stroke === '%s');
    return {
        highlighted: [...root.querySelectorAll('g.node')].filter(pink).map(g => g.id.slice(scope.length)),
        faded: [...root.querySelectorAll('g.node')].filter(g => getComputedStyle(g).opacity < 0.5).length,
        hidden_text: [...root.querySelectorAll('text')]
            .filter(t => getComputedStyle(t).visibility === 'hidden').length,
        body: document.body.innerText,
    };
}""" % PINK


def neuron(w, x, b):
    z = w * x + b
    h = np.sin(z)
    return h * z


def test_next_moves_the_highlight_and_the_tangent_text(tmp_path):
    s = step_through(neuron, 2.0, 0.5, -0.5, mode="forward", wrt=1)
    path = s.save_html(tmp_path / "forward.html")
    n = len(s.steps)
    with chromium_page() as page:
        page.goto(path.as_uri())
        state = page.evaluate(STATE, s.scope)
        assert state["highlighted"] == [f"n{s.steps[0].node.id}"] and state["faded"] == n - 1
        assert "x is the input that moves" in state["body"]
        next_button = page.get_by_role("button", name="Next", exact=True)
        for i in range(1, n):
            next_button.click()
            state = page.evaluate(STATE, s.scope)
            assert state["highlighted"] == [f"n{s.steps[i].node.id}"], i
            assert state["faded"] == n - 1 - i
        assert state["hidden_text"] == 0                  # no row of the picture is hidden
        assert "Tangent dneuron = z·dh + h·dz" in state["body"]
        assert page.js_errors == []
