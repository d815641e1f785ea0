"""``autograd.numpy.numpy_vspaces``: the vector spaces of arrays (from teachgrad.vspaces)."""
from ..vspaces import ArrayVSpace, ComplexArrayVSpace  # noqa: F401

__all__ = ["ArrayVSpace", "ComplexArrayVSpace"]
