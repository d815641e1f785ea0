"""Find import cycles inside the teachgrad package.

Run:  python scripts/import_cycles.py        (exit status 1 when a cycle exists)

Every import counts, also one written inside a function to dodge a circular import at
start-up: such an import hides a cycle, it does not remove it. `from pkg import name`
points at the submodule `pkg.name` when there is one, else at the package `pkg` (whose
__init__ defines or re-exports `name`).
"""
from __future__ import annotations

import ast
import pathlib
import sys

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "teachgrad"


def module_files(package: pathlib.Path = PACKAGE) -> dict[str, pathlib.Path]:
    """Return {dotted module name: file} for every module of the package."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: pathlib.Path, modules: dict) -> set[str]:
    """Return the modules of the package that module `name` imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in modules else source)
    return {t for t in targets if t in modules and t != name}


def cycles(modules: dict[str, pathlib.Path] | None = None) -> list[list[str]]:
    """Return the groups of modules that import each other in a circle (Tarjan's algorithm).

    >>> cycles() == [] or isinstance(cycles()[0], list)
    True
    """
    modules = module_files() if modules is None else modules
    edges = {name: imports_of(name, path, modules) for name, path in modules.items()}
    order: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(name: str) -> None:
        order[name] = lowest[name] = len(order)
        stack.append(name)
        for target in sorted(edges[name]):
            if target not in order:
                visit(target)
                lowest[name] = min(lowest[name], lowest[target])
            elif target in stack:
                lowest[name] = min(lowest[name], order[target])
        if lowest[name] == order[name]:
            group = []
            while not group or group[-1] != name:
                group.append(stack.pop())
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(modules)))
    for name in sorted(edges):
        if name not in order:
            visit(name)
    return groups


def main() -> int:
    modules = module_files()
    found = cycles(modules)
    for group in found:
        print(f"cycle of {len(group)} modules:")
        for name in group:
            inside = sorted(imports_of(name, modules[name], modules) & set(group))
            print(f"  {name} -> {', '.join(inside)}")
    if not found:
        print(f"no import cycle among the {len(modules)} modules of teachgrad/")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
