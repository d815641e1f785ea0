"""autograd 1.9.1's own test suite, run against teachgrad.

The sdist is fetched once with ``pip download`` (see ``autograd_suite/prepare.py``;
the test is skipped, saying why, when it cannot be had), its ``tests/`` folder is
copied with only the import statements changed from autograd to teachgrad, and
pytest runs that copy in a subprocess. Each autograd test then appears here as
one test, ``test_autograd[test_numpy.py::test_sum_1]``, that passes when
autograd's test passed against teachgrad.

Tests that cannot pass yet are listed in EXPECTED_FAILURES with the reason.
They are strict expected failures: one that starts to pass fails this suite
until it is taken off the list, so the list stays true.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograd_suite import prepare

HELPERS = Path(__file__).parent / "autograd_suite"


def _internal(module: str, uses: str) -> str:
    return (f"needs autograd's internal module {module} ({uses}); teachgrad does not have it "
            "yet (the autograd-compatibility issue adds the internals)")


# Each key is a test id of autograd's suite (a file alone: it cannot be imported).
EXPECTED_FAILURES: dict[str, str] = {
    # ---- autograd internals and autograd's own wording, not public API ----
    "test_linalg.py::test_pinv": "uses np.linalg._dot, a private helper of autograd.numpy.linalg",
    "test_wrappers.py::test_wrapped_name_and_docs": (
        "asserts autograd's own docstring text ('Returns a function which ...'), which teachgrad "
        "does not copy, and autograd's wrapper names (grad_of_foo_wrt_argnum_1)"),
    # ---- teachgrad does more than autograd ----
    "test_fft.py::test_rfftn_odd_not_implemented": (
        "asserts autograd's limitation: autograd refuses rfftn of an odd-length last axis, "
        "teachgrad differentiates it (and check_grads passes on it)"),
    # ---- teachgrad bugs and gaps, to be routed ----
    "test_dict.py::test_grads": (
        "teachgrad bug: make_vjp pairs a dict-valued output's cotangent by position, not by key "
        "(differential_operators.make_vjp: seeds = leaves_of(v)); order=2 meets it in the vjp "
        "of a function of a dict"),
    "test_dict.py::test_iter": "teachgrad bug: same as test_dict.py::test_grads",
    "test_dict.py::test_items_values_keys": "teachgrad bug: same as test_dict.py::test_grads",
    "test_vspaces.py::test_dict_vspace": (
        "teachgrad bug: same as test_dict.py::test_grads (reverse over forward of a dict sum)"),
    "test_vspaces.py::test_mixed_vspace": "teachgrad bug: same as test_dict.py::test_grads",
    "test_logic.py::test_nograd": (
        "teachgrad bug: grad of a function returning a bool (np.allclose) gives zeros and a "
        "'does not depend on x' warning; autograd raises TypeError"),
    "test_wrappers.py::test_tensor_jacobian_product": (
        "teachgrad bug: tensor_jacobian_product(f)(a, V) must contract V with the leading "
        "ndim(V) axes of the Jacobian (autograd: tensordot(V, f(a), axes=ndim(V)) "
        "differentiated); teachgrad passes V to vjp and refuses shape (5, 4) for an output "
        "of shape (5, 4, 3) (differential_operators.tensor_jacobian_product)"),
    "test_wrappers.py::test_custom_where": (
        "teachgrad gap: autograd.numpy.where takes condition=, x=, y= by keyword; "
        "teachgrad passes them to numpy's where, whose parameters are positional-only"),
    "test_wrappers.py::test_custom_where_dtypes[int-True-1-2]": (
        "teachgrad gap: autograd's where(True, 1, 2) returns x itself (a Python int, list, "
        "float); teachgrad returns numpy's 0-d array"),
    "test_wrappers.py::test_custom_where_dtypes[float-True-3.0-4.0]": (
        "teachgrad gap: where with a Python bool condition (see the [int-True-1-2] case)"),
    "test_wrappers.py::test_custom_where_dtypes[float-False-1-2.0]": (
        "teachgrad gap: where with a Python bool condition (see the [int-True-1-2] case)"),
    "test_wrappers.py::test_custom_where_dtypes[list-True-x3-y3]": (
        "teachgrad gap: where with a Python bool condition (see the [int-True-1-2] case)"),
    "test_numpy.py::test_numpy_version": "teachgrad gap: teachgrad.numpy has no __version__",
    "test_numpy.py::test_make_diagonal": (
        "teachgrad gap: teachgrad.numpy has no make_diagonal (autograd.numpy's own function)"),
    "test_numpy.py::test_diagonal": "teachgrad gap: uses np.make_diagonal",
    "test_numpy.py::test_r_basic": (
        "teachgrad bug: teachgrad.numpy.r_ is numpy's r_, which turns traced values into plain "
        "arrays (AssignmentError); autograd defines r_ and c_ with its concatenate"),
    "test_numpy.py::test_r_double": "teachgrad bug: np.r_ on traced values (see test_r_basic)",
    "test_numpy.py::test_r_node_and_const": "teachgrad bug: np.r_ on traced values (see test_r_basic)",
    "test_numpy.py::test_r_mixed": "teachgrad bug: np.r_ on traced values (see test_r_basic)",
    "test_numpy.py::test_r_slicing": "teachgrad bug: np.r_ on traced values (see test_r_basic)",
    "test_numpy.py::test_c_": "teachgrad bug: np.c_ on traced values (see test_r_basic)",
    "test_numpy.py::test_c_mixed": "teachgrad bug: np.c_ on traced values (see test_r_basic)",
    "test_numpy.py::test_cast_to_int": (
        "teachgrad bug: np.int64(traced array) raises AssignmentError; autograd gives a plain "
        "integer array (a cast that carries no gradient)"),
    "test_scipy.py::test_mvn_sing_cov": (
        "teachgrad refuses: multivariate_normal with allow_singular=True has no gradient "
        "(an explained NotImplementedError); autograd differentiates it"),
    "test_scipy.py::test_odeint": (
        "teachgrad refuses: second derivatives through odeint (an explained "
        "NotImplementedError); autograd's check_grads needs order 2"),
    "test_systematic.py::test_column_stack_1d": (
        "teachgrad bug: np.column_stack of one 1-D array (a sequence of scalars) raises "
        "AxisError in numpy/sequences.py"),
    "test_systematic.py::test_einsum2_transpose": (
        "teachgrad bug: einsum's gradient assumes a subscripts string; the interleaved form "
        "np.einsum(A, [0, 1], B, [1, 2]) fails (numpy/gradients/products.py)"),
    "test_systematic.py::test_einsum2_matmult": "teachgrad bug: einsum's interleaved form",
    "test_systematic.py::test_einsum2_matmult_broadcast": "teachgrad bug: einsum's interleaved form",
    "test_systematic.py::test_einsum2_covsum": "teachgrad bug: einsum's interleaved form",
    "test_systematic.py::test_einsum2_three_args": "teachgrad bug: einsum's interleaved form",
    "test_systematic.py::test_outer": (
        "teachgrad bug: np.outer's gradient is complex for a real argument with a complex "
        "partner (numpy/gradients/products.py registers outer without real_for_real)"),
    "test_systematic.py::test_matmul": (
        "teachgrad bug: second derivative of matmul(real vector, complex matrix) goes through "
        "np.outer's gradient, complex for the real argument (see test_outer)"),
    "test_systematic.py::test_dot": (
        "teachgrad bug: the second derivative of dot goes through np.outer's gradient, "
        "complex for a real argument (see test_outer)"),
    "test_systematic.py::test_imag": (
        "teachgrad bug: grad(np.imag)(0.5) is -1j, complex for a real input; "
        "numpy/gradients/helpers.py matching_complex never takes the real part"),
    "test_systematic.py::test_std": (
        "teachgrad bug: the gradient of np.std of one complex number is real 0.0 "
        "(numpy/gradients/reductions.py std_vjp, the count == 1 case)"),
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
                strict=True, reason=EXPECTED_FAILURES[test_id])] if test_id in EXPECTED_FAILURES else [])
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
