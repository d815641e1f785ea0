"""``autograd.container_types`` (autograd 1.1): ``make_tuple``, ``make_list``, ``make_dict``.

In teachgrad tuples, lists and dicts of traced values are ordinary Python
containers, so these build them directly (re-exported from teachgrad.compat).
"""
from .compat.containers import make_dict, make_list, make_tuple  # noqa: F401

__all__ = ["make_tuple", "make_list", "make_dict"]
