"""Every benchmark workload, run once at a small size: the libraries must agree.

A benchmark that times a wrong gradient measures nothing, so each workload of
benchmarks/compare_autograd.py (autograd, teachgrad and the gradient derived by
hand in numpy) and of benchmarks/autograd_examples.py (autograd's examples on
both libraries) is run here once on tiny inputs, through the same harness and
the same check the benchmark uses before it times anything. Nothing is timed.
"""
import sys
from pathlib import Path

import numpy as onp
import pytest

# the benchmark scripts import each other by name, as they do when run from benchmarks/
BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import harness  # noqa: E402
import compare_autograd  # noqa: E402
import autograd_examples  # noqa: E402
from autograd_suite import prepare  # noqa: E402


@pytest.fixture(scope="module")
def sides():
    libraries, status = harness.libraries()
    assert [label for label, _, _ in libraries] == [harness.AUTOGRAD, harness.TEACHGRAD], status
    return libraries


def agreement(workload, sides):
    res = harness.run_workload(workload, sides, repeats=0, budget_s=0, small=True, verbose=False)
    assert not res.errors, res.errors
    return res


@pytest.mark.parametrize("workload", compare_autograd.WORKLOADS, ids=lambda w: w.name)
def test_synthetic_workload_agrees(workload, sides):
    res = agreement(workload, sides)
    assert res.agree is True, res.disagreement
    assert set(res.maxdiff) == {harness.TEACHGRAD, harness.HAND}       # all three were compared


@pytest.fixture(scope="module")
def examples_available():
    try:
        autograd_examples.examples_folder()
    except prepare.Unavailable as why:
        pytest.skip(f"autograd's examples are not available: {why}")


@pytest.mark.parametrize("workload", autograd_examples.WORKLOADS, ids=lambda w: w.name)
def test_example_workload_agrees(workload, sides, examples_available):
    res = agreement(workload, sides)
    assert res.agree is True, res.disagreement
    assert set(res.maxdiff) == {harness.TEACHGRAD}


def test_example_runs_on_teachgrad_after_the_rewrite(examples_available):
    module = autograd_examples.load("gmm.py", harness.TEACHGRAD)
    assert module.np.__name__ == "teachgrad.numpy"
    assert module.grad.__module__.startswith("teachgrad")


def test_a_wrong_gradient_is_caught_and_not_timed(sides):
    """The check is not lenient: a hand gradient off by one part in a million fails it."""
    right = compare_autograd.hand_rnn

    def wrong(data):
        g = right(data)
        return lambda: [a * (1 + 1e-6) if i == 1 else a for i, a in enumerate(g())]

    rnn = next(w for w in compare_autograd.WORKLOADS if w.name == "rnn")
    broken = harness.Workload("rnn_wrong", "", rnn.data, rnn.make, wrong)
    res = harness.run_workload(broken, sides, repeats=5, budget_s=10, small=True, verbose=False)
    assert res.agree is False and "numpy: out[1]" in res.disagreement
    assert res.times == {} and res.n == 0


def test_compare_sees_structure_and_scale():
    x = {"a": onp.array([1.0, 2.0]), "b": [onp.ones(3), 2.5]}
    assert harness.compare(x, {"a": onp.array([1.0, 2.0]), "b": [onp.ones(3), 2.5]})[0]
    assert not harness.compare(x, {"a": onp.array([1.0, 2.0]), "b": [onp.ones(3)]})[0]
    assert not harness.compare(x, {"a": onp.array([1.0, 2.0 + 1e-7]), "b": [onp.ones(3), 2.5]})[0]
    assert not harness.compare(onp.zeros(2), onp.array([0.0, 1e-9]))[0]


def test_the_elementwise_tape_makes_teachgrads_operations_bit_for_bit():
    """benchmarks/tape_floor.py times plain numpy standing in for teachgrad's operations:
    if a gradient rule changes, the stand-in must change with it."""
    import tape_floor
    import teachgrad
    import teachgrad.numpy as tnp
    x = compare_autograd.data_elementwise(True)
    onp.testing.assert_array_equal(tape_floor.tape(x)(),
                                   compare_autograd.wl_elementwise(tnp, teachgrad, x)())
    onp.testing.assert_allclose(tape_floor.tape(x)(), compare_autograd.hand_elementwise(x)(),
                                rtol=1e-12, atol=1e-12)
