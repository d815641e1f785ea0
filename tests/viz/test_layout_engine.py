"""Which program lays out the pictures: graphviz-pure from pip, Graphviz's dot, or the browser.

Every test that needs "a machine without dot" builds one: a PATH with nothing on it, in this
process (monkeypatch) or in a fresh Python (subprocess), the way a student's machine looks after
`pip install teachgrad` and nothing else.
"""
import os
import pathlib
import subprocess
import sys
import tomllib

import pytest
from packaging.requirements import Requirement

import teachgrad.numpy as np
from teachgrad import show_graph, step_through
from teachgrad.viz import GraphvizMissingError, layout
from teachgrad.viz.layout import DOT, PURE, LayoutError

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
HAVE_DOT = layout.find_dot() is not None


def f(x, y):
    z = x * y
    return np.sin(z) + x ** 2


@pytest.fixture
def no_dot(tmp_path, monkeypatch):
    """This process sees no program on PATH at all (graphviz-pure is found beside Python)."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(layout.ENV, raising=False)
    assert layout.find_dot() is None
    return tmp_path


@pytest.fixture
def nothing(no_dot, monkeypatch):
    """Neither graphviz-pure nor dot: a platform without a graphviz-pure build."""
    monkeypatch.setattr(layout, "find_pure", lambda: None)
    return no_dot


def test_graphviz_pure_is_found_beside_python_without_path(no_dot):
    name, program = layout.engine("svg")
    assert name == PURE and pathlib.Path(program).parent == pathlib.Path(sys.executable).parent


def test_without_dot_svg_png_and_gif_are_drawn(no_dot):
    picture = show_graph(f, 1.0, 2.0, display=False)
    svg = picture.save(no_dot / "f.svg").read_text(encoding="utf-8")
    assert "graphviz-pure" in svg and "∂f/∂x = 1.168" in svg
    assert picture.save(no_dot / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    gif = step_through(f, 1.0, 2.0).save_gif(no_dot / "steps.gif")
    assert gif.read_bytes()[:6] == b"GIF89a"


def test_pdf_without_dot_says_plainly_that_it_needs_dot(no_dot):
    picture = show_graph(f, 1.0, 2.0, display=False)
    with pytest.raises(GraphvizMissingError) as e:
        picture.save(no_dot / "f.pdf")
    message = str(e.value)
    assert message.startswith("Saving as .pdf needs Graphviz's `dot` program")
    assert "Why: graphviz-pure" in message and "save as .svg or .png" in message
    assert layout.install_hint() in message


def test_the_same_picture_with_and_without_dot(no_dot, monkeypatch):
    picture = show_graph(f, 1.0, 2.0, display=False)
    without = layout.render(picture.source, "svg")
    monkeypatch.setenv("PATH", os.defpath)
    assert layout.render(picture.source, "svg") == without


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz's dot is not installed (scripts/test.sh installs it)")
def test_dot_when_asked_and_its_picture_has_the_same_ids_and_text(monkeypatch):
    """The stepper styles nodes and edges by id and finds gradient rows by colour: both programs
    must write the same ones."""
    import re
    source = show_graph(f, 1.0, 2.0, display=False).source
    pure_svg = layout.render(source, "svg").decode()
    monkeypatch.setenv(layout.ENV, "dot")
    assert layout.engine("svg")[0] == DOT
    dot_svg = layout.render(source, "svg").decode()
    assert "graphviz-pure" not in dot_svg and "graphviz-pure" in pure_svg
    for pattern in (r'<g id="([^"]+)"', r'fill="(#b35806)"', r">([^<>]+)</text>"):
        assert sorted(re.findall(pattern, pure_svg)) == sorted(re.findall(pattern, dot_svg)), pattern


def test_command_line_draws_png_without_dot_and_refuses_pdf_in_one_line(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop(layout.ENV, None)
    command = [sys.executable, "-m", "teachgrad", "draw", "np.tanh(w * x + b)", "x=0.5", "w=2.0", "b=-1"]
    done = subprocess.run(command + ["-o", str(tmp_path / "n.png")], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "n.png").read_bytes()[:4] == b"\x89PNG"
    done = subprocess.run(command + ["-o", str(tmp_path / "n.pdf")], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 2 and not (tmp_path / "n.pdf").exists()
    assert done.stderr.count("\n") == 1 and "needs Graphviz's `dot` program" in done.stderr
    assert "Traceback" not in done.stderr and ".source" not in done.stderr


def test_asking_for_dot_without_dot(no_dot, monkeypatch):
    monkeypatch.setenv(layout.ENV, "dot")
    with pytest.raises(GraphvizMissingError) as e:
        show_graph(f, 1.0, 2.0, display=False).svg()
    assert "TEACHGRAD_LAYOUT=dot" in str(e.value) and layout.install_hint() in str(e.value)
    assert "Why:" in str(e.value) and "unset TEACHGRAD_LAYOUT" in str(e.value)


def test_an_unknown_layout_choice_is_refused(monkeypatch):
    monkeypatch.setenv(layout.ENV, "neato")
    with pytest.raises(ValueError, match="'graphviz-pure' or 'dot'"):
        layout.engine("svg")


def test_nothing_to_lay_out_with(nothing, monkeypatch):
    picture = show_graph(f, 1.0, 2.0, display=False)
    with pytest.raises(GraphvizMissingError) as e:
        picture.save(nothing / "f.png")
    if layout.pure_has_a_build():                 # then pip is the whole fix, no system package
        assert "pip install graphviz-pure" in str(e.value)
        assert layout.install_hint() not in str(e.value)
    monkeypatch.setattr(layout.platform, "machine", lambda: "ppc64le")
    monkeypatch.setattr(layout.platform, "system", lambda: "Linux")
    message = layout.missing_message("svg")
    assert "no build for Linux on ppc64le" in message and "pip install graphviz-pure" not in message
    assert f"install Graphviz with: {layout.install_hint()}" in message
    assert picture.save(nothing / "f.dot").read_text() == picture.source     # the text still works


@pytest.mark.parametrize("system, release, command", [
    ("Linux", {"ID": "debian"}, "sudo apt-get install graphviz"),
    ("Linux", {"ID": "linuxmint", "ID_LIKE": "ubuntu debian"}, "sudo apt-get install graphviz"),
    ("Linux", {"ID": "fedora"}, "sudo dnf install graphviz"),
    ("Linux", {"ID": "arch"}, "sudo pacman -S graphviz"),
    ("Linux", {"ID": "gentoo"}, layout.OTHER_LINUX),
    ("Darwin", {}, "brew install graphviz"),
    ("Windows", {}, layout.WINDOWS),
])
def test_the_install_hint_names_this_platforms_command(monkeypatch, system, release, command):
    monkeypatch.delenv("CONDA_PREFIX", raising=False)
    monkeypatch.setattr(layout.platform, "system", lambda: system)
    monkeypatch.setattr(layout.platform, "freedesktop_os_release", lambda: release)
    assert layout.install_hint() == command
    monkeypatch.setenv("CONDA_PREFIX", "/opt/conda")
    if system == "Linux":
        assert layout.install_hint() == layout.CONDA


def test_a_failing_layout_is_reported_with_what_the_program_said():
    with pytest.raises(LayoutError, match="syntax error"):
        layout.render("digraph { a -> }", "svg")


def test_the_dependency_is_declared_exactly_where_graphviz_pure_has_a_build():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pure = next(Requirement(d) for d in dependencies if d.startswith("graphviz-pure"))
    platforms = {"Linux": "linux", "Darwin": "darwin", "Windows": "win32"}
    for system, machine in [(s, m) for s in platforms for m in ("x86_64", "aarch64", "arm64",
                                                                 "AMD64", "ARM64", "ppc64le", "i686")]:
        declared = pure.marker.evaluate({"sys_platform": platforms[system], "platform_machine": machine})
        assert declared == ((system, machine) in layout.PURE_PLATFORMS), (system, machine)
