"""Regenerate the README's pictures and screenshots in assets/, with one command.

    .venv/bin/python scripts/make_assets.py                  # everything, about a minute
    .venv/bin/python scripts/make_assets.py scalar stepper   # only these

The graph pictures need teachgrad alone; the screenshots need the dev extra (Voila, JupyterLab,
Notebook 7, Playwright) and Debian's /usr/bin/chromium, which scripts/test.sh installs.

Every example sits at a point where each factor of the chain rule is its own number: the
neuron tanh(w * x + b) at w = 2, x = 0.5, b = -0.3 has tanh'(0.7) = 0.6347 (at z = 0 it would be
1 and vanish from every product), and f(x, y) = sin(x * y) + x ** 2 is drawn at x = 1.5, y = 0.5
(at x = 1 the factor x would read 1). The screenshots drive the live widget through a kernel
in headless Chromium (Voila, JupyterLab 4, Notebook 7) with the helpers of tests/browser.py,
at the backward step where the stepper multiplies upstream gradient by local derivative, and
with Jupyter's news and update pop-ups switched off.
"""
import json
import pathlib
import sys
import tempfile
import time

import numpy as onp

import teachgrad.numpy as np
from teachgrad import grad, show_graph

ROOT = pathlib.Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"


def scalar_example(x, y):
    z = x * y
    h = np.sin(z)
    return h + x ** 2


def layer(W, b, x):
    z = W @ x + b
    return np.tanh(z)


def network(params, x, target):
    h = layer(params['W1'], params['b1'], x)
    out = layer(params['W2'], params['b2'], h)
    return np.sum((out - target) ** 2)


def graph_pictures():
    """The show_graph pictures, by asset name."""
    rng = onp.random.default_rng(0)
    # biases that are not zero, so that adding them visibly changes a value
    params = {'W1': rng.normal(size=(3, 2)).round(2), 'b1': onp.array([0.1, 0.3, -0.2]),
              'W2': rng.normal(size=(1, 3)).round(2), 'b2': onp.array([0.1])}
    return {
        "scalar": lambda: show_graph(scalar_example, 1.5, 0.5, display=False),
        "network": lambda: show_graph(network, params, onp.array([0.5, -1.0]), onp.array([0.3]),
                                      wrt="params", digits=3, display=False),
        "gradient": lambda: show_graph(grad(np.tanh), 0.5, display=False),
    }


# The stepper's lesson, as a notebook. The screenshots show "backward 3/6" at w * x (Last, then
# Previous three times): upstream 0.6347 times the local derivatives x = 0.5 and w = 2.
NEURON = "def neuron(w, x, b):\n    z = w * x + b\n    return np.tanh(z)"
STEP, BACK_FROM_LAST = "backward 3/6", 3
LESSON = [
    "import teachgrad.numpy as np\nfrom teachgrad import show_graph, step_through",
    NEURON,
    "show_graph(neuron, 2.0, 0.5, -0.3)",
    "s = step_through(neuron, 2.0, 0.5, -0.3)\ns",
]
TOKEN = "teachgrad-assets"
# Settings that keep Jupyter's own pop-ups (official news, update checks) out of the screenshots,
# and leave out the nbgrader extension that the dev environment installs but students do not see.
QUIET_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings":
                  {"fetchNews": "false", "checkForUpdates": False}}
PAGE_CONFIG = {"disabledExtensions": {"@jupyter/nbgrader": True}}


def quiet_jupyter(folder: pathlib.Path) -> None:
    """Write the settings above where tests/browser.py's notebook_server points Jupyter."""
    for name, value in QUIET_SETTINGS.items():
        path = folder / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    labconfig = folder / "cfg" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps(PAGE_CONFIG))


def go_to_step(page, browser) -> None:
    """Click to STEP as a student would, and wait until w * x is highlighted (the SVG is redrawn last)."""
    from playwright.sync_api import expect
    page.get_by_role("button", name="Last", exact=True).click()
    expect(page.get_by_text("backward 6/6", exact=True)).to_be_visible()
    for back in range(BACK_FROM_LAST):
        page.get_by_role("button", name="Previous", exact=True).click()
        expect(page.get_by_text(f"backward {5 - back}/6", exact=True)).to_be_visible()
    expect(page.get_by_text(STEP, exact=True)).to_be_visible()
    deadline = time.time() + 30
    while not any(text.startswith("w * x") for text in browser.highlighted_svg_nodes(page)):
        if time.time() > deadline:
            raise RuntimeError(f"the stepper never highlighted w * x at {STEP}")
        page.wait_for_timeout(100)


