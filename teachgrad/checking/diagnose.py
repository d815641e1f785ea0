"""Naming the mistake: common ways a hand-derived gradient goes wrong.

Each test here compares the wrong gradient with a transformed right one
(negated, scaled, transposed, summed over an axis, another argument's
gradient, part of a sum over paths). A diagnosis is made only when the
transformed right gradient matches the wrong one *at every entry*, to the
same tolerance as the check itself, so it is a fact about the numbers, never
a guess. When nothing matches, nothing is claimed.

A match at one point can still be a coincidence (at w = 1.5, x = 3 the
gradients for w and for x can be equal). So an *explanation* (a sign, a
factor, another argument's gradient, ...) is kept only when it holds at other
points too (:func:`confirmed`, when the student's gradient is a function that
check_grad can evaluate elsewhere), and for one number that cannot be checked
elsewhere only the simplest explanation, and only when there is no doubt
(:func:`simplest`). *Facts* about the numbers at this point (the shape is
wrong, nothing was returned, the entries that differ) need no confirmation.
"""
from __future__ import annotations

import itertools
from typing import Any, Sequence

import numpy

from .compare import Item, as_array
from .report import Diagnosis


# Observations about the numbers at this point, true whatever the cause; every other kind
# is an explanation, which a coincidence at one point could fake.
FACTS = frozenset({"none", "placeholder", "type", "shape", "not_finite", "zero_expected", "zeros",
                   "few_entries"})


class Candidate:
    """Another gradient the wrong one might be: ``kind`` and words for the diagnosis."""

    def __init__(self, kind: str, value: Any, text: str):
        self.kind, self.value, self.text = kind, value, text


def diagnose(item: Item, *, value: Any = None, value_name: str | None = None,
             candidates: Sequence[Candidate] = (), contributions: Sequence[tuple] = (),
             sizes: Sequence[int] = (), whose: str = "Your gradient",
             transpose_hint: str | None = None) -> list[Diagnosis]:
    """The diagnoses for a failed item (``[]`` when it passed or nothing fits).

    ``value`` is the argument (or node) itself, for spotting cases handled
    wrongly on one side of 0; ``candidates`` other gradients it might be;
    ``contributions`` ``(from_what, gradient)`` per use of the value, for a
    value used more than once; ``sizes`` the array sizes (to name a 1/N);
    ``transpose_hint`` how the value enters a matrix product (from the
    graph), for the words of a "transposed" diagnosis.
    """
    if item.status != "fail":
        return []
    ref = item.ref
    name = item.symbol or item.name
    r = ref.value.reshape(ref.shape)
    t = ref.tol.reshape(ref.shape)
    you = f"{whose} for {name}"
    if item.got is None:
        return [Diagnosis("none", name, f"{you} is None: nothing was returned. Did the function "
                          "end without a `return` statement?")]
    if item.got is Ellipsis:
        return [Diagnosis("placeholder", name, f"{you} is ... : a placeholder, no answer yet. "
                          f"Replace the ... with your formula for the gradient with respect to "
                          f"{name} (an array of shape {r.shape}, like {name}).")]
    s = as_array(item.got)
    if s is None:
        return [Diagnosis("type", name, f"{you} is not an array of numbers (it is "
                          f"{type(item.got).__name__}); it should be an array of shape {r.shape}, "
                          f"like {name}.")]
    s = s.astype(numpy.result_type(s, numpy.float64))
    if not numpy.all(numpy.isfinite(r)):
        return []                     # nothing dependable to compare with

    def close(a, b, tol=t):
        with numpy.errstate(invalid="ignore", over="ignore"):
            return bool(numpy.all(numpy.abs(a - b) <= tol))

    if s.shape != r.shape:
        return _shape(name, you, s, r, close, candidates, transpose_hint)
    out = []
    if not numpy.all(numpy.isfinite(s)):
        bad = numpy.argwhere(~numpy.isfinite(s))
        where = ", ".join(_entry(name, i) for i in bad[:3])
        return [Diagnosis("not_finite", name, f"{you} is not finite (nan or inf) at {where}: look "
                          "for a division by zero, a log or sqrt of 0 or of a negative number, or "
                          "an overflow (exp of a large number) in the formula.")]
    nonzero = numpy.abs(r) > t
    if not nonzero.any():
        out.append(Diagnosis("zero_expected", name, f"The right gradient for {name} is zero here "
                             f"(f does not change when {name} changes a little, at this point), "
                             f"but {you.lower()[0] + you[1:]} is not."))
    elif close(s, 0.0):
        out.append(Diagnosis("zeros", name, f"{you} is zero everywhere, but the right one is not."
                             + (" Did you return a placeholder (np.zeros_like), or lose a term?"
                                if whose == "Your gradient" else "")))
    else:
        out += _sign_factor(name, you, s, r, t, close, int(nonzero.sum()), sizes)
        if numpy.iscomplexobj(r) and close(s, numpy.conj(r)) and not close(r, numpy.conj(r)):
            out.append(Diagnosis("conjugate", name, f"{you} is the complex conjugate of the "
                                 "right one. For a real f of complex z = x + iy, teachgrad (like "
                                 "autograd) uses df/dx - 1j * df/dy: for |z|**2 that is "
                                 "2 * conj(z), not 2 * z."))
        if r.ndim == 2 and r.shape[0] == r.shape[1] and r.shape[0] > 1 and not close(r.T, r):
            if close(s, r.T):
                out.append(_transposed(name, you, hint=transpose_hint))
            elif close(s, -r.T):
                out.append(_transposed(name, you, " and has the wrong sign", transpose_hint))
        for c in candidates:
            cv = as_array(c.value)
            if cv is not None and cv.shape == s.shape and close(s, cv) and not close(cv, r):
                out.append(Diagnosis(c.kind, name, c.text))
        out += _missing_paths(name, you, s, r, close, contributions)
    if not any(d.kind in ("sign", "factor", "transposed", "zeros", "zero_expected", "conjugate")
               for d in out):
        out += _few_entries(item, name, r, value, value_name or name)
    return out


