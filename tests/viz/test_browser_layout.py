"""Without `dot`, show_graph's picture is laid out in the browser by the bundled Graphviz (WASM)."""
import teachgrad.numpy as np
from teachgrad import show_graph
from teachgrad.viz.picture import GraphPicture
from browser import chromium_page


def f(x, y):
    z = x * y
    return np.sin(z) + x ** 2


def test_fallback_html_draws_the_graph_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))            # no dot
    picture = show_graph(f, 1.0, 2.0, display=False)
    html = picture._fallback_html()
    assert "install" in html and "<script>" in html
    page_file = tmp_path / "fallback.html"
    page_file.write_text(f"<html><head><meta charset=\"utf-8\"></head><body>{html}</body></html>", encoding="utf-8")
    with chromium_page() as page:
        page.goto(page_file.as_uri())
        svg = page.locator("svg").first
        svg.wait_for(state="attached", timeout=30_000)
        text = " ".join(svg.text_content().split())
        assert "sin(z)" in text and "∂f/∂x = 1.168" in text and "z = x * y" in text
        assert page.js_errors == []
        page.screenshot(path=str(tmp_path / "fallback.png"))
    assert isinstance(picture, GraphPicture)
