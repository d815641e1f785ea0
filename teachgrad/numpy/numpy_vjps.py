"""``autograd.numpy.numpy_vjps``: helpers for writing array gradients (from teachgrad.compat)."""
from ..compat.numpy_helpers import (balanced_eq, match_complex, metadata,  # noqa: F401
                                    repeat_to_match_shape, unbroadcast, unbroadcast_f)

__all__ = ["unbroadcast", "unbroadcast_f", "repeat_to_match_shape", "match_complex",
           "balanced_eq", "metadata"]
