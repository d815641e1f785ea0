"""The measuring instrument shared by every benchmark script in this folder.

A *workload* is one piece of work done by several *sides*: HIPS autograd,
teachgrad, and (where one is written) the same gradient by hand in plain
numpy. For each workload the harness

  1. builds every side in one process, calls each once and checks that all
     results agree with autograd's (``numpy.allclose`` with tight tolerances,
     entry by entry of the nested result); a workload whose sides disagree is
     NOT timed: a timing of a wrong gradient means nothing;
  2. starts one timing process per side, all pinned to the same CPU, each of
     which builds its callable, makes one or two untimed calls and waits;
     then asks them in turn, call by call in a rotating order (autograd,
     teachgrad, numpy; teachgrad, numpy, autograd; ...), for one timed call
     each: ``gc.collect()`` first, the clock read around the call. With BLAS
     on one thread (the default) the clock is the process's CPU time
     (``time.process_time``: user and system time, page faults included),
     so time that others' processes take from the shared CPU counts against
     neither side; otherwise it is ``time.perf_counter``.
     Only one process works at a time, and a burst of someone else's load
     on the shared machine lands on all sides alike;
  3. reports the median of each side's samples, and the minor page faults
     per call (first touches of memory got from the kernel).

Why a process per side: a library's time depends on the C heap. glibc gives
memory freed at the top of its heap back to the kernel, and serves big arrays
with fresh mmaps, below thresholds that grow as big blocks are freed; a first
touch of a fresh page costs microseconds in this machine's virtual machine.
In one process the other libraries' allocations change those thresholds and
the heap's layout, so a library's page faults depend on who ran before it.
In a process of its own each side sees only its own allocations.

Each timed call's result stays alive until the next call returns, as
``grads = g(params)`` in a training loop keeps the last gradient. Whether a
program keeps it matters: memory still in use at the top of the heap stops
glibc from trimming, so teachgrad's RNN takes 6.1 ms with 87 page faults per
call when the last result is kept, and 8.5 ms with 1,845 when it is dropped
at once (autograd: 12.5 ms either way). ``--in-process`` interleaves all
sides call by call in one process, for quick looks.
"""
from __future__ import annotations

import gc
import os
import platform
import statistics
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as onp

try:
    import resource             # page-fault counts (Unix only)
except ImportError:             # pragma: no cover
    resource = None

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _path in (REPO_ROOT, os.path.join(REPO_ROOT, "tests")):
    if _path not in sys.path:
        sys.path.insert(1, _path)

# Sides, in the order they are timed in each round.
AUTOGRAD, TEACHGRAD, HAND = "autograd", "teachgrad", "numpy"

# Tight: float64 results computed by the same formulas in a different order
# differ in the last few digits, not more.
RTOL, ATOL = 1e-9, 1e-12


@dataclass
class Workload:
    """One thing to time.

    ``make(np, ag, data)`` returns the zero-argument callable for a library
    (``np`` its numpy, ``ag`` the library: ``grad``, ``hessian`` ...);
    ``hand(data)``, if given, returns the plain-numpy callable. ``data(small)``
    builds the input once (plain numpy, fixed seed), shared by all sides;
    ``small=True`` gives a tiny instance for the agreement test.
    """
    name: str
    desc: str
    data: Callable[[bool], Any]
    make: Callable[[Any, Any, Any], Callable[[], Any]]
    hand: Callable[[Any], Callable[[], Any]] | None = None
    label: str = ""             # short description for the README table
    n_ops: int | None = None    # exact number of primitive operations (for µs per op)
    unit: str = "op"
    repeats: int = 21
    quick_repeats: int = 3
    target: tuple[str, float] | None = None   # ("autograd" | "numpy", max ratio) from issue 15


@dataclass
class Result:
    name: str
    times: dict = field(default_factory=dict)       # side -> median seconds
    samples: dict = field(default_factory=dict)     # side -> list of seconds
    first_call: dict = field(default_factory=dict)  # side -> seconds of the checking call
    clock: str = "wall"                             # "cpu": the timing process's CPU time
    errors: dict = field(default_factory=dict)      # side -> message
    agree: bool | None = None
    maxdiff: dict = field(default_factory=dict)     # side -> max relative difference to autograd
    faults: dict = field(default_factory=dict)      # side -> minor page faults per timed call
    disagreement: str = ""
    n: int = 0

    def ratio(self, side, reference):
        a, b = self.times.get(side), self.times.get(reference)
        return a / b if a and b else None


