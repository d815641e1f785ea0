"""Every gradient lives in its input's space: real for a real input, complex for a complex one.

Each differentiable case of test_namespace.py is run again with one float argument made
complex at a time (the others stay real), wherever numpy computes the function on such
inputs; the gradient of every argument must then have that argument's dtype kind, and
each forward-mode tangent the output's. A complex
partner must not make a real argument's gradient complex (np.outer did), and a real function
of a complex input must not give it a real gradient (np.std of one entry did). The same
variants are then checked against finite differences, to second order (np.sign of a complex
number had a zero gradient; x ** y with a negative x and a complex y a nan one).
"""
import warnings

import numpy as onp
import pytest

from gradcheck import BACKEND, check_grads

pytestmark = pytest.mark.skipif(BACKEND != "teachgrad", reason="teachgrad's namespace walk")

if BACKEND == "teachgrad":
    from test_namespace import DIFFERENTIABLE

    from teachgrad import make_jvp, make_vjp
    from teachgrad.errors import TeachgradError


def _is_float(a):
    return isinstance(a, float) or (isinstance(a, onp.ndarray) and a.dtype.kind == "f")


def _complexified(a):
    if isinstance(a, float):
        return complex(a, 0.25 - 0.5 * a)
    return a + 1j * (0.25 - 0.5 * onp.cos(a))


def _variants():
    out = []
    for name in sorted(DIFFERENTIABLE) if BACKEND == "teachgrad" else []:
        for i, (fun, args, _) in enumerate(DIFFERENTIABLE[name]):
            for k, a in enumerate(args):
                if _is_float(a):
                    out.append(pytest.param(name, i, k, id=f"{name}-{i}-arg{k}"))
    return out


def _kind(v):
    return "c" if onp.iscomplexobj(v) else "f"


def _complex_case(name, i, k):
    """Case i of np.name with argument k made complex; skipped where numpy cannot compute it."""
    fun, args, check = DIFFERENTIABLE[name][i]
    args = list(args)
    args[k] = _complexified(args[k])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            plain = fun(*args)
        except (TypeError, ValueError, onp.linalg.LinAlgError):
            pytest.skip("numpy does not compute this function on a complex input")
    if not onp.all(onp.isfinite(plain)):
        pytest.skip("not finite at the complex input")
    return fun, args, check


@pytest.mark.parametrize("name,i,k", _variants())
def test_gradient_kind_is_the_inputs(name, i, k):
    fun, args, _ = _complex_case(name, i, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for j, a in enumerate(args):
            if not (_is_float(a) or isinstance(a, complex) or
                    (isinstance(a, onp.ndarray) and a.dtype.kind == "c")):
                continue
            try:
                vjp, out = make_vjp(fun, j)(*args)
                g = vjp(onp.ones_like(out))
            except TeachgradError:
                continue                          # refused with an explanation: not wrong
            assert _kind(g) == _kind(a), (
                f"np.{name} case {i} with argument {k} complex: the gradient of argument {j} "
                f"({_kind(a)}) has kind {_kind(g)}")
            try:
                _, tangent = make_jvp(fun, j)(*args)(onp.ones_like(a))
            except TeachgradError:
                continue
            assert _kind(tangent) == _kind(out), (
                f"np.{name} case {i} with argument {k} complex: the tangent along argument {j} "
                f"has kind {_kind(tangent)}, the output {_kind(out)}")


# Variants whose finite differences do not measure the derivative.
NOT_BY_FINITE_DIFFERENCES = {
    ("astype", 1): "a float32 result: its finite differences are too coarse",
    ("unique_values", 0): "numpy >= 2.3 returns complex unique values in an unspecified order, "
                          "which a small change of the input can change",
}


@pytest.mark.parametrize("name,i,k", _variants())
def test_gradient_values_with_a_complex_argument(name, i, k):
    if (name, i) in NOT_BY_FINITE_DIFFERENCES:
        pytest.skip(NOT_BY_FINITE_DIFFERENCES[name, i])
    fun, args, check = _complex_case(name, i, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        options = {key: v for key, v in check.items() if key in ("rtol", "atol", "eps", "modes")}
        try:
            check_grads(fun, *args, order=2, **options)
        except TeachgradError:
            pass                                  # refused with an explanation: not wrong
