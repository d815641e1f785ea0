"""The recorded graph told to people: whose names, which code, what each operation means.

Drawing (``teachgrad.viz``), the stepper and ``check_grad`` all read these
modules, and none of them needs graphviz:

* :mod:`.capture`: while ``trace`` records, the local variable names, helper
  calls, source lines and backward passes each node was made in;
* :mod:`.names`: the one name each node is shown under;
* :mod:`.operations`: how each operation reads (``x @ W``), its local
  derivative as a formula, and the chain-rule step in words;
* :mod:`.values`: how numbers, arrays and constants are written;
* :mod:`.steps`: what the stepper says at each step;
* :mod:`.tangents`: forward mode replayed over a recorded graph (each node's
  tangent, and the share each argument brought), for the forward-mode stepper.

To change how an operation is labelled: its template is in
:data:`.operations.TEMPLATES`, its local derivative is the ``formulas=``
string registered next to its gradient (``teachgrad/numpy/gradients/``).
"""
