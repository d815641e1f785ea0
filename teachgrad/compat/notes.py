"""One short note per old form: what today's autograd writes instead.

Old code keeps running; the first time it uses a form from autograd 1.0-1.1
(``f.defgrad``, ``util.check_grads(f, x)``, ``from autograd.convenience_wrappers
import ...``) a one-line :class:`OldAutogradWarning` says how the same thing is
written today. Each form speaks once per Python session. To silence them::

    import warnings
    from teachgrad.compat import OldAutogradWarning
    warnings.simplefilter("ignore", OldAutogradWarning)
"""
from __future__ import annotations

import os
import sys
import warnings

__all__ = ["OldAutogradWarning", "note", "forget_notes"]


class OldAutogradWarning(UserWarning):
    """Old autograd code was run: the message gives today's way to write it."""


_said: set[str] = set()


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _callers_level() -> int:
    """The stack level of the first frame outside teachgrad and the import machinery.

    So the note points at the student's line (``f.defgrad(...)``, ``from
    teachgrad.optimizers import adam``), wherever inside teachgrad it is raised.
    """
    frame, level = sys._getframe(2), 2
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith("<frozen importlib"):
            frame = frame.f_back      # warnings.warn skips these itself: do not count them
        elif name.startswith(_PACKAGE):
            frame, level = frame.f_back, level + 1
        else:
            break
    return level


def note(form: str, era: str, today: str) -> None:
    """Warn once that ``form`` is ``era``'s way, and that ``today`` is today's.

    >>> import warnings
    >>> forget_notes()
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     note("f.defgrad(...)", "autograd 1.0's way of registering a gradient",
    ...          "defvjp(f, lambda ans, x: lambda g: ...)")
    ...     note("f.defgrad(...)", "again", "again")
    >>> [str(w.message) for w in caught]
    ["`f.defgrad(...)` is autograd 1.0's way of registering a gradient; today: `defvjp(f, lambda ans, x: lambda g: ...)`"]
    """
    if form in _said:
        return
    _said.add(form)
    warnings.warn(f"`{form}` is {era}; today: `{today}`", OldAutogradWarning,
                  stacklevel=_callers_level())


def forget_notes() -> None:
    """Let every note be shown again (for tests and for a fresh lesson)."""
    _said.clear()
