"""scripts/start.sh hands its arguments to JupyterLab."""
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_start_passes_its_arguments_to_jupyterlab():
    # --version: JupyterLab prints its version and exits instead of serving.
    done = subprocess.run(["bash", str(ROOT / "scripts" / "start.sh"), "--version"],
                          capture_output=True, text=True, timeout=180)
    version = subprocess.run([str(ROOT / ".venv" / "bin" / "jupyter"), "lab", "--version"],
                             capture_output=True, text=True, timeout=120).stdout.strip()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == version and version[0].isdigit()
