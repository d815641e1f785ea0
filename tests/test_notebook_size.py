"""Notebooks stay small: the committed ones, and one whose pictures are laid out in the browser.

Where no layout program runs, each picture is laid out in the browser by the bundled Graphviz
(WebAssembly). The library goes into the first such output of a kernel session only; the others
use it from there, so ten pictures weigh about what one does.
"""
import json
import pathlib

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from browser import chromium_page
from teachgrad.viz.picture import browser_layout_html

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIMIT = 2 * 1024 * 1024
NO_LAYOUT_PROGRAM = """\
from teachgrad.viz import layout
layout.find_pure = lambda: None         # as on a platform graphviz-pure has no build for
layout.find_dot = lambda: None
import teachgrad.numpy as np
from teachgrad import show_graph
"""


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_committed_notebooks_are_under_2_mb(notebook):
    size = notebook.stat().st_size
    assert size <= LIMIT, f"{notebook.name} is {size / 1e6:.1f} MB: GitHub and JupyterLab slow down"


def run_notebook(folder: pathlib.Path, pictures: int) -> pathlib.Path:
    cells = [nbformat.v4.new_code_cell(NO_LAYOUT_PROGRAM)] + [
        nbformat.v4.new_code_cell(f"show_graph(lambda x: np.sin(x * {k + 1}.0) + x, 0.5);")
        for k in range(pictures)]
    nb = nbformat.v4.new_notebook(cells=cells)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    path = folder / f"pictures_{pictures}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fallback")
    return run_notebook(folder, 1), run_notebook(folder, 10)


def test_ten_browser_laid_out_pictures_weigh_about_one(notebooks):
    one, ten = (p.stat().st_size for p in notebooks)
    assert ten < one + 9 * 10_000, (one, ten)          # each further picture: a few kB of DOT
    assert ten < LIMIT
    outputs = [o for cell in json.loads(notebooks[1].read_text())["cells"] for o in cell.get("outputs", [])]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(html) == 10 and sum("window.teachgradViz = " in "".join(h) for h in html) == 1


def test_the_exported_notebook_draws_every_picture_offline(notebooks, tmp_path):
    body, _ = HTMLExporter().from_filename(str(notebooks[1]))
    page_file = tmp_path / "ten.html"
    page_file.write_text(body, encoding="utf-8")
    with chromium_page() as page:
        page.goto(page_file.as_uri())
        page.wait_for_function("document.querySelectorAll('.jp-OutputArea svg g.node').length > 0",
                               timeout=60_000)
        page.wait_for_function("Array.from(document.querySelectorAll('[id^=teachgrad-]'))"
                               ".every(e => e.querySelector('svg'))", timeout=60_000)
        drawn = page.eval_on_selector_all("[id^=teachgrad-]", "els => els.map(e => e.textContent)")
        assert len(drawn) == 10
        for k, text in enumerate(drawn):          # each cell's own graph, with its gradient
            assert f"x * {k + 1}" in text and "∂out/∂x" in text, text
        assert page.js_errors == []


def test_a_picture_before_the_library_waits_for_it(tmp_path):
    first = browser_layout_html('digraph { a [label="first"] }', library=False)
    second = browser_layout_html('digraph { b [label="second"] }', library=True)
    page_file = tmp_path / "order.html"
    page_file.write_text(f'<html><head><meta charset="utf-8"></head><body>{first}{second}</body></html>',
                         encoding="utf-8")
    with chromium_page() as page:
        page.goto(page_file.as_uri())
        page.wait_for_function("document.querySelectorAll('svg').length === 2", timeout=60_000)
        texts = page.eval_on_selector_all("svg", "s => s.map(e => e.textContent)")
        assert "first" in texts[0] and "second" in texts[1], texts
        assert page.js_errors == []
