"""In JupyterLab 4 itself: show_graph draws once and the stepper steps (headless Chromium)."""
import os

import pytest

from browser import chromium_page, jupyter_lesson

@pytest.fixture
def lab_url(tmp_path):
    with jupyter_lesson(tmp_path, "jupyterlab", "lab/tree") as url:
        yield url


def test_graph_and_stepper_in_jupyterlab(lab_url, tmp_path):
    from playwright.sync_api import expect
    with chromium_page() as page:
        page.set_viewport_size({"width": 1200, "height": 1400})
        page.goto(lab_url, wait_until="domcontentloaded")
        page.locator(".jp-Notebook").wait_for(timeout=120_000)
        # a first start may ask which kernel to use: accept the default (Python 3)
        page.wait_for_timeout(1500)
        while page.locator(".jp-Dialog").count():
            page.locator(".jp-Dialog .jp-mod-accept").first.click()
            page.wait_for_timeout(500)
        # wait until the kernel is idle, then run every cell
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=120_000)
        page.locator(".jp-Notebook").click()
        page.keyboard.press("Escape")
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        nxt = page.get_by_role("button", name="Next", exact=True)
        nxt.wait_for(state="visible", timeout=120_000)
        # show_graph: one picture in its cell's output
        graph_cell = page.locator(".jp-Cell").nth(2)
        expect(graph_cell.locator(".jp-OutputArea-output")).to_have_count(1)       # drawn once
        expect(graph_cell.locator('.jp-RenderedSVG img[src^="data:image/svg+xml"]')).to_be_visible()
        # the stepper steps, and its static copy stays hidden
        expect(page.get_by_text("forward 1/6", exact=True)).to_be_visible()
        nxt.click()
        expect(page.get_by_text("forward 2/6", exact=True)).to_be_visible()
        page.get_by_role("button", name="Last", exact=True).click()
        expect(page.get_by_text("backward 6/6", exact=True)).to_be_visible()
        expect(page.locator('[class^="teachgrad-static-"]')).to_be_hidden()
        expect(page.get_by_text("Error displaying widget")).to_have_count(0)
        # close JupyterLab's own notifications (news, updates) so the screenshot shows the lesson
        news = page.locator(".Toastify__toast").get_by_role("button", name="No", exact=True)
        if news.count():
            news.first.click()                  # "notified about official Jupyter news?": no
        expect(page.locator(".Toastify__toast")).to_have_count(0, timeout=10_000)
        page.screenshot(path=os.environ.get("TEACHGRAD_LAB_SCREENSHOT", str(tmp_path / "lab.png")), full_page=True)
        assert page.js_errors == []
