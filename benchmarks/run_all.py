#!/usr/bin/env python
"""Both benchmark families in one run, and the README's speed table made from it.

    .venv/bin/python benchmarks/run_all.py                  # print the tables (4 to 8 minutes)
    .venv/bin/python benchmarks/run_all.py --write-readme   # ... and rewrite the README's table
    .venv/bin/python benchmarks/run_all.py --rev HEAD       # teachgrad as committed, not the working tree
    .venv/bin/python benchmarks/run_all.py --quick          # smoke test, no README

The README's table lives between the markers ``<!-- speed-table:begin -->``
and ``<!-- speed-table:end -->``; nothing else in README.md is touched. A run
in which any workload's libraries disagree or fail does not write the README.
"""
from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
import textwrap
import time

import harness
from harness import AUTOGRAD, HAND, TEACHGRAD

README = os.path.join(harness.REPO_ROOT, "README.md")
BEGIN, END = "<!-- speed-table:begin -->", "<!-- speed-table:end -->"
COMMAND = ".venv/bin/python benchmarks/run_all.py --write-readme"


def _row(cells):
    return "| " + " | ".join(cells) + " |"


def readme_table(synthetic, examples, info, teachgrad_commit, when, blas_threads):
    """The markdown between the markers."""
    t, r = harness.fmt_time, harness.fmt_ratio
    env = ", ".join(f"`{k}={v}`" for k, v in info["env"].items()
                    if not (blas_threads and k in harness.BLAS_THREAD_VARIABLES))
    threads = (f"BLAS on {blas_threads} thread{'s' if blas_threads > 1 else ''}" if blas_threads
               else "BLAS threads as the machine sets them")
    load = f" (load average {info['load'][0]:.1f} at the start)" if info["load"] else ""
    lines = [
        f"Measured {when} on {info['cpu']} with {info['cores']} cores, {info['system']} "
        f"{info['machine']}, Python {info['python']}, numpy {info['numpy']} ({info['blas']}, "
        f"{threads}" + (f", {env}" if env else "") + f"), autograd {info['autograd']} and "
        f"teachgrad at commit {teachgrad_commit}, by `{COMMAND}`. The machine is "
        f"shared{load}, so absolute times are noisy and the ratios are the figures to read. "
        "Each number is the median time of one call"
        + (", in CPU time of the timing process (one thread: time that other processes "
           "take from the shared CPU is not counted)" if blas_threads == 1 else "")
        + "; each library runs in a process of its "
        "own, as a program using only it would, and the processes take turns call by call, "
        "after the libraries' results were checked to agree (`benchmarks/README.md` says how). "
        "A ratio below 1 means teachgrad is faster. The times include page faults (first "
        "touches of fresh memory, microseconds each on this virtual machine), which the "
        "libraries take in different numbers and which depend on what a program keeps between "
        "calls: `benchmarks/PROFILE.md` says how much they weigh.",
        "",
        _row(["workload", "autograd", "teachgrad", "numpy by hand",
              "teachgrad / autograd", "teachgrad / numpy by hand"]),
        _row(["---"] + ["---:"] * 5),
    ]
    for wl, res in synthetic:
        lines.append(_row([wl.label, t(res.times.get(AUTOGRAD)), t(res.times.get(TEACHGRAD)),
                           t(res.times.get(HAND)), r(res.ratio(TEACHGRAD, AUTOGRAD)),
                           r(res.ratio(TEACHGRAD, HAND))]))
    g = harness.geometric_mean([res.ratio(TEACHGRAD, AUTOGRAD) for _, res in synthetic])
    lines.append(_row(["geometric mean", "", "", "", r(g), ""]))
    if examples:
        lines += [
            "",
            "The gradient functions of autograd's own examples, run unchanged on teachgrad "
            "(only the imports swapped), one gradient call each:",
            "",
            _row(["autograd example", "autograd", "teachgrad", "teachgrad / autograd"]),
            _row(["---", "---:", "---:", "---:"]),
        ]
        for wl, res in examples:
            lines.append(_row([wl.label, t(res.times.get(AUTOGRAD)), t(res.times.get(TEACHGRAD)),
                               r(res.ratio(TEACHGRAD, AUTOGRAD))]))
    return "\n".join(_wrapped(line) for line in lines)


def _wrapped(line: str) -> str:
    """A prose line wrapped at 78 columns, as the rest of the README; table rows as they are."""
    if line.startswith("|"):
        return line
    return textwrap.fill(line, 78, break_long_words=False, break_on_hyphens=False)


def write_readme(table):
    with open(README, encoding="utf-8") as f:
        text = f.read()
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if len(pattern.findall(text)) != 1:
        raise SystemExit(f"README.md must hold exactly one {BEGIN} ... {END} pair")
    text = pattern.sub(lambda _: f"{BEGIN}\n\n{table}\n\n{END}", text)
    with open(README, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="few repeats; never writes the README")
    ap.add_argument("--write-readme", action="store_true", help="rewrite the README's speed table")
    harness.add_run_arguments(ap)
    args = ap.parse_args(argv)
    if args.quick and args.write_readme:
        ap.error("--write-readme needs a full run (drop --quick)")
    commit = harness.use_teachgrad_at(args.rev) if args.rev else None

    import autograd_examples
    import compare_autograd

    sides = harness.libraries()
    if len(sides[0]) < 2:
        raise SystemExit(f"teachgrad cannot be imported: {sides[1]}")
    info = harness.machine()
    harness.print_machine(info, sides[1])
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mode = "quick" if args.quick else "full"
    start = time.perf_counter()
    isolate, threads = not args.in_process, harness.blas_threads_of(args)
    synthetic = compare_autograd.run(compare_autograd.WORKLOADS, mode, None, isolate, threads)
    examples = autograd_examples.run(autograd_examples.WORKLOADS, mode, None, isolate, threads)
    compare_autograd.print_summary(compare_autograd.WORKLOADS, synthetic, "Synthetic workloads")
    autograd_examples.print_summary(autograd_examples.WORKLOADS, examples)
    print(f"\ntotal wall time {time.perf_counter() - start:.1f} s")

    pairs_s = list(zip(compare_autograd.WORKLOADS, synthetic))
    pairs_e = list(zip(autograd_examples.WORKLOADS, examples))
    table = readme_table(pairs_s, pairs_e, info, commit or f"{info['commit']} (+ working tree)",
                         when, None if args.in_process else threads)
    if not args.write_readme:
        print("\n" + table)
        return 0
    broken = [res.name for _, res in pairs_s + pairs_e
              if res.agree is not True or res.errors or len(res.times) < 2]
    if broken:
        raise SystemExit(f"README not written: {', '.join(broken)} disagreed, failed or "
                         "was not timed")
    write_readme(table)
    print(f"\nwrote the speed table into {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