# ---------------------------------------------------------------------------
# Agreement
# ---------------------------------------------------------------------------

def flatten(obj, prefix="out"):
    """A nested result (dicts, lists, tuples, arrays, numbers) as [(path, float array)]."""
    if isinstance(obj, dict):
        return [item for key in sorted(obj) for item in flatten(obj[key], f"{prefix}[{key!r}]")]
    if isinstance(obj, (list, tuple)):
        return [item for i, v in enumerate(obj) for item in flatten(v, f"{prefix}[{i}]")]
    return [(prefix, onp.asarray(obj, dtype=float))]


def compare(reference, result, rtol=RTOL, atol=ATOL):
    """(agree, largest difference relative to the reference's scale, message)."""
    try:
        a, b = flatten(reference), flatten(result)
    except Exception as error:  # noqa: BLE001
        return False, float("nan"), f"cannot read the result as arrays: {error!r}"
    if [p for p, _ in a] != [p for p, _ in b]:
        return False, float("nan"), f"structure differs: {[p for p, _ in a]} vs {[p for p, _ in b]}"
    agree, worst, messages = True, 0.0, []
    for (path, x), (_, y) in zip(a, b):
        if x.shape != y.shape:
            agree = False
            messages.append(f"{path}: shape {x.shape} vs {y.shape}")
            continue
        if x.size == 0:
            continue
        scale = max(float(onp.max(onp.abs(x))), 1e-300)
        worst = max(worst, float(onp.max(onp.abs(x - y))) / scale)
        if not onp.allclose(y, x, rtol=rtol, atol=atol * max(scale, 1.0)):
            agree = False
            messages.append(f"{path}: max abs diff {float(onp.max(onp.abs(x - y))):.3e} "
                            f"(scale {scale:.3e})")
    return agree, worst, "; ".join(messages)


def check_agreement(outputs: dict) -> tuple[bool, dict, str]:
    """Every side's output against autograd's."""
    reference = outputs[AUTOGRAD]
    ok, worst, messages = True, {}, []
    for side, out in outputs.items():
        if side == AUTOGRAD:
            continue
        agree, diff, message = compare(reference, out)
        worst[side] = diff
        if not agree:
            ok = False
            messages.append(f"{side}: {message}")
    return ok, worst, "; ".join(messages)


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------

def _minor_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt if resource else 0


def timed(fn, faults=None, clock=time.perf_counter):
    """(seconds, result) of one call; adds the call's minor page faults to ``faults[0]``."""
    gc.collect()
    before = _minor_faults()
    start = clock()
    out = fn()
    stop = clock()
    if faults is not None:
        faults[0] += _minor_faults() - before
    return stop - start, out


def short_exc(error):
    tb = traceback.extract_tb(error.__traceback__)
    where = f" (at {os.path.basename(tb[-1].filename)}:{tb[-1].lineno})" if tb else ""
    message = "".join(traceback.format_exception_only(type(error), error)).strip()
    return (message[:300] + "...") if len(message) > 300 else message + where


def build_sides(wl: Workload, libraries: list, data) -> tuple[dict, dict]:
    """{side: callable} for the libraries (label, np, lib) and the hand-written gradient."""
    builders = [(label, (lambda np_, lib_: lambda: wl.make(np_, lib_, data))(np_mod, lib))
                for label, np_mod, lib in libraries]
    if wl.hand is not None:
        builders.append((HAND, lambda: wl.hand(data)))
    fns, errors = {}, {}
    for label, build in builders:
        try:
            fns[label] = build()
        except Exception as error:  # noqa: BLE001
            errors[label] = short_exc(error)
    return fns, errors