# --------------------------------------------------------------------------
# Is the evidence enough?
# --------------------------------------------------------------------------

def is_explanation(d: Diagnosis) -> bool:
    """A cause suggested by a match (sign, factor, ...), not a fact about the numbers."""
    return d.kind not in FACTS


def same_diagnosis(a: Diagnosis, b: Diagnosis) -> bool:
    """Whether ``b`` (made at another point) says what ``a`` says."""
    if a.kind != b.kind or a.where != b.where:
        return False
    if isinstance(a.value, (int, float, complex, numpy.number)) and \
            isinstance(b.value, (int, float, complex, numpy.number)):
        if not abs(a.value - b.value) <= 1e-6 * max(abs(a.value), abs(b.value)):
            return False
    elif a.value != b.value:
        return False
    return a.kind == "factor" or a.text == b.text      # a factor's words show its digits


def confirmed(diagnoses: list[Diagnosis], elsewhere: list[Item]) -> list[Diagnosis]:
    """The diagnoses whose explanation also holds at every other point checked.

    ``elsewhere`` has the same item (same name) checked at other points. A
    point where the gradient is right refutes an explanation, except a "case"
    (one branch of the formula wrong), which only shows where that branch is taken.
    """
    def holds(d, other):
        if other.status == "pass":
            return d.kind == "case"
        return any(same_diagnosis(d, e) for e in other.diagnoses)
    return [d for d in diagnoses if not is_explanation(d) or all(holds(d, o) for o in elsewhere)]


def simplest(diagnoses: list[Diagnosis]) -> list[Diagnosis]:
    """For one number that cannot be checked at other points: at most one explanation.

    One number matches many things by chance, so the simplest explanation is
    kept (a sign, then a constant factor); any other only when it is the only
    one; and when several others match, none (which one would be a guess).
    """
    explanations = [d for d in diagnoses if is_explanation(d)]
    keep = None
    for kind in ("sign", "factor"):
        keep = next((d for d in explanations if d.kind == kind), None)
        if keep is not None:
            break
    if keep is None and len(explanations) == 1:
        keep = explanations[0]
    return [d for d in diagnoses if not is_explanation(d) or d is keep]


# --------------------------------------------------------------------------

