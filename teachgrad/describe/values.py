"""Values, constants and text written for people: numbers with a few digits, arrays as
a summary, and text made visible and safe for HTML.

Pictures, the stepper and check_grad all write values through these functions,
so a number reads the same everywhere. No graphviz here (its escaping is in
:mod:`teachgrad.viz.labels`).
"""
from __future__ import annotations

import html
from typing import Any

import numpy

from ..tracing import unwrap

NOT_FINITE = "⚠"


def _invisible_characters() -> dict[int, str]:
    """Characters a label cannot show as themselves, and how Python's repr writes them."""
    codes = [*range(0x20), *range(0x7F, 0xA0),      # C0 and C1 controls, DEL: not allowed in SVG
             *range(0xD800, 0xE000),                # lone surrogates: not encodable in UTF-8
             0xFFFE, 0xFFFF,                        # not characters at all
             *range(0x202A, 0x202F), *range(0x2066, 0x206A)]   # direction overrides reorder text
    named = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
    return {c: named.get(c, f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in codes}


_INVISIBLE = _invisible_characters()


def visible(text: Any) -> str:
    """``text`` with characters that would not print written as Python writes them.

    >>> visible("a\\x07b\\nc\\ud800")
    'a\\\\x07b\\\\nc\\\\ud800'
    """
    return str(text).translate(_INVISIBLE)


def escape(text: Any) -> str:
    """Text made safe and visible for HTML (the stepper's explanations).

    >>> escape("a<b & c\\x00")
    'a&lt;b &amp; c\\\\x00'
    """
    return html.escape(visible(text), quote=True)


def format_number(x: Any, digits: int = 4) -> str:
    """A number with ``digits`` significant digits: 0.8415, 1.2e-07, nan, inf, 1+2j."""
    if isinstance(x, (bool, numpy.bool_)):
        return str(bool(x))
    if isinstance(x, (int, numpy.integer)):
        return str(int(x))
    if isinstance(x, (complex, numpy.complexfloating)):
        z = complex(x)
        if z.imag == 0:
            return format_number(z.real, digits) + "+0j"
        sign = "-" if z.imag < 0 or (z.imag == 0 and str(z.imag).startswith("-")) else "+"
        return f"{format_number(z.real, digits)}{sign}{format_number(abs(z.imag), digits)}j"
    x = float(x)
    if numpy.isnan(x):
        return "nan"
    if numpy.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        x = 0.0                       # no "-0" in a label
    text = f"{x:.{digits}g}"
    return text


def has_nonfinite(value: Any) -> bool:
    plain = unwrap(value)
    try:
        arr = numpy.asarray(plain)
        return arr.dtype.kind in "fc" and not numpy.all(numpy.isfinite(arr))
    except (TypeError, ValueError):
        return False


def format_value(value: Any, digits: int = 4, max_inline: int = 6) -> str:
    """How a value reads in a label: a number, a short array, or a summary.

    >>> format_value(0.841470984)
    '0.8415'
    >>> format_value(numpy.array([1.0, 2.5]))
    '[1, 2.5]'
    >>> format_value(numpy.zeros((100, 3)))
    'float64 (100, 3): min 0, mean 0, max 0'
    """
    plain = unwrap(value)
    if isinstance(plain, (list, tuple)):
        return f"{type(plain).__name__} of {len(plain)}"
    arr = numpy.asarray(plain)
    if arr.dtype == object:
        return type(plain).__name__
    if arr.ndim == 0:
        return format_number(arr[()], digits)
    if arr.size <= max_inline and arr.ndim <= 2:
        return _inline(arr, digits)
    return summarize(arr, digits)


def _inline(arr: numpy.ndarray, digits: int) -> str:
    if arr.ndim == 1:
        return "[" + ", ".join(format_number(v, digits) for v in arr) + "]"
    return "[" + ", ".join(_inline(row, digits) for row in arr) + "]"


def summarize(arr: numpy.ndarray, digits: int = 4) -> str:
    """dtype, shape and min/mean/max, with a count of nan and inf entries."""
    shape = "(" + ", ".join(str(n) for n in arr.shape) + ("," if arr.ndim == 1 else "") + ")"
    head = f"{arr.dtype} {shape}"
    if arr.size == 0:
        return head + ": empty"
    if arr.dtype.kind not in "fciub":
        return head
    finite = arr[numpy.isfinite(arr)] if arr.dtype.kind in "fc" else arr
    bad = arr.size - finite.size
    if arr.dtype.kind == "c":
        text = f"{head}: |mean| {format_number(abs(finite.mean()) if finite.size else numpy.nan, digits)}"
    elif finite.size:
        text = (f"{head}: min {format_number(finite.min(), digits)}, "
                f"mean {format_number(finite.mean(), digits)}, max {format_number(finite.max(), digits)}")
    else:
        text = head
    if bad:
        n_nan = int(numpy.isnan(arr).sum())
        parts = []
        if n_nan:
            parts.append(f"{n_nan} nan")
        if bad - n_nan:
            parts.append(f"{bad - n_nan} inf")
        text += ", " + " and ".join(parts)
    return text


def format_constant(value: Any, digits: int = 4) -> str:
    """A constant argument written inside an operation: 2, 0.5, const(3, 4), 'ij,jk'."""
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "None"
    if isinstance(value, slice):
        return _slice(value)
    if value is Ellipsis:
        return "..."
    if isinstance(value, tuple):
        return ", ".join(format_constant(v, digits) for v in value)
    if isinstance(value, list):
        return "[" + ", ".join(format_constant(v, digits) for v in value) + "]"
    arr = numpy.asarray(value) if not isinstance(value, numpy.ndarray) else value
    if arr.dtype == object:
        return type(value).__name__
    if arr.ndim == 0:
        return format_number(arr[()], digits)
    if arr.size <= 4 and arr.ndim == 1:
        return _inline(arr, digits)
    return "const" + str(arr.shape).replace(",)", ")")


def _slice(s: slice) -> str:
    start = "" if s.start is None else str(s.start)
    stop = "" if s.stop is None else str(s.stop)
    text = f"{start}:{stop}"
    if s.step is not None:
        text += f":{s.step}"
    return text
