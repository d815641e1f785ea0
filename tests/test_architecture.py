"""The layout's promises, checked on the source: no import cycle, and arrows that point one
way (the engine knows nothing of numpy, drawing or checking; only drawing needs graphviz).

Anyone can run the same check by hand: python scripts/import_cycles.py
"""
import importlib.util
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("import_cycles", ROOT / "scripts" / "import_cycles.py")
import_cycles = importlib.util.module_from_spec(spec)
spec.loader.exec_module(import_cycles)

MODULES = import_cycles.module_files()
ENGINE = ["teachgrad.graph", "teachgrad.refusals", "teachgrad.tracing", "teachgrad.backprop",
          "teachgrad.errors", "teachgrad.containers", "teachgrad.options", "teachgrad.extend",
          "teachgrad.box", "teachgrad.vspaces"]
ABOVE_ENGINE = ("teachgrad.numpy", "teachgrad.scipy", "teachgrad.viz", "teachgrad.checking",
                "teachgrad.compat", "teachgrad.misc", "teachgrad.record", "teachgrad.describe",
                "teachgrad.differential_operators", "teachgrad.forward", "teachgrad.reverse",
                "teachgrad.arguments", "teachgrad.outputs", "teachgrad.costs")


def imports(name):
    return import_cycles.imports_of(name, MODULES[name], MODULES)


def is_under(name, prefixes):
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_no_import_cycle_inside_teachgrad():
    assert import_cycles.cycles(MODULES) == []


def test_the_cycle_finder_sees_a_cycle(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def late():\n    from .a import thing\n")
    (package / "c.py").write_text("from pkg import b\n")
    found = import_cycles.cycles(import_cycles.module_files(package))
    assert found == [["pkg.a", "pkg.b"]]


@pytest.mark.parametrize("name", [m for m in ENGINE if m in MODULES])
def test_the_engine_imports_only_the_engine(name):
    assert {m for m in imports(name) if is_under(m, ABOVE_ENGINE)} == set()


def test_numpy_and_scipy_do_not_import_drawing_or_checking():
    wrong = {(name, m) for name in MODULES if is_under(name, ["teachgrad.numpy", "teachgrad.scipy"])
             for m in imports(name) if is_under(m, ["teachgrad.viz", "teachgrad.checking"])}
    assert wrong == set()


def test_only_drawing_imports_graphviz():
    users = {name for name, path in MODULES.items()
             if re.search(r"^\s*(import graphviz|from graphviz\b)", path.read_text(), re.M)}
    assert users and all(is_under(name, ["teachgrad.viz"]) for name in users), users


def test_the_checker_does_not_import_the_drawing():
    """check_grad reads the one description of each operation, not the drawing code."""
    seen, todo = set(), [m for m in MODULES if is_under(m, ["teachgrad.checking"])]
    while todo:
        name = todo.pop()
        if name == "teachgrad":
            continue
        if name not in seen:
            seen.add(name)
            todo.extend(imports(name))
            package = name.rpartition(".")[0]
            # importing a submodule runs its package's __init__; the top package's re-exports
            # the whole public API, so it is left out
            if package in MODULES and package != "teachgrad":
                todo.append(package)
    drawing = {"teachgrad.viz.render", "teachgrad.viz.picture"}
    assert seen & drawing == set()


# autograd's old module paths that re-export pieces of compat/ (the README names them)
OLD_PATHS_INTO_COMPAT = {("teachgrad.misc.tracers", "teachgrad.compat.graph_nodes"),
                         ("teachgrad.numpy.numpy_vjps", "teachgrad.compat.numpy_helpers"),
                         ("teachgrad.scipy.misc", "teachgrad.compat.notes")}


def readme_layout():
    """{module: layer number} from the README's "How it is built" tree (a `#` line starts a layer)."""
    text = (ROOT / "README.md").read_text()
    block = text[text.index("## How it is built"):]
    block = block[block.index("```") + 3:]
    block = block[:block.index("```")]
    layer, folders, found = 0, [], {}
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip())
        entry = line.strip().split("  ")[0]
        if line.strip().startswith("#"):
            layer += 1
        elif entry:
            while folders and folders[-1][0] >= indent:
                folders.pop()
            for word in entry.split():
                if word.endswith("/"):
                    folders.append((indent, word[:-1]))
                elif word.endswith(".py"):
                    parts = [f for _, f in folders] + [word[:-3]]
                    if parts[-1] == "__init__":
                        parts.pop()
                    found[".".join(parts)] = layer
    return found


def test_the_readme_lists_every_module_once():
    listed = readme_layout()
    assert sorted(set(MODULES) - set(listed)) == [], "modules missing from the README's layout"
    assert sorted(set(listed) - set(MODULES)) == [], "the README lists modules that do not exist"


def test_each_module_imports_only_its_layer_and_the_layers_above():
    layer = readme_layout()
    wrong = [f"{name} (layer {layer[name]}) imports {target} (layer {layer[target]})"
             for name in MODULES if name != "teachgrad"
             for target in sorted(imports(name))
             if layer[target] > layer[name] and (name, target) not in OLD_PATHS_INTO_COMPAT]
    assert wrong == []
