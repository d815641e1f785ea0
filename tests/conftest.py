import os
import sys

# Let every test import the shared helpers (gradcheck.py) by name.
sys.path.insert(0, os.path.dirname(__file__))

# The old-style programs are scripts that compat/test_compat_old_programs.py runs one by
# one; importing them while collecting doctests would run them early.
collect_ignore_glob = ["compat/old_programs/*"]
