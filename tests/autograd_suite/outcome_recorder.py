"""A pytest plugin for the run of autograd's tests: writes each test's outcome to a JSON file.

Loaded with ``-p outcome_recorder`` in the subprocess that runs the rewritten
tests; the file named by ``TEACHGRAD_OUTCOMES`` gets ``{nodeid: [outcome, message]}``,
where outcome is passed, failed, skipped or error (a collection or fixture error).
A file that cannot even be imported appears under its own path as an error.
"""
import json
import os

_outcomes: dict = {}


def _message(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return f"{crash.message} ({os.path.basename(crash.path)}:{crash.lineno})"
    if isinstance(report.longrepr, tuple):          # a skip: (path, line, reason)
        return str(report.longrepr[2])
    text = str(report.longrepr)
    errors = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
    return errors[-1] if errors else text[-2000:]   # an import error's last line says it all


def _nodeid(nodeid: str) -> str:
    return nodeid[len("tests/"):] if nodeid.startswith("tests/") else nodeid


def pytest_collectreport(report):
    if report.failed:
        _outcomes[_nodeid(report.nodeid)] = ["error", _message(report)]


def pytest_collection_finish(session):
    for item in session.items:
        _outcomes.setdefault(_nodeid(item.nodeid), ["collected", ""])


def pytest_runtest_logreport(report):
    nodeid = _nodeid(report.nodeid)
    if report.when == "call":
        _outcomes[nodeid] = [report.outcome, _message(report) if not report.passed else ""]
    elif report.failed:
        _outcomes[nodeid] = ["error", f"{report.when}: {_message(report)}"]
    elif report.skipped:
        _outcomes[nodeid] = ["skipped", _message(report)]


def pytest_sessionfinish(session):
    path = os.environ.get("TEACHGRAD_OUTCOMES")
    if path:
        with open(path, "w") as out:
            json.dump(_outcomes, out, indent=1, sort_keys=True)
