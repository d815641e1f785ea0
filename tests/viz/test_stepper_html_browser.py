"""The stepper's saved page (save_html) runs its own script: drive it in headless Chromium.

No kernel and no server: the file is opened from disk, as a student opens it.
"""
import html
import re

import pytest

import teachgrad.numpy as np
from teachgrad import name, step_through
from browser import chromium_page

PINK = "rgb(204, 121, 167)"          # render.HIGHLIGHT, as the browser computes it


def neuron(w, x, b):
    z = w * x + b
    return np.tanh(z)


def plain(explanation: str) -> str:
    """What the page shows of an explanation: tags dropped, entities read."""
    return " ".join(html.unescape(re.sub("<[^>]+>", "", explanation)).split())


SHOWN = """(scope) => {
    const highlighted = (selector) => [...document.querySelectorAll(selector)]
        .filter(g => [...g.querySelectorAll(':scope > path, :scope > polygon')]
            .some(p => getComputedStyle(p).stroke === '%s'))
        .map(g => g.id.slice(scope.length));
    return {
        title: document.querySelector('.tg-title').textContent,
        explanation: document.querySelector('.tg-explanation').textContent.split(/\\s+/).join(' ').trim(),
        slider: document.querySelector('.tg-slider').value,
        nodes: highlighted('g.node'),
        edges: highlighted('g.edge'),
        faded: [...document.querySelectorAll('g.node')]
            .filter(g => getComputedStyle(g).opacity < 0.5).map(g => g.id.slice(scope.length)),
    };
}""" % PINK


def expected(stepper, i):
    frame = stepper.steps[i]
    edges = sorted(f"e{p.id}_{frame.node.id}_{a}" for p, a, _ in frame.step.contributions) \
        if frame.step is not None else []
    faded = sorted(f"n{n}" for n in frame.style.hidden)
    return {"title": frame.title, "explanation": plain(frame.explanation), "slider": str(i),
            "nodes": [f"n{frame.node.id}"], "edges": edges, "faded": faded}


def shown(page, stepper):
    state = page.evaluate(SHOWN, stepper.scope)
    state["edges"] = sorted(state["edges"])
    state["faded"] = sorted(state["faded"])
    return state


def test_next_and_previous_step_through_every_frame_in_order(tmp_path):
    s = step_through(neuron, 2.0, 0.5, -0.5)
    path = s.save_html(tmp_path / "stepper.html")
    n = len(s.steps)
    with chromium_page() as page:
        page.goto(path.as_uri())
        nxt = page.locator(".tg-next")
        prev = page.locator(".tg-prev")
        assert nxt.text_content() == "Next" and prev.text_content() == "Previous"
        assert shown(page, s) == expected(s, 0)
        assert expected(s, 0)["faded"] == ["n1", "n2", "n3", "n4", "n5"]     # not computed yet
        for i in range(1, n):                      # forward 2/6 ... backward 6/6
            nxt.click()
            assert shown(page, s) == expected(s, i), i
        # the first backward step (at the output) sends along the edge z -> tanh
        assert expected(s, n // 2)["edges"] == ["e4_5_0"]
        nxt.click()                                # at the end it stays
        assert shown(page, s) == expected(s, n - 1)
        for i in range(n - 2, -1, -1):
            prev.click()
            assert shown(page, s) == expected(s, i), i
        prev.click()                               # at the start it stays
        assert shown(page, s) == expected(s, 0)
        page.locator(".tg-last").click()
        assert shown(page, s)["title"] == "backward 6/6"
        page.locator(".tg-first").click()
        assert shown(page, s)["title"] == "forward 1/6"
        page.keyboard.press("ArrowRight")
        assert shown(page, s) == expected(s, 1)
        assert page.js_errors == []


def test_hostile_names_show_as_text_not_markup(tmp_path):
    payload = "<img src=x onerror=\"document.title='hacked'\">&amp;"
    s = step_through(lambda x: name(x * 2.0, payload) + 1.0, 1.0)
    path = s.save_html(tmp_path / "stepper.html")
    with chromium_page() as page:
        page.goto(path.as_uri())
        page.locator(".tg-last").click()
        page.locator(".tg-prev").click()
        state = shown(page, s)
        assert state == expected(s, len(s.steps) - 2)
        assert payload in state["explanation"]                 # read literally, once escaped
        assert page.locator(".tg-explanation img").count() == 0
        assert page.evaluate("document.title") != "hacked"
        svg_text = " ".join(page.locator("svg").first.text_content().split())
        assert " ".join(payload.split()) in svg_text
        assert page.js_errors == []
