"""Running older autograd code: every generation of autograd's API, over teachgrad's engine.

The modules with autograd's names (``teachgrad.core``, ``teachgrad.tracer``,
``teachgrad.util``, ``teachgrad.wrap_util``, ``teachgrad.convenience_wrappers``,
``teachgrad.optimizers``, ``teachgrad.numpy.numpy_vjps``, ...) are short
re-exports of this package, so that the engine keeps one way of doing each thing:

* :mod:`.primitives` -- ``primitive`` with 2016's ``f.defgrad``, ``f.defvjp(vjp, argnum)``, ...
* :mod:`.tracer` -- autograd 1.9's ``trace``, ``Node``, ``Box``, ``make_vjp(f, x)``, ``toposort``;
* :mod:`teachgrad.vspaces` and :mod:`teachgrad.box` (part of teachgrad.extend, which
  autograd's own extension API also has) -- ``VSpace``, ``vspace`` and ``Box``;
* :mod:`.util`, :mod:`.convenience_wrappers` -- autograd 1.0-1.1's checks and operators;
* :mod:`.numpy_helpers` -- ``unbroadcast_f``, ``repeat_to_match_shape``, ``match_complex``;
* :mod:`.notes` -- the one-line :class:`OldAutogradWarning` each old form gives once.
"""
from .notes import OldAutogradWarning, forget_notes, note

__all__ = ["OldAutogradWarning", "note", "forget_notes"]
