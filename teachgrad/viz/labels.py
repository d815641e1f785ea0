"""Text for Graphviz labels, escaped; and the check of ``digits=``.

Every string that reaches a drawing passes through :func:`dot_escape` (and
every string that reaches the stepper's HTML through
:func:`teachgrad.describe.values.escape`), so no name, value or op can break
the DOT source, inject markup into a notebook, or be read by Graphviz as one
of its own escapes (``\\N``, ``\\n``, ``\\l``). How values are written is
:mod:`teachgrad.describe.values`.
"""
from __future__ import annotations

from typing import Any

import numpy

from ..describe.values import escape
from ..errors import TeachgradError, explain


def dot_escape(text: Any) -> str:
    """Text made safe and visible for a Graphviz label, HTML-like or quoted.

    Graphviz reads ``\\N``, ``\\G``, ``\\n``, ``\\l`` ... in every label, so each
    backslash is doubled: a name ``\\N`` is drawn as ``\\N``, not as the node's id.

    >>> dot_escape("a\\\\N<b>")
    'a\\\\\\\\N&lt;b&gt;'
    """
    return escape(text).replace("\\", "\\\\")


def check_digits(digits: Any) -> int:
    """``digits`` as given, if it is a whole number from 1 to 17; else a clear error."""
    if isinstance(digits, (bool, numpy.bool_)) or not isinstance(digits, (int, numpy.integer)) \
            or not 1 <= digits <= 17:
        raise DigitsError(explain(
            f"digits={digits!r} cannot be used: it must be a whole number from 1 to 17.",
            "digits is how many significant digits each number shows (4 shows 0.8415); a float64 "
            "has about 17, and fewer than 1 shows nothing.",
            "pass digits=4 (the default), or digits=2 for a simpler picture."))
    return int(digits)


class DigitsError(TeachgradError, ValueError):
    """digits= is not a whole number from 1 to 17."""
