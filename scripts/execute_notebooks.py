"""Re-execute every tutorial notebook in place, so the committed copies show their outputs.

    .venv/bin/python scripts/execute_notebooks.py [notebooks/03_*.ipynb ...]
"""
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent


# Cells whose outputs would show an exercise's answer before the student tries: the
# solutions, and exercise cells whose result is the answer. They run, but are saved blank.
BLANK_TAGS = {"solution", "no-output"}


def blank_answers(nb) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code" and BLANK_TAGS & set(cell.metadata.get("tags", [])):
            cell.outputs, cell.execution_count = [], None


def execute(path: pathlib.Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    blank_answers(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(paths: list[str]) -> None:
    notebooks = [pathlib.Path(p) for p in paths] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in notebooks:
        print(f"{path.name}: {execute(path):.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