def run_workload(wl: Workload, libraries: list, repeats: int, budget_s: float,
                 min_repeats: int = 3, small: bool = False, verbose: bool = True) -> Result:
    """Check agreement, then time the sides interleaved in this process.

    ``libraries``: [(label, np, lib)]. With ``repeats=0`` only the check runs.
    """
    res = Result(wl.name)
    if verbose:
        print(f"--- {wl.name}: {wl.desc}")
    data = wl.data(small)
    fns, res.errors = build_sides(wl, libraries, data)
    outputs, warm = {}, res.first_call
    for label in list(fns):
        try:
            warm[label], outputs[label] = timed(fns[label])
        except Exception as error:  # noqa: BLE001
            res.errors[label] = short_exc(error)
            del fns[label]
    for label, message in res.errors.items():
        if verbose:
            print(f"    {label:9s} ERROR: {message}")
    if AUTOGRAD in outputs and len(outputs) > 1:
        res.agree, res.maxdiff, res.disagreement = check_agreement(outputs)
        if not res.agree:
            if verbose:
                print(f"    results DIFFER, not timed: {res.disagreement}")
            return res
    if repeats <= 0:
        if verbose:
            print("    " + describe(wl, res))
        return res

    per_round = sum(warm.values())
    n = max(min_repeats, min(repeats, int(budget_s / per_round))) if per_round > 0 else repeats
    res.n = n
    samples = {label: [] for label in fns}
    faults = {label: [0] for label in fns}
    for _ in range(n):
        for label in list(fns):
            try:
                samples[label].append(timed(fns[label], faults=faults[label])[0])
            except Exception as error:  # noqa: BLE001
                res.errors[label] = short_exc(error)
                del fns[label]
    res.samples = {label: s for label, s in samples.items() if s and label not in res.errors}
    res.times = {label: statistics.median(s) for label, s in res.samples.items()}
    res.faults = {label: faults[label][0] / len(s) for label, s in res.samples.items()}

    if verbose:
        print("    " + describe(wl, res))
        sys.stdout.flush()
    return res


# ---------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------

def fmt_time(t):
    if t is None:
        return "-"
    if t >= 1.0:
        return f"{t:.3f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.2f} ms"
    return f"{t * 1e6:.1f} µs"


def fmt_ratio(r):
    if r is None:
        return "-"
    return f"{r:.2f}" if r < 10 else f"{r:.0f}x"


def describe(wl: Workload, res: Result) -> str:
    parts = [f"n={res.n}"] + [f"{side} {fmt_time(t)}" for side, t in res.times.items()]
    for ref in (AUTOGRAD, HAND):
        r = res.ratio(TEACHGRAD, ref)
        if r is not None:
            parts.append(f"teachgrad/{ref} {r:.3f}")
    if wl.n_ops and TEACHGRAD in res.times:
        parts.append(f"teachgrad {res.times[TEACHGRAD] / wl.n_ops * 1e6:.2f} µs/{wl.unit}")
    if res.faults and any(res.faults.values()):
        parts.append("page faults/call " + ", ".join(f"{side} {f:.0f}"
                                                     for side, f in res.faults.items()))
    if res.agree is not None:
        diffs = ", ".join(f"{s} {d:.1e}" for s, d in res.maxdiff.items())
        parts.append(f"agree ({diffs} rel.)")
    return "  ".join(parts)


def geometric_mean(values):
    values = [v for v in values if v]
    return float(onp.exp(onp.mean(onp.log(values)))) if values else None


def target_verdict(wl: Workload, res: Result):
    """(text, met) for the workload's issue-15 target, or None."""
    if wl.target is None:
        return None
    reference, limit = wl.target
    r = res.ratio(TEACHGRAD, reference)
    text = f"<= {limit:g} of {'numpy by hand' if reference == HAND else reference}"
    return text, (r is not None and r <= limit)


