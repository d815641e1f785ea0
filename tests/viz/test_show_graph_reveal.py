"""show_graph(..., reveal=True): the picture without gradients, the answer behind a click,
in a notebook saved as HTML too (no kernel, no script)."""
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter

import teachgrad.numpy as np
from browser import chromium_page
from teachgrad import grad, show_graph


def neuron(w, x, b):
    z = w * x + b
    return np.tanh(z)


def texts(svg):
    return " ".join(re.findall(r">([^<>]+)</text>", svg))


def test_the_blank_picture_has_no_gradient_and_the_answer_has_them_all():
    picture = show_graph(neuron, 2.0, 0.5, -0.3, reveal=True)
    blank, answer = texts(picture.svg()), texts(picture.answer.svg())
    assert "∂" not in blank and "0.6044" in blank          # values only: tanh(0.7) = 0.6044
    dw, dx, db = (float(g) for g in grad(neuron, (0, 1, 2))(2.0, 0.5, -0.3))
    for name, g in [("w", dw), ("x", dx), ("b", db)]:
        assert f"∂neuron/∂{name} = {g:.4g}" in answer, name
    html = picture.reveal_html()
    assert html.count("<svg") == 2 and "<?xml" not in html and "Show the gradients" in html
    shown, hidden = html.split("<details>")
    assert "∂" not in texts(shown) and "∂neuron/∂w = " in texts(hidden)


def test_without_reveal_there_is_no_answer_and_asking_for_it_explains():
    picture = show_graph(neuron, 2.0, 0.5, -0.3)
    assert picture.answer is None
    with pytest.raises(ValueError, match="reveal=True"):
        picture.reveal_html()


def test_a_saved_notebook_opens_the_answer_with_a_click(tmp_path):
    cells = ["import teachgrad.numpy as np\nfrom teachgrad import show_graph",
             "def neuron(w, x, b):\n    return np.tanh(w * x + b)",
             "show_graph(neuron, 2.0, 0.5, -0.3, reveal=True);"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[2].outputs
    assert len(outputs) == 1 and "<details>" in outputs[0]["data"]["text/html"]
    body, _ = HTMLExporter().from_notebook_node(nb)
    page_file = tmp_path / "saved.html"
    page_file.write_text(body, encoding="utf-8")
    with chromium_page() as page:
        page.goto(page_file.as_uri())
        answer = page.locator(".teachgrad-reveal details svg")
        blank = page.locator(".teachgrad-reveal > svg")
        assert blank.is_visible() and not answer.is_visible()
        assert "0.6044" in blank.text_content() and "∂neuron/∂w" not in blank.text_content()
        page.get_by_text("Show the gradients").click()
        answer.wait_for(state="visible", timeout=5_000)
        assert "∂neuron/∂w = 0.3174" in answer.text_content()
        assert page.js_errors == []
