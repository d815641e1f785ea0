"""Re-execute every tutorial notebook in place, so the committed copies show their outputs.

    .venv/bin/python scripts/execute_notebooks.py [notebooks/03_*.ipynb ...]
"""
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent


def execute(path: pathlib.Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(paths: list[str]) -> None:
    notebooks = [pathlib.Path(p) for p in paths] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in notebooks:
        print(f"{path.name}: {execute(path):.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
