"""Checking gradients: is a hand-derived gradient right, and if not, why?

``check_grad(f, my_grad, *args)`` compares a gradient you derived by hand
with teachgrad's exact gradient and with finite differences, and says which
entries differ and, when the numbers show it, the likely mistake (a sign, a
factor 2, a transpose, a broadcast axis not summed, the gradient of another
argument, a path of the chain rule left out, a case missed). Give a dict of
node gradients instead to find the step of the chain rule where a mistake
entered, or ``None`` to check teachgrad's gradient of f itself, including
your custom gradients (``defvjp``). ``assert_grad`` raises AssertionError
with the report; ``numeric_grad`` is the finite-difference gradient.

>>> import teachgrad.numpy as np
>>> from teachgrad import check_grad
>>> report = check_grad(lambda x: np.sum(x ** 2), lambda x: x, np.array([1.0, -2.0, 3.0]))
>>> report.passed, report.diagnoses[0].kind, report.diagnoses[0].value
(False, 'factor', 0.5)
"""
from .check import assert_grad, check_grad
from .compare import Item
from .numeric import CheckGradError, numeric_grad
from .report import Diagnosis, GradReport, Mismatch

__all__ = ["check_grad", "assert_grad", "numeric_grad", "GradReport", "Diagnosis", "Mismatch",
           "Item", "CheckGradError"]
