"""``autograd.numpy.numpy_vspaces``: the vector spaces of arrays (from teachgrad.compat.vspaces)."""
from ..compat.vspaces import ArrayVSpace, ComplexArrayVSpace  # noqa: F401

__all__ = ["ArrayVSpace", "ComplexArrayVSpace"]
