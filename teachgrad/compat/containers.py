"""autograd 1.1's container constructors: plain containers in teachgrad.

>>> make_tuple(1.0, 2.0), make_list(1.0), make_dict(a=1.0)
((1.0, 2.0), [1.0], {'a': 1.0})
"""
from __future__ import annotations

from .notes import note

__all__ = ["make_tuple", "make_list", "make_dict"]


def _note(name: str) -> None:
    note(f"container_types.{name}", "autograd 1.1's way of building a traced container",
         "an ordinary tuple, list or dict")


def make_tuple(*args) -> tuple:
    _note("make_tuple")
    return tuple(args)


def make_list(*args) -> list:
    _note("make_list")
    return list(args)


def make_dict(*args, **kwargs) -> dict:
    _note("make_dict")
    return dict(*args, **kwargs)
