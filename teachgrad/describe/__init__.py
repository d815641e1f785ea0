"""The recorded graph told to people: whose names, which code, what each operation means.

Drawing (``teachgrad.viz``), the stepper and ``check_grad`` all read these
modules, and none of them needs graphviz:

* :mod:`.capture`: while ``trace`` records, the local variable names, helper
  calls, source lines and backward passes each node was made in;
* :mod:`.names`: the one name each node is shown under;
* :mod:`.operations`: how each operation reads (``x @ W``), its local
  derivative as a formula, and the chain-rule step in words.
"""
