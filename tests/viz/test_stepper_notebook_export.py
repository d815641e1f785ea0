"""A saved notebook steps without a kernel: executed by nbclient, exported by nbconvert to HTML,
opened from disk in headless Chromium with no internet (so the widget renderer never loads)."""
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from browser import chromium_page

PINK = "rgb(204, 121, 167)"          # render.HIGHLIGHT, as the browser computes it
CELLS = ["import teachgrad.numpy as np\nfrom teachgrad import step_through",
         "def neuron(w, x, b):\n    z = w * x + b\n    return np.tanh(z)",
         "s = step_through(neuron, 2.0, 0.5, -0.3)\ns"]

HIGHLIGHTED = """(root) => [...document.getElementById(root).querySelectorAll('g.node')]
    .filter(g => [...g.querySelectorAll(':scope > path, :scope > polygon')]
        .some(p => getComputedStyle(p).stroke === '%s'))
    .map(g => g.querySelector('title').textContent)""" % PINK


@pytest.fixture(scope="module", params=[True, False], ids=["widget state saved", "no widget state"])
def exported(tmp_path_factory, request):
    """nbclient saves the widgets' state (a page then may draw the widget, without a kernel);
    JupyterLab by default does not (the widget's output is then skipped by nbconvert)."""
    folder = tmp_path_factory.mktemp("export")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=request.param,
                   resources={"metadata": {"path": str(folder)}}).execute()
    body, _ = HTMLExporter().from_notebook_node(nb)
    path = folder / "lesson.html"
    path.write_text(body, encoding="utf-8")
    assert ('<script type="application/vnd.jupyter.widget-state+json">' in body) == request.param
    return nb, path


def test_the_saved_notebook_keeps_the_widget_and_a_kernel_free_stepper(exported):
    nb, _ = exported
    outputs = nb.cells[2].outputs
    kinds = [sorted(o.get("data", {})) for o in outputs]
    assert ["application/vnd.jupyter.widget-view+json", "text/plain"] in kinds
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert sum("teachgrad-kernel-free-" in h for h in html) == 1
    assert sum('class="teachgrad-static-' in h and "<svg" in h for h in html) == 1


def test_exported_html_steps_with_the_buttons_without_a_kernel(exported):
    _, path = exported
    with chromium_page() as page:
        page.goto(path.as_uri())
        root = page.locator('[class^="teachgrad-kernel-free-"]')
        root_id = root.get_attribute("id")
        nxt = root.get_by_role("button", name="Next", exact=True)
        nxt.wait_for(state="visible", timeout=10_000)
        # the final frame kept for viewers without scripts gives way to the stepper
        assert page.locator('[class^="teachgrad-static-"]').is_hidden()
        title = root.locator(".tg-title")
        assert title.text_content() == "forward 1/6"
        assert page.evaluate(HIGHLIGHTED, root_id) == ["n0"]            # w
        nxt.click()
        assert title.text_content() == "forward 2/6"
        assert page.evaluate(HIGHLIGHTED, root_id) == ["n1"]            # x
        assert "x is an input" in root.locator(".tg-explanation").text_content()
        root.get_by_role("button", name="Last", exact=True).click()
        assert title.text_content() == "backward 6/6"
        assert "with respect to the input w: 0.3174" in root.locator(".tg-explanation").text_content()
        root.get_by_role("button", name="Previous", exact=True).click()
        assert title.text_content() == "backward 5/6"
        assert len(page.evaluate(HIGHLIGHTED, root_id)) == 1
        assert page.js_errors == []


def test_where_scripts_are_stripped_the_final_frame_still_shows(exported, tmp_path):
    _, path = exported
    stripped = re.sub(r"<script\b.*?</script>", "", path.read_text(encoding="utf-8"), flags=re.S)
    bare = tmp_path / "github.html"
    bare.write_text(stripped, encoding="utf-8")
    with chromium_page() as page:
        page.goto(bare.as_uri())
        static = page.locator('[class^="teachgrad-static-"]')
        assert static.is_visible() and static.locator("svg").is_visible()
        assert "Backward 6/6" in static.text_content()
        assert page.locator('[class^="teachgrad-kernel-free-"]').inner_html() == ""
        assert page.get_by_role("button", name="Next").count() == 0
