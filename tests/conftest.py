import os
import sys

# Let every test import the shared helpers (gradcheck.py) by name.
sys.path.insert(0, os.path.dirname(__file__))