def _sign_factor(name, you, s, r, t, close, n_nonzero, sizes) -> list[Diagnosis]:
    if close(s, -r):
        return [Diagnosis("sign", name, f"Wrong sign: {you.lower()[0] + you[1:]} is exactly minus "
                          "the right one. Look for a minus sign lost or added, for example in "
                          "d/dw (y - w*x)**2 = -2*(y - w*x)*x, or in gradient descent's w - lr*grad "
                          "written into the gradient itself.", -1.0)]
    rr = numpy.vdot(r, r)
    c = numpy.vdot(r, s) / rr
    if abs(numpy.imag(c)) > 1e-12 * abs(c):
        return []
    c = float(numpy.real(c))
    if abs(c - 1) < 1e-9 or c == 0 or not close(s, c * r, t * max(1.0, abs(c))):
        return []
    words, nice = _name_factor(c, sizes)
    # An entry tells c from 1 only if c times it lies outside its tolerance; an odd factor
    # needs two such entries (one number alone fits any ratio, and a tiny one fits all).
    telling = int(numpy.count_nonzero(numpy.abs(r) * abs(c - 1) > t))
    if words is None and min(n_nonzero, telling) < 2:
        return []
    if words is None:
        words = (f"exactly {c:.6g} times the right one: a constant factor in the formula is off "
                 "(compare each constant with the function's).")
    return [Diagnosis("factor", name, f"Off by a constant factor: {you.lower()[0] + you[1:]} is "
                      + words, nice)]


def _name_factor(c: float, sizes: Sequence[int]) -> tuple[str | None, float]:
    """Words for a common factor (2, 1/2, N, 1/N), and the factor; (None, c) otherwise."""
    def near(a, b):
        return abs(a - b) <= 1e-6 * abs(b)
    sign = "minus " if c < 0 else ""
    wrong_sign = " (and the sign is wrong too)" if c < 0 else ""
    s = -1.0 if c < 0 else 1.0
    a = abs(c)
    if near(a, 2.0):
        return (f"{sign}2 times the right one{wrong_sign}: an extra factor 2, or a 1/2 missed; "
                "for example the derivative of x**2 / 2 is x, not 2*x.", 2.0 * s)
    if near(a, 0.5):
        return (f"{sign}1/2 of the right one{wrong_sign}: a factor 2 is missing; for example "
                "the derivative of x**2 is 2*x (and of (y - w*x)**2 it is -2*(y - w*x)*x).", 0.5 * s)
    for n in sorted(set(sizes), reverse=True):
        if n > 2 and near(a, n):
            return (f"{sign}{n} times the right one{wrong_sign}: f divides by {n} (a mean over "
                    f"{n} entries) and the gradient must too.", float(n) * s)
        if n > 2 and near(a, 1.0 / n):
            return (f"{sign}1/{n} of the right one{wrong_sign}: a division by {n} too many "
                    f"(a mean where f takes a sum over {n} entries?).", s / n)
    return None, c


NEUTRAL_TRANSPOSE_HINT = ("Check the order of the factors and where the .T goes: for y = A @ B "
                          "the gradient is dy @ B.T for A and A.T @ dy for B (dy: the gradient "
                          "of y).")


def _transposed(name, you, extra="", hint=None) -> Diagnosis:
    return Diagnosis("transposed", name, f"Transposed: {you.lower()[0] + you[1:]} is the transpose "
                     f"of the right one{extra}. " + (hint or NEUTRAL_TRANSPOSE_HINT))


