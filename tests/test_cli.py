"""python -m teachgrad: the expression is checked, not evaluated by Python; every failure is one line."""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as onp
import pytest

import teachgrad.__main__ as cli
import teachgrad.numpy as np
from teachgrad import grad

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*argv):
    """python -m teachgrad in a subprocess, as a student runs it."""
    return subprocess.run([sys.executable, "-m", "teachgrad", *argv], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": ROOT}, timeout=120)


def fails(capsys, *argv) -> str:
    """Call main() in this process; it must fail with one line on stderr and status 2."""
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith("teachgrad: error: "), err
    assert "Traceback" not in err and out == ""
    return err


def svg_text(path) -> str:
    return " ".join(t.text or "" for t in ET.parse(path).iter() if t.tag.endswith("text"))


def test_a_valid_expression_draws_with_the_right_gradient(tmp_path):
    out = tmp_path / "neuron.svg"
    result = run("draw", "np.tanh(w * x + b)", "x=0.5", "w=2.0", "b=-1", "-o", str(out))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    text = svg_text(out)
    f = lambda w, x, b: onp.tanh(w * x + b)
    eps = 1e-6
    numeric = (f(2.0 + eps, 0.5, -1.0) - f(2.0 - eps, 0.5, -1.0)) / (2 * eps)
    shown = float(re.search(r"∂f/∂w = (\S+)", text).group(1))
    assert shown == pytest.approx(numeric, abs=5e-5)          # 4 significant digits
    assert shown == pytest.approx(grad(lambda w: np.tanh(w * 0.5 - 1.0))(2.0), abs=5e-5)
    assert "∂f/∂b" in text and "∂f/∂x" in text


def test_arrays_subscripts_keywords_and_submodules_still_work(tmp_path, capsys):
    out = tmp_path / "g.dot"
    status = cli.main(["draw", "np.linalg.norm(x[0:2], ord=2) + np.sum(x[..., np.newaxis] * np.pi, axis=0)[0]"
                       " + np.einsum('i,i->', x, x)", "x=[3, 4, 1]", "-o", str(out)])
    assert status == 0, capsys.readouterr().err
    x = onp.array([3.0, 4.0, 1.0])
    expected = x / 5.0 * onp.array([1, 1, 0]) + onp.pi + 2 * x
    src = out.read_text()
    shown = re.search(r"∂f/∂x = \[([^\]]+)\]", src).group(1)
    assert [float(v) for v in shown.split(",")] == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize("expression, refused", [
    ("np.__builtins__['__import__']('os').system('echo hi')", "the name __builtins__"),
    ("().__class__.__base__.__subclasses__()", "the name __class__"),
    ("x.__class__", "the name __class__"),
    ("__import__('os')", "the name __import__"),
    ("np._core", "the name _core"),
    ("x.T", "attribute access on a value (.T)"),
    ("np.sum(x).real", "attribute access on a value (.real)"),
    ("lambda: x", "a lambda"),
    ("[v for v in x]", "a list comprehension"),
    ("{v for v in x}", "a set comprehension"),
    ("{k: v for k, v in x}", "a dict comprehension"),
    ("np.sum(v for v in x)", "a generator expression"),
    ("(y := x)", "the walrus operator :="),
    ("f'{x}'", "an f-string"),
    ("x if x else x", "a conditional expression"),
    ("x and x", "'and' / 'or'"),
    ("{'a': x}", "a dict"),
    ("{x}", "a set"),
    ("np.sum(*x)", "* unpacking"),
    ("np.sum(**x)", "** unpacking"),
    ("x << 2", "the operator <<"),
    ("x | x", "the operator |"),
    ("x is x", "'is'"),
    ("x in x", "'in'"),
    ("'abc'", "the string 'abc'"),
    ("x + 'a' * 3", "the string 'a'"),
    ("b'x'", "the constant b'x'"),
    ("...", "... outside a subscript"),
    ("np.tanh", "np.tanh without a call"),
    ("np.linalg", "it is a module"),
    ("np", "np on its own"),
    ("np.wrapping.onp", "np.wrapping"),
    ("np.linalg.norm.__call__(x)", "the name __call__"),
    ("np.save('out', x)", "np.save"),
    ("np.load('out.npy')", "np.load"),
    ("np.fromfile('/etc/passwd')", "np.fromfile"),
    ("np.seterr(all='ignore')", "np.seterr"),
    ("np.float64(x)", "calling np.float64"),
    ("np.ndarray((2,))", "calling np.ndarray"),
    ("np.e(x)", "calling np.e"),
    ("np.ScalarType", "np.ScalarType"),
    ("x(1)", "the call x(...)"),
    ("np.sum(x, _x=1)", "the keyword _x="),
    ("1" * 30 + " * x", "the whole number 111111"),
])
def test_each_refused_construct_is_named(capsys, expression, refused):
    err = fails(capsys, "draw", expression, "x=[1, 2]", "-o", "never.svg")
    assert "refused" in err and refused in err, err
    assert not os.path.exists("never.svg")


def test_the_escape_routes_do_not_run(tmp_path):
    marker = tmp_path / "ran"
    for expression in [f"np.__builtins__['__import__']('os').system('touch {marker}')",
                       f"().__class__.__base__.__subclasses__()[0]('touch {marker}')"]:
        result = run("draw", expression, "x=1", "-o", str(tmp_path / "g.svg"))
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("expression, message", [
    ("x ** 9 ** 9 ** 9", "9 ** 387420489 is a whole number above 2**53"),
    ("x * 10 ** 30", "10 ** 30 is a whole number above 2**53"),
    ("x * (2 ** 40 * 2 ** 40)", "above 2**53"),
    ("np.sum(np.ones(10 ** 12)) * x", "np.ones was given the whole number 1000000000000"),
    ("np.sum(np.zeros((1000, 1000, 1000))) * x", "the shape (1000, 1000, 1000)"),
    ("np.sum(np.arange(1e12)) * x", "np.arange would make 1,000,000,000,000 entries"),
    ("np.sum(np.arange(0, 1, 1e-9)) * x", "np.arange would make 1,000,000,000 entries"),
    ("np.sum(np.random.normal(x, size=(1000, 1000, 10)))", "the shape (1000, 1000, 10)"),
    ("np.sum(np.ones(1000)[:, None] * np.ones(1000000)) * x", "shape (1000, 1000000)"),
    ("np.sum(np.tile(np.ones(1000000), 2)) * x", "would have 2,000,000 entries"),
    ("np.sum(np.outer(np.ones(100000), np.ones(100000))) * x", "np.outer on arrays of 100,000 and 100,000"),
    ("np.sum(np.tensordot(np.ones(100000), np.ones(100000), 0)) * x", "np.tensordot on arrays"),
    ("np.sum(np.convolve(np.ones(1000000), np.ones(1000000))) * x", "np.convolve on arrays"),
    ("np.sum(np.ones((1000, 1000)) @ np.ones((1000, 1000))) * x", "@ on arrays of 1,000,000"),
    ("np.sum(np.zeros(3, dtype='V10000000') == np.zeros(3, dtype='V10000000')) * x", "30,000,000 bytes"),
])
def test_what_would_hang_or_eat_memory_is_refused(capsys, expression, message):
    err = fails(capsys, "draw", expression, "x=1.0", "-o", "never.svg")
    assert message in err, err


needs_memory_limit = pytest.mark.skipif(
    cli._virtual_memory() is None or sys.platform != "linux",
    reason="the address-space limit is read from /proc and set with RLIMIT_AS (Linux only)")


@needs_memory_limit
def test_memory_beyond_the_limit_fails_in_one_line(capsys):
    # np.tri(30000) passes every count check but needs 7 GB: the address-space limit stops it.
    err = fails(capsys, "draw", "np.sum(np.tri(30000)) * x", "x=1.0", "-o", "never.svg")
    assert "more memory than the command line allows" in err


@needs_memory_limit
def test_the_memory_limit_is_lifted_afterwards():
    resource = pytest.importorskip("resource")
    before = resource.getrlimit(resource.RLIMIT_AS)
    with cli.memory_limit(10 ** 9):
        inside = resource.getrlimit(resource.RLIMIT_AS)
        with pytest.raises(MemoryError):
            onp.ones(2 * 10 ** 9 // 8 + 10 ** 6)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    if before[0] == resource.RLIM_INFINITY:
        assert inside[0] != resource.RLIM_INFINITY


def test_time_is_bounded(capsys, monkeypatch):
    monkeypatch.setattr(cli, "MAX_SECONDS", -1.0)
    err = fails(capsys, "draw", "x * 2.0", "x=1.0", "-o", "never.svg")
    assert "took more than" in err


@pytest.mark.parametrize("argv, message", [
    (["draw", "x * y", "x=1.0"], "Unknown name 'y'"),
    (["draw", "x", "x=abc"], "Cannot read the value 'abc'"),
    (["draw", "x", "x=__import__('os')"], "Cannot read the value"),
    (["draw", "x", "x=[1, [2]]"], "rectangular"),
    (["draw", "x", "x=True"], "Cannot read the value 'True'"),
    (["draw", "x", "x"], "'x' is not name=value"),
    (["draw", "x", "1x=2"], "'1x' cannot be a variable name"),
    (["draw", "x", "lambda=2"], "cannot be a variable name"),
    (["draw", "x", "np=2"], "cannot be a variable name"),
    (["draw", "x", "x=1", "x=2"], "x is given twice"),
    (["draw", "x * 2.0", "x=1", "-o", "no/such/folder/g.svg"], "The folder 'no/such/folder' does not exist"),
    (["draw", "x * 2.0", "x=1", "-o", "g.jpg"], "Cannot save a graph as 'g.jpg'"),
    (["draw", "x * 2.0", "x=1", "--bogus"], "Unrecognized arguments: --bogus"),
    (["draw", "-x", "x=1"], "write it in brackets, (-x)"),
    (["draw", "x * 2.0", "x=1", "--digits", "-1"], "must be a whole number from 1 to 17"),
    (["draw", "x * 2.0", "x=1", "--digits", "0"], "must be a whole number from 1 to 17, not 0"),
    (["draw", "x * 2.0", "x=1", "--digits", "2.5"], "not '2.5'"),
    (["draw", "x * 2.0", "x=1", "--direction", "up"], "invalid choice: 'up'"),
    (["draw", "x * 2.0", "x=1", "--wrt", "z"], "--wrt z: no variable 'z'"),
    (["draw", "x +", "x=1"], "not valid Python"),
    (["draw", "x / 0.0 + 1.0 / 0", "x=1"], "ZeroDivisionError"),
    (["draw", "9.0 ** 9.0 ** 9.0 * x", "x=1"], "too big for a float"),
    (["draw", "np.sum(x @ y)", "x=[1, 2]", "y=[1, 2, 3]"], "The expression failed: ValueError: matmul"),
    (["draw", "np.nosuch(x)", "x=1"], "np.nosuch does not exist"),
    (["draw"], "The following arguments are required: expression"),
    (["frobnicate"], "unknown command 'frobnicate'"),
    ([], "no command given"),
    (["demo", "extra"], "demo takes no arguments"),
])
def test_each_failure_is_one_line_and_status_2(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    err = fails(capsys, *argv)
    assert message in err, err


def test_an_unwritable_file_is_one_line(capsys, tmp_path):
    target = tmp_path / "taken.svg"
    target.mkdir()                            # a folder where the file should go
    err = fails(capsys, "draw", "x * 2.0", "x=1", "-o", str(target))
    assert "Cannot write" in err and "taken.svg" in err


def test_failures_from_a_real_process_have_no_traceback(tmp_path):
    for argv in (["draw", "x * y", "x=1"], ["draw", "x / 0.0 + 1.0 / 0", "x=1"], ["draw", "x", "x=1", "-o", str(tmp_path / "no" / "g.svg")],
                 ["draw", "x", "x=1", "--nope"], ["draw", "9**9**9"], ["nothing"]):
        result = run(*argv)
        assert result.returncode == 2, argv
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stdout == ""


def test_help_still_works():
    result = run("draw", "--help")
    assert result.returncode == 0 and "name=value" in result.stdout


def test_the_expression_object_can_be_used_directly():
    expression = cli.Expression("np.sum(x[1:] ** 2) + w", ["x", "w"], np)
    assert expression.evaluate({"x": onp.array([5.0, 1.0, 2.0]), "w": 1.0}) == 6.0
    with pytest.raises(cli.Refused, match="a lambda"):
        cli.Expression("lambda: 0", [], np)


def test_object_arrays_are_refused(capsys):
    # Python ints inside an object array would make 9000 ** 999999 a million-digit number
    err = fails(capsys, "draw", "np.sum(np.array([9000], dtype='O') ** 999999) * x", "x=1.0", "-o", "never.svg")
    assert "an array of Python objects" in err


def test_a_long_numpy_call_is_stopped_by_the_watchdog(tmp_path):
    """One numpy call cannot be interrupted from Python; the command as a whole is ended."""
    env = {**os.environ, "PYTHONPATH": ROOT, "TEACHGRAD_DRAW_SECONDS": "0.2"}
    result = subprocess.run([sys.executable, "-m", "teachgrad", "draw",
                             "np.sum(np.abs(np.linalg.eig(np.ones((900, 900)) + np.eye(900) * x)[0]))", "x=1.0", "-o", str(tmp_path / "g.svg")],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "took more than 0.2 seconds" in result.stderr
    assert not (tmp_path / "g.svg").exists()


@pytest.mark.parametrize("expression", ["np.roots(np.ones(3) * x)", "np.i0(x)", "np.copyto(x, x)",
                                        "np.may_share_memory(x, x)"])
def test_functions_without_a_gradient_are_refused_unless_listed(capsys, tmp_path, expression):
    err = fails(capsys, "draw", expression, "x=0.5", "-o", str(tmp_path / "g.svg"))
    assert "refused" in err and expression.split("(")[0] in err


def test_a_function_numpy_adds_later_is_refused_until_someone_allows_it(capsys, tmp_path,
                                                                         monkeypatch):
    from teachgrad.tracing import Primitive
    monkeypatch.setattr(np, "write_to_disk", Primitive(lambda x: x, "write_to_disk"), raising=False)
    err = fails(capsys, "draw", "np.write_to_disk(x)", "x=0.5", "-o", str(tmp_path / "g.svg"))
    assert "refused: np.write_to_disk" in err and "with a gradient" in err


def test_listed_helpers_and_teachgrads_own_composites_are_allowed(tmp_path):
    out = tmp_path / "g.svg"
    assert cli.main(["draw", "np.sum(np.linalg.svd(np.eye(2) * x)[1]) + np.argmax(np.zeros(2))",
                     "x=0.5", "-o", str(out)]) == 0
    assert out.exists()
