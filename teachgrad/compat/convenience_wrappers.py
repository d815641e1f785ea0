"""autograd 1.0-1.1's ``convenience_wrappers``: the differential operators, by their 2016 names.

Every one of them is teachgrad's own operator (same arguments, same results,
the same drawings and errors); ``grad`` also takes an int argument as a float,
as autograd 1.1 did.
"""
from __future__ import annotations

from ..differential_operators import (elementwise_grad, grad_and_aux, grad_named, hessian,  # noqa: F401
                                      hessian_vector_product, jacobian, multigrad, multigrad_dict,
                                      value_and_grad, vector_jacobian_product)
from .util import old_grad as grad  # noqa: F401

__all__ = ["grad", "multigrad", "multigrad_dict", "elementwise_grad", "value_and_grad",
           "grad_and_aux", "hessian_vector_product", "hessian", "jacobian",
           "vector_jacobian_product", "grad_named"]
