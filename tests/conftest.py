import os

# The old-style programs are scripts that compat/test_compat_old_programs.py runs one by
# one; importing them while collecting doctests would run them early.
collect_ignore_glob = ["compat/old_programs/*"]

# In CI the property tests draw the same examples every run (a failure there is then a
# change in teachgrad, not a new random draw); locally they keep exploring.
try:
    from hypothesis import settings
except ImportError:             # the nox sessions run a small subset without hypothesis
    settings = None
if settings is not None and os.environ.get("CI"):
    settings.register_profile("ci", derandomize=True)
    settings.load_profile("ci")
