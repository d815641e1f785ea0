"""``autograd.convenience_wrappers`` (autograd 1.0-1.1): the operators by their 2016 module.

Re-exported from :mod:`teachgrad.compat.convenience_wrappers`; importing it says once
that today they are imported from the package itself.
"""
from .compat.convenience_wrappers import (elementwise_grad, grad, grad_and_aux,  # noqa: F401
                                          grad_named, hessian, hessian_vector_product,
                                          jacobian, multigrad, multigrad_dict, value_and_grad,
                                          vector_jacobian_product)
from .compat.notes import note as _note

_note("autograd.convenience_wrappers", "autograd 1.1's module for the differential operators",
      "from autograd import grad, value_and_grad, jacobian, ...")