def machine() -> dict:
    """Where and with what the benchmark ran: for the README and the printout."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        if names:
            cpu = names[0]
    except OSError:
        pass
    info = {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": onp.__version__, "machine": platform.machine(), "system": platform.system()}
    try:
        from importlib.metadata import version
        info["autograd"] = version("autograd")
    except Exception:  # noqa: BLE001
        info["autograd"] = "?"
    try:
        info["blas"] = onp.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    except Exception:  # noqa: BLE001
        info["blas"] = "?"
    info["env"] = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS",
                                               "OMP_NUM_THREADS", "MKL_NUM_THREADS")
                   if k in os.environ}
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT,
                                        capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:  # noqa: BLE001
        info["commit"] = "?"
    try:
        info["load"] = os.getloadavg()
    except (OSError, AttributeError):
        info["load"] = None
    return info


def print_machine(info: dict, teachgrad_status: str):
    print("=" * 78)
    print(f"cpu         {info['cpu']}, {info['cores']} cores ({info['system']} {info['machine']})")
    print(f"python      {info['python']}   numpy {info['numpy']} ({info['blas']})   "
          f"autograd {info['autograd']}")
    print(f"teachgrad   {teachgrad_status} (repository at commit {info['commit']})")
    print(f"env         {info['env'] or '(no BLAS/OpenMP thread variables set)'}")
    if info["load"]:
        busy = "  <- others are busy; absolute times are noisy, ratios hold" if info["load"][0] > 0.5 else ""
        print(f"load avg    {info['load'][0]:.2f} {info['load'][1]:.2f} {info['load'][2]:.2f}{busy}")
    print("=" * 78)


TEACHGRAD_REV: str | None = None     # the commit use_teachgrad_at imported, for workers


def use_teachgrad_at(rev: str) -> str:
    """Import teachgrad as committed at ``rev`` (not the working tree); returns the commit.

    The package is exported with ``git archive`` into a folder under the
    system's temporary directory and put first on ``sys.path``: a benchmark
    then measures a committed state while others edit the working tree, and
    two commits can be compared by running the script once with each.
    Call it before anything imports teachgrad.
    """
    import tempfile
    if "teachgrad" in sys.modules:
        raise RuntimeError("use_teachgrad_at must run before teachgrad is imported")
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=REPO_ROOT,
                         capture_output=True, text=True, check=True).stdout.strip()
    folder = os.path.join(tempfile.gettempdir(), "teachgrad-bench", sha)
    if not os.path.exists(os.path.join(folder, "teachgrad", "__init__.py")):
        os.makedirs(folder, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha, "teachgrad"], cwd=REPO_ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    sys.path.insert(0, folder)
    global TEACHGRAD_REV
    TEACHGRAD_REV = sha
    return sha[:7]


def libraries(fake_teachgrad=False):
    """[(label, numpy module, library)] for autograd and teachgrad, and teachgrad's status."""
    import autograd
    import autograd.numpy as anp
    sides = [(AUTOGRAD, anp, autograd)]
    if fake_teachgrad:            # exercises the harness: autograd timed as both sides
        sides.append((TEACHGRAD, anp, autograd))
        return sides, "FAKE: autograd on both sides"
    try:
        import teachgrad
        import teachgrad.numpy as tnp
    except Exception as error:  # noqa: BLE001
        return sides, f"NOT AVAILABLE ({short_exc(error)})"
    sides.append((TEACHGRAD, tnp, teachgrad))
    return sides, os.path.dirname(os.path.abspath(teachgrad.__file__))


# ---------------------------------------------------------------------------
# One process per side
# ---------------------------------------------------------------------------

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
RESULT_PREFIX = "RESULT-JSON: "


