"""Old path of numpy/array_node.py (the traced array, ``ArrayNode``)."""
# old path, kept until differential_operators.py and tests/test_errors.py import from
# teachgrad.numpy.array_node
from .array_node import CONVERTED_MESSAGE, ArrayNode, _dispatch  # noqa: F401
