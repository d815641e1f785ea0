"""``autograd.scipy.misc`` (autograd 1.1): ``logsumexp``, which today lives in ``scipy.special``."""
from ..compat.notes import note as _note
from .special import logsumexp  # noqa: F401

__all__ = ["logsumexp"]

_note("autograd.scipy.misc.logsumexp", "autograd 1.1's place for logsumexp (as in SciPy then)",
      "from autograd.scipy.special import logsumexp")
