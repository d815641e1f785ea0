"""autograd 1.9.1's own test suite, run against teachgrad.

The sdist is fetched once with ``pip download`` (see ``autograd_suite/prepare.py``;
the test is skipped, saying why, when it cannot be had), its ``tests/`` folder is
copied with only the import statements changed from autograd to teachgrad, and
pytest runs that copy in a subprocess. Each autograd test then appears here as
one test, ``test_autograd[test_numpy.py::test_sum_1]``, that passes when
autograd's test passed against teachgrad.

Tests that cannot pass yet are listed in EXPECTED_FAILURES with the reason and
the words their failure must contain. They are strict expected failures: one
that starts to pass fails this suite until it is taken off the list, and one
that fails in another way is a plain failure, so the list stays true.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograd_suite import prepare

HELPERS = Path(__file__).parent / "autograd_suite"


class Expected:
    """Why an autograd test fails on teachgrad today, and the words its failure must contain.

    ``failure`` is a regular expression searched in autograd's failure message: if the test
    starts failing in another way, that is reported as a failure, not hidden by the list.
    """

    def __init__(self, reason: str, failure: str):
        self.reason, self.failure = reason, failure


# Each key is a test id of autograd's suite.
EXPECTED_FAILURES: dict[str, Expected] = {
    # ---- autograd's private helpers and its own wording, not public API ----
    "test_linalg.py::test_pinv": Expected(
        "uses np.linalg._dot, a private helper of autograd.numpy.linalg", "has no attribute '_dot'"),
    "test_wrappers.py::test_wrapped_name_and_docs": Expected(
        "asserts autograd's own docstring text ('Returns a function which ...'), which teachgrad "
        "does not copy, and autograd's wrapper names (grad_of_foo_wrt_argnum_1)",
        "Returns a function which"),
    # ---- teachgrad does more than autograd ----
    "test_fft.py::test_rfftn_odd_not_implemented": Expected(
        "asserts autograd's limitation: autograd refuses rfftn of an odd-length last axis, "
        "teachgrad differentiates it (and check_grads passes on it)",
        "DID NOT RAISE NotImplementedError"),
    # ---- teachgrad refuses, with an explanation ----
    "test_scipy.py::test_odeint": Expected(
        "teachgrad refuses second derivatives through odeint (explained); autograd's "
        "check_grads checks order 2", "Second derivatives through odeint"),
}


# --------------------------------------------------------------------------
# Running autograd's tests in a subprocess
# --------------------------------------------------------------------------

def _pytest_on_suite(folder: Path, *options: str, timeout: float) -> tuple[dict, str]:
    """Run pytest on the prepared folder; ({test id: [outcome, message]}, its output)."""
    with tempfile.TemporaryDirectory() as scratch:
        outcomes = Path(scratch) / "outcomes.json"
        env = dict(os.environ, TEACHGRAD_OUTCOMES=str(outcomes),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(HELPERS),
                                                            os.environ.get("PYTHONPATH")])))
        command = [sys.executable, "-m", "pytest", "-c", str(folder.parent / "pytest.ini"),
                   "--rootdir", str(folder.parent), str(folder), "-p", "outcome_recorder",
                   "-q", "--continue-on-collection-errors", *options]
        done = subprocess.run(command, cwd=folder.parent, env=env, capture_output=True,
                              text=True, timeout=timeout)
        output = done.stdout[-5000:] + done.stderr[-5000:]
        if not outcomes.exists():
            return {}, output
        return json.loads(outcomes.read_text()), output


def _collected() -> list:
    """One parameter per autograd test (or one that says why there are none)."""
    try:
        folder = prepare.prepared_tests()
    except prepare.Unavailable as why:
        return [pytest.param(None, id="unavailable", marks=pytest.mark.skip(
            reason=f"autograd {prepare.VERSION}'s test suite is not available: {why}"))]
    found, output = _pytest_on_suite(folder, "--collect-only", timeout=600)
    if not found:
        return [pytest.param(f"(collection failed)\n{output}", id="collection")]
    return [pytest.param(test_id, id=test_id, marks=[pytest.mark.xfail(
                strict=True, raises=AssertionError, reason=EXPECTED_FAILURES[test_id].reason)]
                if test_id in EXPECTED_FAILURES else [])
            for test_id in sorted(found)]


def pytest_generate_tests(metafunc):
    if "autograd_test" in metafunc.fixturenames:
        metafunc.parametrize("autograd_test", _collected())


@pytest.fixture(scope="module")
def suite_outcomes():
    """Every autograd test's outcome against teachgrad, from one run of the whole suite."""
    try:
        folder = prepare.prepared_tests()
    except prepare.Unavailable as why:
        pytest.skip(f"autograd {prepare.VERSION}'s test suite is not available: {why}")
    start = time.perf_counter()
    outcomes, output = _pytest_on_suite(folder, "--timeout=600", timeout=3600)
    assert outcomes, f"the run of autograd's suite recorded nothing:\n{output}"
    print(f"autograd's suite ran in {time.perf_counter() - start:.1f} s")
    return outcomes


def test_autograd(autograd_test, suite_outcomes):
    assert not autograd_test.startswith("(collection failed)"), autograd_test
    outcome, message = suite_outcomes.get(autograd_test, ["not run", "missing from the run"])
    if outcome == "skipped":
        pytest.skip(f"autograd's test skips itself: {message}")
    expected = EXPECTED_FAILURES.get(autograd_test)
    if expected is not None and outcome != "passed" and not re.search(expected.failure, message):
        pytest.fail(f"autograd's {autograd_test} is listed as failing with /{expected.failure}/, "
                    f"but it {outcome} otherwise:\n{message}")      # not an AssertionError
    assert outcome == "passed", f"autograd's {autograd_test} {outcome} on teachgrad:\n{message}"


def test_expected_failures_name_real_tests(suite_outcomes):
    stale = sorted(set(EXPECTED_FAILURES) - set(suite_outcomes))
    assert not stale, f"EXPECTED_FAILURES names tests that autograd's suite does not have: {stale}"


def test_the_rewrite_changes_only_imports():
    source = ("import autograd.numpy as np\nimport autograd.scipy.signal\n"
              "from autograd import (\n    grad,\n    jacobian,\n)  # the API\n"
              "x = 'autograd'  # from autograd import grad\n"
              "def f():\n    from autograd.test_util import check_grads\n")
    assert prepare.rewrite_imports(source) == (
        "import teachgrad.numpy as np\nimport teachgrad.scipy.signal; import teachgrad as autograd\n"
        "from teachgrad import (\n    grad,\n    jacobian,\n)  # the API\n"
        "x = 'autograd'  # from autograd import grad\n"
        "def f():\n    from teachgrad.test_util import check_grads\n")


def test_an_expected_failure_must_fail_the_expected_way():
    listed = "test_linalg.py::test_pinv"
    with pytest.raises(AssertionError):           # the listed failure: the xfail mark takes it
        test_autograd(listed, {listed: ["failed", "AttributeError: ... has no attribute '_dot'"]})
    with pytest.raises(pytest.fail.Exception, match="listed as failing"):   # a new failure
        test_autograd(listed, {listed: ["failed", "TypeError: something else"]})
    with pytest.raises(AssertionError, match="missing from the run"):
        test_autograd("test_numpy.py::test_gone", {})
    test_autograd("test_numpy.py::test_sum_1", {"test_numpy.py::test_sum_1": ["passed", ""]})
