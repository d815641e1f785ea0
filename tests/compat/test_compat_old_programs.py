"""Every program in old_programs/ (autograd 1.0-1.1 style) runs as a script and its assertions hold."""
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = sorted((Path(__file__).parent / "old_programs").glob("*.py"))


def test_there_are_programs_for_each_old_form():
    names = {p.stem for p in PROGRAMS}
    assert {"defgrad_softplus", "defgrad_two_args", "defvjp_old_form", "util_checks",
            "convenience_named", "optimizers_adam", "scipy_misc_logsumexp", "make_vjp_core"} <= names


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_old_program_runs(program):
    done = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{program.name} failed:\n{done.stdout}\n{done.stderr}"
    notes = [line for line in done.stderr.splitlines() if "OldAutogradWarning" in line]
    # each form speaks at most once
    assert len(notes) == len(set(notes)), done.stderr