def no_pop_ups(page) -> None:
    from playwright.sync_api import expect
    expect(page.locator(".Toastify__toast")).to_have_count(0, timeout=10_000)
    expect(page.locator(".jp-Dialog")).to_have_count(0)
    expect(page.get_by_text("Error displaying widget")).to_have_count(0)


def voila_screenshot(browser, folder, path):
    """The stepper alone, as a student sees it in a dashboard."""
    with browser.notebook_server(folder, LESSON[:2] + LESSON[3:],
                                 ["voila", "lesson.ipynb", "--no-browser", "--Voila.ip=127.0.0.1"]) as port:
        with browser.chromium_page() as page:
            page.set_viewport_size({"width": 900, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
            last = page.get_by_role("button", name="Last", exact=True)
            last.wait_for(timeout=120_000)
            go_to_step(page, browser)
            no_pop_ups(page)
            # Voila's page scrolls inside its own box, so a full-page shot would cut the text off:
            # take the stepper's box instead, with a margin
            stepper = page.locator(".widget-vbox").filter(has=last).first
            box = stepper.bounding_box()
            margin = 12
            page.screenshot(path=str(path), clip={"x": max(box["x"] - margin, 0), "y": max(box["y"] - margin, 0),
                                                  "width": box["width"] + 2 * margin,
                                                  "height": box["height"] + 2 * margin})
            assert page.js_errors == [], page.js_errors


def jupyter_screenshot(browser, folder, path, app):
    """The whole lesson in JupyterLab or Notebook 7: the picture, then the stepper."""
    from playwright.sync_api import expect
    quiet_jupyter(folder)
    command = [app, "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
               f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={folder}"]
    route = "lab/tree" if app == "jupyterlab" else "notebooks"
    with browser.notebook_server(folder, LESSON, command) as port:
        with browser.chromium_page() as page:
            page.set_viewport_size({"width": 1100, "height": 1500})
            page.goto(f"http://127.0.0.1:{port}/{route}/lesson.ipynb?token={TOKEN}",
                      wait_until="domcontentloaded")
            notification = page.request.get(f"http://127.0.0.1:{port}/lab/api/settings/"
                                            f"@jupyterlab/apputils-extension:notification?token={TOKEN}").json()
            assert notification["settings"]["fetchNews"] == "false", notification["settings"]
            browser.run_all_cells_in_jupyter(page)
            browser.wait_for_or_fail_on_cell_error(page, page.get_by_role("button", name="Last", exact=True))
            if app == "jupyterlab":                   # fold the file browser away: the lesson only
                page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
                expect(page.locator("#filebrowser")).to_be_hidden()
            go_to_step(page, browser)
            no_pop_ups(page)
            page.screenshot(path=str(path), full_page=True)


SCREENSHOTS = {
    "stepper": voila_screenshot,
    "jupyterlab": lambda browser, folder, path: jupyter_screenshot(browser, folder, path, "jupyterlab"),
    "notebook7": lambda browser, folder, path: jupyter_screenshot(browser, folder, path, "notebook"),
}


def main(names) -> None:
    pictures = graph_pictures()
    unknown = set(names) - set(pictures) - set(SCREENSHOTS)
    if unknown:
        sys.exit(f"unknown asset(s) {sorted(unknown)}; choose from {sorted(pictures) + sorted(SCREENSHOTS)}")
    names = names or [*pictures, *SCREENSHOTS]
    ASSETS.mkdir(exist_ok=True)
    for name in names:
        if name in pictures:
            picture = pictures[name]()
            for suffix in (".svg", ".png"):
                print("wrote", picture.save(ASSETS / f"{name}{suffix}").relative_to(ROOT))
    shots = [name for name in names if name in SCREENSHOTS]
    if shots:
        sys.path.insert(0, str(ROOT / "tests"))
        import browser                            # the tests' helpers: Chromium, offline servers
        for name in shots:
            path = ASSETS / f"{name}.png"
            SCREENSHOTS[name](browser, pathlib.Path(tempfile.mkdtemp()), path)
            print("wrote", path.relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])
