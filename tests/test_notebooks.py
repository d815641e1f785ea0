"""Every tutorial notebook runs top to bottom without an error."""
import pathlib

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
@pytest.mark.timeout(240)
def test_notebook_runs(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    # run in a scratch folder so that files a notebook saves do not land in the repository
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for cell in nb.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_there_are_tutorials():
    assert len(NOTEBOOKS) >= 1, "notebooks/ has no tutorial notebooks"
