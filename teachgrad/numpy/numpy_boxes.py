"""``autograd.numpy.numpy_boxes``: ``ArrayBox`` is teachgrad's traced array (``ArrayNode``)."""
from .boxes import ArrayNode as ArrayBox  # noqa: F401

__all__ = ["ArrayBox"]
