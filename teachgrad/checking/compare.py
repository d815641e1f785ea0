"""Comparing one gradient with the reference, entry by entry.

The reference for an array is teachgrad's exact gradient, confirmed against
finite differences. Where the two disagree, the one-sided derivatives decide
why:

* they differ (a *kink*, as for ``abs`` or ``max`` at zero): f is not
  differentiable there; every value between the left and right derivatives
  is accepted, and the report says so instead of blaming anyone;
* they jump by more and more as the step shrinks: f is *discontinuous*
  there; nothing can be decided at that entry;
* they agree (f is smooth there): the exact gradient itself is wrong, which
  happens when a custom gradient (``defvjp``) is wrong; finite differences
  become the reference.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy

from ..tracing import unwrap
from .numeric import entry_derivatives, one_sided
from .report import Diagnosis, Mismatch

FD_RTOL = 1e-4      # finite differences agree with the exact gradient this well...
FD_ATOL = 1e-6      # ...plus this, plus the rounding noise of f divided by eps
FD_STEPS = (10.0, 100.0)   # larger steps tried before declaring a disagreement
MAX_KINK_TESTS = 200
TINY = 1e-300


@dataclass
class Item:
    """The comparison of one gradient (one argument, one node, one custom maker)."""
    name: str
    kind: str = "argument"          # argument | node | maker | second order
    status: str = "pass"            # pass | fail | inconclusive | missing
    shape: tuple | None = None      # the shape it should have
    got_shape: tuple | None = None
    size: int = 0
    wrong: int = 0
    max_abs_error: float = float("inf")     # inf until something could be compared
    max_rel_error: float = float("inf")
    mismatches: list = field(default_factory=list)
    diagnoses: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    label: str = ""                 # e.g. "the mistake entered here"
    op: str = ""                    # for nodes: how the node was computed
    reference: str = "teachgrad"    # what "expected" means in the table
    got_label: str = "yours"        # what "got" means in the table
    symbol: str = ""                # what entries are called (x[0]); the name by default
    error: str = ""                 # why nothing could be compared
    # not shown; kept for diagnosis
    got: Any = None
    ref: Any = None

    @property
    def passed(self) -> bool:
        return self.status == "pass"


class Reference:
    """What one array's gradient should be, entry by entry, and how sure we are.

    ``phi`` is f as a function of this array's flat entries (for finite
    differences); without it only the exact gradient is used.
    :meth:`from_numeric` makes finite differences the reference instead (to
    check teachgrad's own gradient, a custom gradient, or when f cannot be
    traced).
    """

    def __init__(self, exact: Any, phi: Callable | None = None, x: numpy.ndarray | None = None,
                 *, eps: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-8):
        self.exact = numpy.array(exact, dtype=numpy.result_type(exact, numpy.float64))
        self.shape = self.exact.shape
        self.phi, self.x, self.eps = phi, x, eps
        self.rtol, self.atol = rtol, atol
        self.numeric_mode = False
        n = self.exact.size
        self.value = self.exact.ravel().copy()
        self.tol = atol + rtol * numpy.abs(self.value)
        self.numeric = numpy.full(n, numpy.nan, dtype=self.value.dtype)
        self.low = numpy.full(n, numpy.nan)
        self.high = numpy.full(n, numpy.nan)
        self.undecided = numpy.zeros(n, bool)
        self.exact_wrong = numpy.zeros(n, bool)
        self.kinks: dict[int, tuple] = {}      # flat index -> (kind, left, right)
        self.f0 = None
        if phi is not None:
            try:
                self.f0 = phi(x.ravel().copy())
            except Exception:                               # noqa: BLE001 - cannot replay f
                self.f0 = numpy.nan
            if not numpy.isfinite(self.f0):
                self.phi, self.f0 = None, None
        finite = numpy.isfinite(self.value)
        self.undecided[~finite] = True

    @classmethod
    def from_numeric(cls, phi: Callable, x: numpy.ndarray, *, eps: float = 1e-6) -> "Reference":
        """Finite differences at every entry as the reference, to their own tolerance."""
        f0 = phi(x.ravel().copy())
        if not numpy.isfinite(f0):
            raise ValueError("f is not finite at this point")
        fd = central(phi, x, list(range(x.size)), eps).reshape(x.shape)
        ref = cls(fd, phi, x, eps=eps)
        ref.numeric_mode = True
        ref.numeric = ref.value.copy()
        ref.tol = ref.fd_tol(ref.value)
        return ref

    def agrees_with_larger_steps(self, k: int, got: Any) -> bool:
        """Whether ``got`` matches central differences with a larger step (less rounding noise)."""
        for s in FD_STEPS:
            h = self.eps * s
            fd = central(self.phi, self.x, [k], h)[0]
            if abs(got - fd) <= self.fd_tol(fd, h):
                return True
        return False

    # -- finite differences ------------------------------------------------
    def fd_tol(self, exact: Any, h: float | None = None) -> Any:
        h = self.eps if h is None else h
        noise = 50 * numpy.finfo(float).eps * max(1.0, abs(self.f0 or 0.0)) / h
        return FD_RTOL * numpy.abs(exact) + FD_ATOL + noise

    def numeric_at(self, k: int) -> Any:
        """The central difference at flat entry ``k`` (computed once)."""
        if self.phi is None:
            return None
        if numpy.isnan(self.numeric[k]):
            self.numeric[k] = central(self.phi, self.x, [k], self.eps)[0]
        return self.numeric[k]

    def check_numeric(self, indices) -> None:
        """Compare the exact gradient with finite differences at ``indices``."""
        if self.phi is None:
            return
        indices = list(indices)
        if not indices:
            return
        self.numeric[indices] = central(self.phi, self.x, indices, self.eps)
        for k in indices:
            exact, fd = self.exact.flat[k], self.numeric[k]
            if not numpy.isfinite(exact) or numpy.isnan(fd):
                continue                  # nothing to confirm with (f fails nearby)
            agree = abs(exact - fd) <= self.fd_tol(exact) or \
                self.agrees_with_larger_steps(k, exact)
            if agree:
                continue
            if self.classify(k, abs(exact - fd)) == "smooth":
                self.exact_wrong[k] = True
                self.value[k], self.tol[k] = fd, self.fd_tol(fd)

    def classify(self, k: int, discrepancy: float) -> str:
        """'kink', 'discontinuous' or 'smooth' at flat entry ``k``, from one-sided derivatives."""
        if k in self.kinks:
            return self.kinks[k][0]
        if self.phi is None or self.x.dtype.kind == "c":
            return "smooth"
        h2 = self.eps
        h1 = 10 * h2
        try:
            l1, r1 = one_sided(self.phi, self.x, k, h1, self.f0)
            l2, r2 = one_sided(self.phi, self.x, k, h2, self.f0)
        except Exception:                                   # noqa: BLE001 - f fails nearby
            l1 = r1 = l2 = r2 = numpy.nan
        if not numpy.all(numpy.isfinite([l1, r1, l2, r2])):
            kind = "discontinuous"
        else:
            j1, j2 = r1 - l1, r2 - l2
            noise = 50 * numpy.finfo(float).eps * max(1.0, abs(self.f0)) / h2
            grows = abs(r2 - r1) + abs(l2 - l1) > 1e-3 * (1 + abs(l1) + abs(r1)) + noise \
                and abs(r2) + abs(l2) > 3 * (abs(r1) + abs(l1))
            if grows:                  # slopes ~ jump / h: f jumps at x
                kind = "discontinuous"
            elif abs(j2) <= noise + 1e-7 * (1 + abs(l2) + abs(r2)):
                kind = "smooth"
            elif abs(j2) > 3 * abs(j1):
                kind = "discontinuous"
            elif abs(j2) >= 0.25 * discrepancy:
                kind = "kink"
            else:
                kind = "smooth"
        self.kinks[k] = (kind, l2, r2)
        if kind == "kink":
            self.low[k], self.high[k] = min(l2, r2), max(l2, r2)
            self.tol[k] = max(self.tol[k], self.fd_tol(max(abs(l2), abs(r2))))
        elif kind == "discontinuous":
            self.undecided[k] = True
        return kind

    def accepts_at_kink(self, k: int, got: Any) -> bool:
        lo, hi, t = self.low[k], self.high[k], self.tol[k]
        return not numpy.isnan(lo) and lo - t <= numpy.real(got) <= hi + t and numpy.imag(got) == 0


def central(phi: Callable, x: numpy.ndarray, indices, h: float) -> numpy.ndarray:
    """Central differences at ``indices``; nan where f fails (raises) near the point."""
    out = numpy.full(len(indices), numpy.nan, dtype=numpy.result_type(x, numpy.float64))
    for n, k in enumerate(indices):
        try:
            out[n] = entry_derivatives(phi, x, [k], h)[0]
        except Exception:                                   # noqa: BLE001 - f's own error
            pass
    return out


def as_array(value: Any) -> numpy.ndarray | None:
    """The value as a numeric array, or None if it is not one."""
    value = unwrap(value)
    try:
        arr = numpy.asarray(value)
    except Exception:                                       # noqa: BLE001 - ragged lists etc.
        return None
    if arr.dtype.kind not in "biufc":
        return None
    return arr


def compare(item: Item, got: Any, ref: Reference, *, max_kink_tests: int = MAX_KINK_TESTS,
            returned: bool = False) -> Item:
    """Fill ``item`` with the comparison of ``got`` against ``ref``.

    ``returned``: ``got`` came from the student's function (not a value given),
    for the words when it is None or ``...``.
    """
    item.shape = ref.shape
    item.size = int(numpy.prod(ref.shape, dtype=int))
    item.ref = ref
    item.got = got
    if got is None:
        item.status = "fail"
        item.error = ("your function returned None: did you forget `return`?" if returned
                      else "None was given (nothing was returned?)")
        return item
    if got is Ellipsis:
        item.status = "fail"
        item.error = ("your function returned ... (no answer yet)" if returned
                      else "... was given (no answer yet)")
        return item
    arr = as_array(got)
    if arr is None:
        item.status = "fail"
        item.error = f"not an array of numbers: {type(got).__name__} {got!r:.80}"
        return item
    item.got_shape = arr.shape
    if arr.shape != ref.shape:
        item.status = "fail"
        item.error = f"shape {arr.shape}, but it should be {ref.shape}"
        item.wrong = item.size
        return item
    flat = arr.ravel().astype(numpy.result_type(arr, numpy.float64))
    diff = numpy.abs(flat - ref.value)
    with numpy.errstate(invalid="ignore"):
        ok = (diff <= ref.tol) | (flat == ref.value)
    at_kink = numpy.zeros_like(ok)
    for n, k in enumerate(numpy.flatnonzero(~ok)):
        if n >= max_kink_tests or ref.phi is None:
            break
        if ref.undecided[k] or not numpy.isfinite(flat[k]):
            continue
        if ref.numeric_mode and ref.agrees_with_larger_steps(k, flat[k]):
            ok[k] = True
            continue
        if numpy.isnan(ref.low[k]):
            ref.classify(k, abs(flat[k] - ref.value[k]))
        if not numpy.isnan(ref.low[k]):
            ok[k] = at_kink[k] = ref.accepts_at_kink(k, flat[k])
    undecided = ref.undecided.copy()        # no derivative there: nothing is right or wrong
    wrong = ~ok & ~undecided
    item.wrong = int(wrong.sum())
    errs = numpy.where(at_kink, 0.0, diff)
    finite = numpy.isfinite(errs)
    with numpy.errstate(invalid="ignore", divide="ignore"):
        scale = numpy.maximum(numpy.abs(ref.value), numpy.abs(flat))
        rel = numpy.where(scale > ref.atol, errs / numpy.where(scale > 0, scale, 1), 0.0)
    decided = ~ref.undecided
    if numpy.any(wrong & ~finite):
        item.max_abs_error = item.max_rel_error = float("inf")
    else:
        sel = decided & finite
        item.max_abs_error = float(errs[sel].max()) if sel.any() else 0.0
        item.max_rel_error = float(rel[sel].max()) if sel.any() else 0.0
    for k in numpy.flatnonzero(wrong | undecided):
        index = numpy.unravel_index(k, ref.shape) if ref.shape else ()
        item.mismatches.append(Mismatch(
            item.symbol or item.name, tuple(int(i) for i in index), _scalar(ref.value[k]), _scalar(flat[k]),
            _scalar(ref.numeric_at(k)) if len(item.mismatches) < 12 else _scalar(ref.numeric[k]),
            "undecided" if undecided[k] else "wrong"))
    kink_entries = [k for k, v in ref.kinks.items() if v[0] == "kink"]
    if kink_entries:
        item.notes.append(_kink_note(item.symbol or item.name, ref, kink_entries))
    disc = [k for k, v in ref.kinks.items() if v[0] == "discontinuous"]
    what = "f's gradient is" if item.kind == "second order" else "f is"
    if disc:
        item.notes.append(
            f"{what} not continuous at this point along {_entries(item.symbol or item.name, ref.shape, disc)} "
            "(a step, as with round or a comparison, or f is undefined nearby): no derivative "
            "exists there, so those entries cannot be checked. Choose another point.")
    nonfinite = numpy.flatnonzero(~numpy.isfinite(ref.exact.ravel()))
    if nonfinite.size and ref.numeric_mode:
        item.notes.append(
            f"Finite differences could not be computed at "
            f"{_entries(item.symbol or item.name, ref.shape, nonfinite)}: the function is not "
            "finite (or fails) right next to this point, so no derivative can be checked "
            "there. Check at another point.")
    elif nonfinite.size:
        item.notes.append(
            f"teachgrad's gradient is {_scalar(ref.exact.flat[nonfinite[0]])} at "
            f"{_entries(item.symbol or item.name, ref.shape, nonfinite)}: f is not differentiable at this point "
            "(for example sqrt or log at 0). This is about the point, not your gradient: "
            "check at another point.")
    if item.wrong:
        item.status = "fail"
    elif undecided.any():
        item.status = "inconclusive"
    else:
        item.status = "pass"
    return item


def _kink_note(name: str, ref: Reference, entries: list[int]) -> str:
    k = entries[0]
    _, left, right = ref.kinks[k]
    return (f"f is not differentiable at this point along {_entries(name, ref.shape, entries)}: "
            f"its slope is {left:.4g} on the left and {right:.4g} on the right (a kink, as for "
            "abs, max or relu at 0). Any value between them is accepted there; teachgrad "
            f"chose {_scalar(ref.exact.flat[k]):.4g}. To test the formula itself, check at a "
            "point away from the kink (points=5 checks at random points around this one).")


def _entries(name: str, shape: tuple, flat_indices) -> str:
    flat_indices = list(flat_indices)
    shown = []
    for k in flat_indices[:4]:
        index = numpy.unravel_index(k, shape) if shape else ()
        shown.append(name + ("[" + ", ".join(str(int(i)) for i in index) + "]" if index else ""))
    more = f" and {len(flat_indices) - 4} more" if len(flat_indices) > 4 else ""
    return ", ".join(shown) + more


def _scalar(v: Any) -> Any:
    if v is None:
        return None
    v = numpy.asarray(v).reshape(())[()]
    if numpy.iscomplexobj(v):
        return complex(v)
    return float(v)


__all__ = ["Item", "Reference", "compare", "as_array", "Diagnosis", "Mismatch"]
