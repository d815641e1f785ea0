"""Old home of autograd's vector spaces; they are part of the extension API now: :mod:`teachgrad.vspaces`."""
from ..vspaces import (ArrayVSpace, ComplexArrayVSpace, DictVSpace, ListVSpace,  # noqa: F401
                       TupleVSpace, VSpace, vspace)
