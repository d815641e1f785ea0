"""``autograd.numpy.numpy_boxes``: ``ArrayBox`` is teachgrad's traced array (``ArrayNode``)."""
from .array_node import ArrayNode as ArrayBox  # noqa: F401

__all__ = ["ArrayBox"]
