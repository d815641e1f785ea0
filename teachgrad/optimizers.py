"""``autograd.optimizers`` (autograd 1.1): ``sgd``, ``rmsprop``, ``adam`` with 1.1's signatures.

They are teachgrad's :mod:`teachgrad.misc.optimizers` (``optimizer(grad, init_params,
callback=None, num_iters=..., step_size=..., ...)``, ``grad(x, i)``,
``callback(x, i, g)``); importing this module says once where they live today.
"""
from .compat.notes import note as _note
from .compat.optimizers import adam, rmsprop, sgd  # noqa: F401

__all__ = ["sgd", "rmsprop", "adam"]

_note("autograd.optimizers", "autograd 1.1's module for the optimizers",
      "from autograd.misc.optimizers import adam, sgd, rmsprop")