def run_family(workloads, module: str, mode: str, repeats, budget_s: float, isolate: bool = True,
               blas_threads: int | None = None, fake_teachgrad: bool = False) -> list:
    """Run ``workloads`` (defined in benchmarks/``module``.py); see the module docstring."""
    min_repeats = 1 if mode == "quick" else 3
    if not isolate:
        libs, _ = libraries(fake_teachgrad)
        return [run_workload(wl, libs, repeats or (wl.quick_repeats if mode == "quick"
                                                   else wl.repeats), budget_s, min_repeats)
                for wl in workloads]
    env = dict(os.environ)
    if blas_threads is not None:
        env.update({name: str(blas_threads) for name in BLAS_THREAD_VARIABLES})
    extra = (["--rev", TEACHGRAD_REV] if TEACHGRAD_REV else []) + \
        (["--fake-teachgrad"] if fake_teachgrad else [])
    results = []
    for wl in workloads:
        print(f"--- {wl.name}: {wl.desc}")
        res = _in_worker(["--check", module, wl.name] + extra, env, Result(wl.name))
        if res.agree is False or res.errors or len(res.first_call) < 2:
            why = res.disagreement or "; ".join(f"{k}: {v}" for k, v in res.errors.items())
            print(f"    not timed: {why or 'nothing to compare'}")
            results.append(res)
            continue
        sides = list(res.first_call)
        n = repeats or (wl.quick_repeats if mode == "quick" else wl.repeats)
        per_round = sum(res.first_call.values())
        n = max(min_repeats, min(n, int(budget_s / max(per_round, 1e-9))))
        # One BLAS thread: the process's CPU time is the call's own time, and time that
        # others' processes take from the shared CPU is not counted against either side.
        res.clock = "cpu" if blas_threads == 1 else "wall"
        samples, faults = _time_in_servers(module, wl.name, sides, n,
                                           extra + ["--clock", res.clock], env, res.errors)
        res.samples = {side: s for side, s in samples.items() if s and side not in res.errors}
        res.times = {side: statistics.median(s) for side, s in res.samples.items()}
        res.faults = {side: faults[side] / len(s) for side, s in res.samples.items()}
        res.n = min((len(s) for s in res.samples.values()), default=0)
        print("    " + describe(wl, res))
        for side, message in res.errors.items():
            print(f"    {side} ERROR: {message}")
        sys.stdout.flush()
        results.append(res)
    return results


def _time_in_servers(module, name, sides, n, extra, env, errors):
    """Time ``n`` calls of each side, each side in a process of its own, call by call in turn.

    One server process per side builds its callable and settles (untimed
    calls), then waits; the parent asks each in turn, in a rotating order, for
    one timed call. Only one process works at a time, so they do not compete
    for the CPU, and each keeps its own heap.
    """
    import json
    import tempfile
    servers, logs = {}, {}
    # All of a workload's timing processes run on one CPU, the same for each: woken on
    # whichever core the scheduler picks, one side's calls could share a core with someone
    # else's busy process while another side's had a core to itself.
    cpu = _timing_cpu()
    samples = {side: [] for side in sides}
    faults = {side: 0 for side in sides}
    try:
        for side in sides:
            logs[side] = tempfile.TemporaryFile(mode="w+")
            servers[side] = subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), "--serve", module, name, side]
                + extra + (["--cpu", str(cpu)] if cpu is not None else []),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=logs[side], text=True,
                env=env)
            if _reply(servers[side]) != "ready":
                errors[side] = _failure(servers[side], logs[side])
        live = [side for side in sides if side not in errors]
        for i in range(n):
            k = i % len(live) if live else 0
            for side in live[k:] + live[:k]:
                if side in errors:
                    continue
                server = servers[side]
                server.stdin.write("call\n")
                server.stdin.flush()
                reply = _reply(server)
                if reply is None or reply == "ready":
                    errors[side] = _failure(server, logs[side])
                    continue
                got = json.loads(reply)
                samples[side].append(got["seconds"])
                faults[side] += got["faults"]
    finally:
        for server in servers.values():
            try:
                server.stdin.close()
                server.wait(timeout=30)
            except Exception:  # noqa: BLE001
                server.kill()
        for log in logs.values():
            log.close()
    return samples, faults


def _timing_cpu() -> int | None:
    """The CPU the timing processes are pinned to (the highest this process may use)."""
    try:
        return max(os.sched_getaffinity(0))
    except (AttributeError, OSError, ValueError):     # not Linux
        return None


def _reply(server):
    """The next result line of a server: "ready", a JSON text, or None if it died."""
    while True:
        line = server.stdout.readline()
        if not line:
            return None
        if line.startswith(RESULT_PREFIX):
            return line[len(RESULT_PREFIX):].strip()


def _failure(server, log) -> str:
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.seek(0)
    tail = (log.read().strip().splitlines() or ["(no message)"])[-1]
    return f"the timing process failed: {tail}"


