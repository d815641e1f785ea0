"""``autograd.wrap_util``: ``unary_to_nary`` and ``wraps`` (re-exported from teachgrad.compat)."""
from .compat.wrap_util import get_doc, get_name, unary_to_nary, wrap_nary_f, wraps  # noqa: F401

__all__ = ["unary_to_nary", "wraps", "wrap_nary_f", "get_name", "get_doc"]
