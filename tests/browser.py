"""Headless Chromium for tests, through Playwright, offline.

Uses Debian's /usr/bin/chromium (scripts/test.sh installs it); never
downloads a browser.
"""
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import nbformat

import pytest

CHROMIUM = os.environ.get("TEACHGRAD_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def chromium_page(allow=("http://127.0.0.1", "ws://127.0.0.1", "file://", "data:", "blob:")):
    """A Playwright page in headless Chromium that can reach only local addresses."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/test.sh`, which installs Debian's chromium.")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path=CHROMIUM,
                                                   headless=True, args=ARGS)
        try:
            ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(allow) else r.abort())
            page = ctx.new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.js_errors = errors
            yield page
        finally:
            ctx.close()


@contextlib.contextmanager
def notebook_server(folder, cells, command):
    """Write ``cells`` to folder/lesson.ipynb and run ``python -m <command...> --port=P`` there.

    Yields the port once the server accepts connections (waiting without a GET: for
    Voila each GET starts a kernel). Jupyter's config, data and runtime folders are
    kept inside ``folder`` so nothing on the machine changes what the test sees.
    """
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbformat.write(nb, folder / "lesson.ipynb")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, **{name: str(folder / sub) for name, sub in [
        ("JUPYTER_CONFIG_DIR", "cfg"), ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_RUNTIME_DIR", "rt"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "ws")]}}
    proc = subprocess.Popen([sys.executable, "-m", *command, f"--port={port}"], cwd=folder, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail(f"{command[0]} did not start serving")
                time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        proc.wait(15)


TOKEN = "teachgrad-test"
NEURON_LESSON = [
    "import teachgrad.numpy as np\nfrom teachgrad import show_graph, step_through",
    "def neuron(w, x, b):\n    z = w * x + b\n    return np.tanh(z)",
    "show_graph(neuron, 2.0, 0.5, -0.3)",
    "s = step_through(neuron, 2.0, 0.5, -0.3)\ns",
]


@contextlib.contextmanager
def jupyter_lesson(folder, app, page_path, cells=NEURON_LESSON):
    """Serve ``cells`` as folder/lesson.ipynb with Jupyter ``app`` (``jupyterlab`` or
    ``notebook``); yields the URL of the lesson at ``page_path`` (``lab/tree``, ``notebooks``)."""
    command = [app, "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
               f"--IdentityProvider.token={TOKEN}", "--ServerApp.disable_check_xsrf=True",
               f"--ServerApp.root_dir={folder}"]
    with notebook_server(folder, cells, command) as port:
        yield f"http://127.0.0.1:{port}/{page_path}/lesson.ipynb?token={TOKEN}"


def run_all_cells_in_jupyter(page, timeout=120_000):
    """In JupyterLab or Notebook 7: pick the default kernel if asked, wait until it is idle,
    then Run > Run All Cells (menu clicks, as a student would)."""
    page.locator(".jp-Notebook").wait_for(timeout=timeout)
    page.wait_for_timeout(1500)                 # the kernel dialog, if any, opens after the notebook
    while page.locator(".jp-Dialog").count():
        page.locator(".jp-Dialog .jp-mod-accept").first.click()
        page.wait_for_timeout(500)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=timeout)
    page.locator(".jp-Notebook").click()
    page.keyboard.press("Escape")
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


def wait_for_or_fail_on_cell_error(page, locator, timeout=120_000):
    """Wait until ``locator`` is visible; if a cell shows a traceback first, fail with it."""
    error = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
                         has_text=re.compile(r"Traceback|Error:"))    # warnings are stderr too
    locator.or_(error).first.wait_for(state="visible", timeout=timeout)
    if error.count() and not locator.is_visible():
        pytest.fail("a notebook cell failed:\n" + error.first.inner_text())


def highlighted_svg_nodes(page, stroke="rgb(204, 121, 167)"):
    """The visible text of every drawn graph node whose outline has the stepper's highlight colour."""
    return page.evaluate("""(stroke) => [...document.querySelectorAll('g.node')]
        .filter(g => { const p = g.querySelector('path, polygon');
                       return p && p.getClientRects().length && getComputedStyle(p).stroke === stroke; })
        .map(g => [...g.querySelectorAll('text')].map(t => t.textContent).join(' '))""", stroke)
