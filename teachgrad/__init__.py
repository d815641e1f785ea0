"""teachgrad: automatic differentiation you can see.

>>> import teachgrad.numpy as np
>>> from teachgrad import grad
>>> float(grad(np.tanh)(0.0))
1.0
"""
from . import numpy  # noqa: F401  (installs the traced array type)
from .backprop import Step, backward
from .checking import assert_grad, check_grad, numeric_grad
from .costs import cost
from .differential_operators import (GradientWarning, elementwise_grad, grad, holomorphic_grad,
                                     tensor_jacobian_product,
                                     grad_and_aux, grad_named, hessian,
                                     hessian_tensor_product, hessian_vector_product,
                                     jacobian, make_ggnvp, make_hvp, make_vjp, multigrad,
                                     multigrad_dict, value_and_grad,
                                     vector_jacobian_product)
from .errors import TeachgradError
from .misc.checkpoint import checkpoint
from .builtins import dict, isinstance, list, tuple, type  # noqa: A004  (as autograd exports them)
from .forward import deriv, make_jvp, make_jvp_reversemode
from .compat.primitives import primitive   # autograd's: also takes 1.1's f.defgrad(...)
from .graph import Graph, Node
from .record import trace
from .tracing import name
from .viz import show_graph, step_through

__version__ = "0.1.0"

__all__ = [
    "grad", "grad_named", "multigrad", "multigrad_dict", "value_and_grad", "grad_and_aux",
    "elementwise_grad", "deriv", "jacobian", "hessian", "hessian_vector_product",
    "hessian_tensor_product", "make_hvp", "make_vjp", "vector_jacobian_product", "make_jvp",
    "trace", "name", "show_graph", "step_through", "backward", "Step", "Graph", "Node", "GradientWarning", "TeachgradError",
    "check_grad", "assert_grad", "numeric_grad", "checkpoint", "holomorphic_grad", "make_ggnvp",
    "tensor_jacobian_product", "make_jvp_reversemode", "primitive", "cost",
]