def _in_worker(arguments: list, env: dict, result: Result | None):
    """Run this file as a worker; its Result (``result`` given) or its dict, or an error text."""
    import json
    command = [sys.executable, os.path.abspath(__file__)] + arguments
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    payload = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not payload:
        tail = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        message = f"the worker process failed: {tail}"
        if result is None:
            return message
        result.errors["harness"] = message
        return result
    data = json.loads(payload[-1][len(RESULT_PREFIX):])
    return Result(**data) if result is not None else data


def add_run_arguments(ap) -> None:
    """The options every benchmark script takes for how it runs."""
    ap.add_argument("--rev", metavar="REV",
                    help="time teachgrad as committed at this git revision, not the working tree")
    ap.add_argument("--blas-threads", type=int, default=1, metavar="N",
                    help="BLAS threads in the timing processes (default 1: on a shared 2-core "
                         "machine multi-threaded matrix products swing tenfold with others' "
                         "load; 0 leaves the machine's setting)")
    ap.add_argument("--in-process", action="store_true",
                    help="time all sides interleaved in this process (quicker; times then "
                         "depend on the heap the other sides leave, and --blas-threads is "
                         "ignored)")


def run_script(args, workloads, run, summary, fake_teachgrad: bool = False) -> list:
    """What a timing script does once its options are parsed (``add_run_arguments`` and
    ``--quick``, ``--only``, ``--repeats``): teachgrad at ``--rev`` if asked, the machine,
    ``run(selected, mode, repeats, isolate, blas_threads)`` on the workloads selected, then
    ``summary(selected, results)`` and the wall time. Returns the results."""
    if args.rev:
        use_teachgrad_at(args.rev)
    print_machine(machine(), libraries(fake_teachgrad)[1])
    selected = [w for w in workloads if not args.only or w.name in args.only]
    start = time.perf_counter()
    results = run(selected, "quick" if args.quick else "full", args.repeats,
                  not args.in_process, blas_threads_of(args))
    summary(selected, results)
    print(f"\ntotal wall time {time.perf_counter() - start:.1f} s")
    return results


def blas_threads_of(args) -> int | None:
    return args.blas_threads or None


def _worker(argv) -> int:
    """``--check MODULE WORKLOAD`` (print the agreement as JSON) or ``--serve MODULE WORKLOAD SIDE``."""
    import dataclasses
    import importlib
    import json
    args = list(argv)
    fake = "--fake-teachgrad" in args
    if fake:
        args.remove("--fake-teachgrad")
    if "--rev" in args:
        i = args.index("--rev")
        use_teachgrad_at(args[i + 1])
        del args[i:i + 2]
    if "--cpu" in args:
        i = args.index("--cpu")
        os.sched_setaffinity(0, {int(args[i + 1])})
        del args[i:i + 2]
    clock = time.perf_counter
    if "--clock" in args:
        i = args.index("--clock")
        clock = time.process_time if args[i + 1] == "cpu" else time.perf_counter
        del args[i:i + 2]
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    what, module, name = args[0], args[1], args[2]
    family = importlib.import_module(module)
    wl = next(w for w in family.WORKLOADS if w.name == name)
    libs, _ = libraries(fake)
    if what == "--check":
        res = run_workload(wl, libs, 0, 0.0, verbose=False)
        print(RESULT_PREFIX + json.dumps(dataclasses.asdict(res)))
        return 0
    side = args[3]                          # --serve: time one call per request
    data = wl.data(False)
    if side == HAND:
        fn = wl.hand(data)
    else:
        np_mod, lib = next((np_mod, lib) for label, np_mod, lib in libs if label == side)
        fn = wl.make(np_mod, lib, data)
    first, _ = timed(fn)
    if first < 0.3:              # a second untimed call: the heap settles into this side's state
        timed(fn)
    print(RESULT_PREFIX + "ready", flush=True)
    for request in sys.stdin:
        if request.strip() != "call":
            break
        faults = [0]
        seconds, _ = timed(fn, faults, clock)
        print(RESULT_PREFIX + json.dumps({"seconds": seconds, "faults": faults[0]}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_worker(sys.argv[1:]))
