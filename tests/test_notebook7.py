"""In Notebook 7 itself: show_graph draws the graph and the stepper steps (headless Chromium)."""
import os
import time
import urllib.parse
import xml.etree.ElementTree as ET

import pytest

from browser import (chromium_page, highlighted_svg_nodes, jupyter_lesson, run_all_cells_in_jupyter,
                     wait_for_or_fail_on_cell_error)

# Notebook 7.6 itself throws this while it loads its settings, before any cell runs: a race in
# its keyboard-shortcut plugin (jupyter/notebook#7862). Nothing of teachgrad runs yet then.
NOTEBOOK_OWN_STARTUP_ERROR = "Cannot read properties of undefined (reading 'schema')"


@pytest.fixture
def notebook_url(tmp_path):
    try:
        from notebook import __version__
    except ImportError:
        pytest.fail("Notebook 7 is not installed: pip install 'notebook>=7'")
    assert __version__.split(".")[0] == "7", f"this test is for Notebook 7, found {__version__}"
    with jupyter_lesson(tmp_path, "notebook", "notebooks") as url:
        yield url


def svg_texts(data_uri):
    """Every <text> of an SVG given as a data: URI (how Notebook 7 shows image/svg+xml)."""
    header, _, body = data_uri.partition(",")
    assert header.startswith("data:image/svg+xml"), header
    svg = ET.fromstring(urllib.parse.unquote(body))
    return [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")]


def highlighted_names(page, expected, timeout=10.0):
    """The names of the highlighted nodes, once they are ``expected`` or ``timeout`` seconds passed
    (the widget redraws its SVG after its text)."""
    deadline = time.time() + timeout
    while True:
        names = [text.split()[0] for text in highlighted_svg_nodes(page)]
        if names == expected or time.time() > deadline:
            return names
        page.wait_for_timeout(100)


def test_graph_and_stepper_in_notebook7(notebook_url, tmp_path):
    from playwright.sync_api import expect
    with chromium_page() as page:
        errors = {"loading": [], "running": []}
        phase = ["loading"]
        page.on("pageerror", lambda e: errors[phase[0]].append(f"{e.message}\n{e.stack}"))
        page.set_viewport_size({"width": 1200, "height": 1400})
        page.goto(notebook_url, wait_until="domcontentloaded")
        run_all_cells_in_jupyter(page)
        phase[0] = "running"                             # from here on, teachgrad's code runs
        assert "/notebooks/lesson.ipynb" in page.url     # Notebook 7's page, not JupyterLab's /lab
        nxt = page.get_by_role("button", name="Next", exact=True)
        wait_for_or_fail_on_cell_error(page, nxt)

        # show_graph: one picture, an SVG whose nodes carry the function's own names
        graph_cell = page.locator(".jp-Cell").nth(2)
        expect(graph_cell.locator(".jp-OutputArea-output")).to_have_count(1)       # drawn once
        picture = graph_cell.locator('.jp-RenderedSVG img[src^="data:image/svg+xml"]')
        expect(picture).to_be_visible()
        texts = svg_texts(picture.get_attribute("src"))
        assert {"w", "x", "b", "z", "neuron"} <= set(texts), texts
        assert any("0.6044" in t for t in texts), texts                         # tanh(2 * 0.5 - 0.3)

        # the stepper: Next moves the highlight from w to x and the explanation with it
        explanation = page.locator(".widget-html")
        expect(page.get_by_text("forward 1/6", exact=True)).to_be_visible()
        expect(explanation.get_by_text("w is an input")).to_be_visible()
        assert highlighted_names(page, ["w"]) == ["w"]
        nxt.click()
        expect(page.get_by_text("forward 2/6", exact=True)).to_be_visible()
        expect(explanation.get_by_text("x is an input")).to_be_visible()
        assert highlighted_names(page, ["x"]) == ["x"]
        page.get_by_role("button", name="Last", exact=True).click()
        expect(page.get_by_text("backward 6/6", exact=True)).to_be_visible()
        expect(explanation.get_by_text("with respect to the input w: 0.3174")).to_be_visible()
        expect(page.locator('[class^="teachgrad-static-"]')).to_be_hidden()      # live widget hides its copy
        expect(page.get_by_text("Error displaying widget")).to_have_count(0)
        page.screenshot(path=os.environ.get("TEACHGRAD_NOTEBOOK7_SCREENSHOT", str(tmp_path / "nb7.png")),
                        full_page=True)

    assert errors["running"] == []
    assert all(e.startswith(NOTEBOOK_OWN_STARTUP_ERROR) and "/static/notebook/notebook_core." in e
               for e in errors["loading"]), errors["loading"]
