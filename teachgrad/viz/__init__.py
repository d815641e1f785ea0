"""Drawing the recorded graph. Reads the graph; the engine knows nothing of it."""
from .picture import GraphPicture, GraphvizMissingError
from .show import show_graph
from .stepper import Stepper, step_through

__all__ = ["show_graph", "step_through", "Stepper", "GraphPicture", "GraphvizMissingError"]
