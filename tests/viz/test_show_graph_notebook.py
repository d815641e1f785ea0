"""In a real kernel, show_graph displays its picture exactly once per call."""
import nbformat
import pytest
from nbclient import NotebookClient

CELLS = [
    "import teachgrad.numpy as np\nfrom teachgrad import show_graph\n"
    "def f(x, y):\n    z = x * y\n    return np.sin(z) + x ** 2",
    "show_graph(f, 1.0, 2.0)",                      # last line: still once
    "g = show_graph(f, 1.0, 2.0)\nprint('after')",   # not the last line: once
    "g",                                             # shown again on request, in a new cell
    "show_graph(f, 1.0, 2.0); 1 + 1",
]


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return nb


def svg_outputs(cell):
    return [o for o in cell.outputs if "image/svg+xml" in o.get("data", {})]


def test_last_line_displays_once(executed):
    assert len(svg_outputs(executed.cells[1])) == 1
    assert "<svg" in svg_outputs(executed.cells[1])[0]["data"]["image/svg+xml"]


def test_assigned_call_displays_once(executed):
    cell = executed.cells[2]
    assert len(svg_outputs(cell)) == 1
    assert any(o.get("text", "").strip() == "after" for o in cell.outputs)


def test_handle_shows_again_in_a_later_cell(executed):
    assert len(svg_outputs(executed.cells[3])) == 1


def test_mid_cell_call_displays_once(executed):
    assert len(svg_outputs(executed.cells[4])) == 1