def _shape(name, you, s, r, close, candidates, transpose_hint=None) -> list[Diagnosis]:
    out = [Diagnosis("shape", name, f"Wrong shape: {you.lower()[0] + you[1:]} has shape "
                     f"{s.shape}, but {name} has shape {r.shape}. A gradient has the shape of "
                     f"what it is the gradient of: one entry per entry of {name}.")]
    for c in candidates:          # another argument's gradient may have this other shape
        cv = as_array(c.value)
        if c.kind == "other_argument" and cv is not None and cv.shape == s.shape \
                and close(s, cv, _tol_for(cv)):
            out.append(Diagnosis(c.kind, name, c.text))
    if r.ndim == 2 and s.shape == r.T.shape and close(s.T, r):
        out.append(_transposed(name, you, hint=transpose_hint))
    elif s.size == r.size and s.size > 1 and close(s.reshape(r.shape), r):
        out.append(Diagnosis("reshape", name, f"The numbers are right but arranged in shape "
                             f"{s.shape}; reshape them to {r.shape} (or avoid the flattening or "
                             "extra axis that produced it)."))
    try:
        broadcast = numpy.broadcast_shapes(r.shape, s.shape) == s.shape
    except ValueError:
        broadcast = False
    if broadcast and s.size > r.size:
        extra = s.ndim - r.ndim
        axes = tuple(range(extra)) + tuple(extra + i for i, n in enumerate(r.shape)
                                           if n == 1 and s.shape[extra + i] != 1)
        summed = s.sum(axis=axes).reshape(r.shape)
        if close(summed, r):
            keep = ", keepdims=True" if any(n == 1 for n in r.shape) else ""
            axes_text = axes[0] if len(axes) == 1 else axes
            out.append(Diagnosis("broadcast", name, f"Not summed over a broadcast axis: {name} "
                                 f"(shape {r.shape}) was broadcast along axis {axes_text} of shape "
                                 f"{s.shape} (as when b is added to every row of x @ W), so each "
                                 f"entry of {name} was used {s.size // r.size} times. Its gradient "
                                 "is the sum over those uses: np.sum(your_gradient, "
                                 f"axis={axes_text}{keep}).", axes))
    if s.size == 1 and r.size > 1:
        total = r.sum()
        if abs(s.reshape(()) - total) <= 1e-8 + 1e-5 * abs(total):
            out.append(Diagnosis("summed", name, f"{you} is one number, the sum of the entries of "
                                 f"the right gradient: it should keep one entry per entry of {name} "
                                 "(no sum over them)."))
    return out


def _tol_for(v) -> Any:
    return 1e-8 + 1e-5 * numpy.abs(v)


def _missing_paths(name, you, s, r, close, contributions) -> list[Diagnosis]:
    if not 2 <= len(contributions) <= 8:
        return []
    parts = [(label, as_array(g)) for label, g in contributions]
    if any(g is None or g.shape != r.shape for _, g in parts):
        return []
    for size in range(1, len(parts)):
        for subset in itertools.combinations(range(len(parts)), size):
            total = sum(parts[i][1] for i in subset)
            if close(s, total) and not close(total, r):
                used = " and ".join(parts[i][0] for i in subset)
                missing = " and ".join(parts[i][0] for i in range(len(parts)) if i not in subset)
                return [Diagnosis("missing_path", name, f"A path is missing: {name} is used "
                                  f"{len(parts)} times, and its gradient is the sum of the "
                                  "contributions from every use (the multivariable chain rule). "
                                  f"{you} has only the contribution from {used}; add the one "
                                  f"from {missing}.")]
    return []


def _few_entries(item, name, r, value, value_name) -> list[Diagnosis]:
    with numpy.errstate(invalid="ignore"):
        wrong = numpy.zeros(r.shape, bool)
        for m in item.mismatches:
            if m.kind == "wrong":
                wrong[m.index] = True
    k, n = int(wrong.sum()), wrong.size
    out = []
    if n >= 4 and 1 <= k <= n // 4:
        where = ", ".join(_entry(name, numpy.argwhere(wrong)[i]) for i in range(min(k, 4)))
        more = f" and {k - 4} more" if k > 4 else ""
        out.append(Diagnosis("few_entries", name, f"Right except at {k} of {n} entries ({where}"
                             f"{more}). Usually one case of the formula is handled wrongly: a max "
                             "or min (which entry wins, ties), abs or relu at 0, a where/if branch, "
                             "or an index used twice.", k))
    v = as_array(value) if value is not None else None
    if v is not None and v.shape == r.shape and v.dtype.kind in "fiu" and wrong.any() and not wrong.all():
        for words, mask in (("< 0", v < 0), ("> 0", v > 0), ("== 0", v == 0),
                            ("<= 0", v <= 0), (">= 0", v >= 0)):
            if numpy.array_equal(mask, wrong):
                out.append(Diagnosis("case", name, f"The entries that differ are exactly those "
                                     f"where {value_name} {words}: the formula is right on one side "
                                     "and wrong on the other; look for a case (abs, max, relu, "
                                     "where, an if) whose other branch you did not handle.", words))
                break
    return out


def _entry(name, index) -> str:
    index = tuple(int(i) for i in index)
    return name + ("[" + ", ".join(map(str, index)) + "]" if index else "")
