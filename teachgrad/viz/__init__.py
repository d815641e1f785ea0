"""Drawing the recorded graph. Reads the graph; the engine knows nothing of it."""
from .picture import GraphPicture, GraphvizMissingError
from .show import show_graph

__all__ = ["show_graph", "GraphPicture", "GraphvizMissingError"]
