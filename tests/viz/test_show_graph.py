"""show_graph: what the picture says, checked by reading the DOT and rendering with dot."""
import os
import re
import shutil
import subprocess
import sys

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad, name, show_graph
from teachgrad.viz import GraphvizMissingError


def f(x, y):
    z = x * y
    h = np.sin(z)
    return h + x ** 2


def labels(picture):
    """Node id -> the plain text of its label (tags stripped)."""
    result = {}
    for node_id, label in re.findall(r"^\s*(\w+) \[label=<(<TABLE.*?</TABLE>)>", picture.source, re.M):
        result[node_id] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", label))
    return result


def test_nodes_show_names_operations_values_and_gradients():
    pic = show_graph(f, 1.0, 2.0)
    text = labels(pic)
    assert "x" in text["n0"] and "input" in text["n0"] and "value 1" in text["n0"]
    assert "z = x * y" in text["n2"]
    assert "h = sin(z)" in text["n3"]
    assert "x ** 2" in text["n4"]
    assert "f = h + v4" in text["n5"]
    gx = grad(f)(1.0, 2.0)
    assert f"∂f/∂x = {gx:.4g}" in text["n0"]
    assert "∂f/∂z = -0.4161" in text["n2"]
    assert "∂f/∂f = 1" in text["n5"]


def edge_labels(picture) -> dict[str, str]:
    """'n0 -> n2' -> the plain text of its label (lines joined by ' | ', tags stripped)."""
    result = {}
    for head, tail, label in re.findall(r"^\s*(\w+) -> (\w+) \[label=<(.*?)>(?: |\])", picture.source, re.M):
        result[f"{head} -> {tail}"] = re.sub(r"<[^>]+>", "", label.replace("<BR/>", " | "))
    return result


def test_edges_follow_the_forward_direction_with_local_derivatives():
    edges = edge_labels(show_graph(f, 1.0, 2.0))
    assert edges["n0 -> n2"] == "local ∂z/∂x = y = 2"
    assert edges["n1 -> n2"] == "local ∂z/∂y = x = 1"
    assert "local ∂h/∂z = cos(z) = -0.4161" in edges.values()
    assert "local ∂v4/∂x = 2·x = 2" in edges.values()


def test_order_of_arguments_is_shown_where_it_matters():
    edges = edge_labels(show_graph(lambda a, b: a - b, 3.0, 1.0))
    assert edges["n0 -> n2"].startswith("1st arg | ")
    assert edges["n1 -> n2"].startswith("2nd arg | ")
    src = show_graph(lambda a, b: a + b, 3.0, 1.0).source
    assert "1st arg" not in src


def test_output_inputs_and_data_look_different():
    def loss(w, X, y):
        return np.sum((X @ w - y) ** 2)
    pic = show_graph(loss, onp.ones(2), onp.ones((3, 2)), onp.zeros(3), wrt="w")
    src = pic.source
    assert re.search(r'n0 \[label=.*color="#0072B2"', src)                 # the input
    assert re.search(r'n\d+ \[label=<.*loss.*penwidth=2', src)            # the output
    data = [l for k, l in labels(pic).items() if k.startswith("d")]
    assert len(data) == 2 and all("no gradient" in l for l in data)
    assert any(l.startswith("X data") for l in data) and any(l.startswith("y data") for l in data)
    assert "dashed" in src


def test_local_derivatives_default_on_for_small_graphs_and_off_on_request():
    pic = show_graph(lambda x: np.sum(np.tanh(x)), onp.ones(3))
    assert "g * (1 - tanh²(x)) | (3,) -&gt; (3,)" in edge_labels(pic).values()
    pic = show_graph(lambda x: np.sum(np.tanh(x)), onp.ones(3), local_derivatives=False)
    assert edge_labels(pic) == {} and "Key" not in pic.source


def test_helper_calls_are_boxed_one_box_per_call():
    def layer(W, b, x):
        z = W @ x + b
        return np.tanh(z)

    def net(W1, b1, W2, b2, x):
        h = layer(W1, b1, x)
        return np.sum(layer(W2, b2, h))
    rng = onp.random.default_rng(0)
    pic = show_graph(net, rng.normal(size=(3, 2)), onp.zeros(3), rng.normal(size=(1, 3)),
                     onp.zeros(1), onp.ones(2), wrt=[0, 1, 2, 3])
    assert pic.source.count("subgraph cluster_call") == 2
    assert "layer() #1" in pic.source and "layer() #2" in pic.source
    text = " ".join(labels(pic).values())
    assert "h = tanh(z" in text                # the caller's name for the first layer's output


def test_unused_values_are_faded():
    def g(x):
        unused = np.exp(x)   # noqa: F841
        return x * 2.0
    pic = show_graph(g, 1.0)
    assert "unused = exp(x)" in labels(pic)["n1"]
    assert re.search(r'n1 \[label=<.*fontcolor="#888888"', pic.source)
    assert "∂g/∂unused" not in pic.source            # no gradient row: it does not reach the output


def test_non_scalar_output_draws_values_and_says_why():
    pic = show_graph(lambda x: x * 2.0, onp.ones(3))
    assert "Forward values only" in pic.source and "shape (3,)" in pic.source
    assert "∂" not in pic.source
    pic = show_graph(lambda x: x * 2.0, onp.ones(3), seed=onp.ones(3))
    assert "∂out/∂x = [2, 2, 2]" in labels(pic)["n0"]


def test_nan_and_inf_are_marked():
    with onp.errstate(invalid="ignore"):
        pic = show_graph(lambda x: np.sum(np.log(x)), onp.array([1.0, -1.0]))
    text = labels(pic)
    assert "value [0, nan] ⚠" in text["n1"]
    assert '#D55E00' in pic.source


def test_big_arrays_are_summarised():
    pic = show_graph(lambda x: np.sum(x * 2.0), onp.arange(1000.0))
    assert "float64 (1000,): min 0, mean 499.5, max 999" in pic.source
    assert "[0, 1, 2" not in pic.source and "12, 13" not in pic.source   # never the whole array


def test_every_label_is_escaped():
    nasty = 'a<b>&"c"{d}\\e\u00e9'
    pic = show_graph(lambda x: name(x * 2.0, nasty) + 1.0, 1.0)
    assert nasty not in pic.source
    assert "a&lt;b&gt;&amp;&quot;c&quot;{d}\\\\e\u00e9" in pic.source     # Graphviz reads two backslashes as one
    svg = pic.svg()
    assert "<b>&" not in svg and "a&lt;b&gt;&amp;" in svg


def test_graph_of_a_gradient_marks_backward_operations():
    pic = show_graph(grad(np.tanh), 0.5)
    src = pic.source
    assert "backward pass" in src
    kinds = re.findall(r'\[label=<.*?> color="([^"]+)"', src)
    assert "#D55E00" in kinds                       # backward ops are drawn apart
    assert any(c == "#0072B2" for c in kinds)       # the input


def test_big_graph_is_summarised_by_source_line():
    def chain(x):
        for _ in range(700):
            x = x + np.sin(x) * 1e-4
        return x
    pic = show_graph(chain, 0.5, node_limit=100)
    assert pic.collapsed
    assert "Summary: 2,101 nodes are more than the limit of 100" in pic.source
    assert "sin ×700" in pic.source and "x = x + np.sin(x) * 1e-4" in pic.source
    assert pic.source.count("[label=<") == 3          # input, the loop line, output
    pic.svg()


def test_save_formats(tmp_path):
    pic = show_graph(f, 1.0, 2.0)
    assert pic.save(tmp_path / "g.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    assert pic.save(tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if shutil.which("dot"):
        assert pic.save(tmp_path / "g.pdf").read_bytes()[:4] == b"%PDF"
    else:
        with pytest.raises(GraphvizMissingError, match="PDF"):
            pic.save(tmp_path / "g.pdf")
    assert pic.save(tmp_path / "g.dot").read_text() == pic.source
    with pytest.raises(ValueError, match=".svg, .png, .pdf or .dot"):
        pic.save(tmp_path / "g.jpg")


def test_missing_dot_gives_an_install_hint_and_source_still_works(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))           # no dot anywhere
    monkeypatch.setenv("TEACHGRAD_LAYOUT", "dot")       # and graphviz-pure not wanted
    pic = show_graph(f, 1.0, 2.0)
    assert "digraph" in pic.source
    with pytest.raises(GraphvizMissingError) as e:
        pic.save(tmp_path / "g.svg")
    assert "install" in str(e.value) and "graphviz" in str(e.value)
    assert "Why:" in str(e.value)


def test_options_direction_digits_rows():
    pic = show_graph(f, 1.0, 2.0, direction="LR", digits=2, gradients=False)
    assert "rankdir=LR" in pic.source and "value 0.91" in pic.source and "∂f/∂" not in pic.source
    pic = show_graph(f, 1.0, 2.0, values=False)
    assert "value" not in pic.source
    with pytest.raises(ValueError, match="direction"):
        show_graph(f, 1.0, 2.0, direction="up")


def test_errors_in_the_function_reach_the_student_unchanged():
    def broken(x):
        raise ZeroDivisionError("student bug")
    with pytest.raises(ZeroDivisionError, match="student bug"):
        show_graph(broken, 1.0)


def test_drawing_does_not_slow_or_change_plain_grad():
    show_graph(f, 1.0, 2.0)
    assert grad(f)(1.0, 2.0) == pytest.approx(onp.cos(2.0) * 2 + 2)


def test_command_line_draws_an_expression(tmp_path):
    out = tmp_path / "neuron.svg"
    result = subprocess.run([sys.executable, "-m", "teachgrad", "draw", "np.tanh(w * x + b)",
                             "x=0.5", "w=2.0", "b=-1", "-o", str(out)],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert result.returncode == 0, result.stderr
    svg = out.read_text()
    assert "tanh" in svg and "∂f/∂w" in svg
    bad = subprocess.run([sys.executable, "-m", "teachgrad", "draw", "x", "x=__import__('os')"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "Cannot read the value" in bad.stderr + bad.stdout


def test_negative_zero_reads_as_zero():
    pic = show_graph(lambda w, X: np.sum(w * X), 0.0, onp.array([-1.0, -2.0, 3.0]), wrt="w")
    assert "-0," not in pic.source and "[0, 0, 0]" in pic.source


def test_tuple_output_draws_forward_values_and_says_why():
    pic = show_graph(lambda x: (x * 2.0, np.sin(x)), 1.0)
    assert "returned a tuple" in pic.source and "sin(x)" in pic.source
    pic = show_graph(lambda x: 3.0, 1.0)
    assert "does not depend on any differentiated input" in pic.source


def test_integer_arguments_get_a_hint():
    pic = show_graph(lambda x, y: x * y + 1, 2, 3)
    assert "write 1.0 instead of 1" in pic.source


def test_command_line_demo_prints_gradients():
    result = subprocess.run([sys.executable, "-m", "teachgrad", "demo"], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert result.returncode == 0, result.stderr
    assert "df/dx          = 3.0806" in result.stdout and "v2 = sin(x)" in result.stdout


def test_one_naming_in_the_picture_the_graph_print_the_stepper_and_check_grad():
    from teachgrad import check_grad, step_through, trace

    def neuron(w, x, b):
        z = w * x + b
        return np.tanh(z)
    args = (2.0, 0.5, -0.3)
    pic = show_graph(neuron, *args, display=False)
    text = labels(pic)
    node = pic.graph["z"]                                   # the picture's name finds the node
    assert node.op == "add" and text[f"n{node.id}"].startswith("z = v3 + b")
    assert [n.name for n in trace(neuron, *args).nodes] == [n.name for n in pic.graph.nodes]
    assert "z = add(v3, b)" in str(pic.graph) and "neuron = tanh(z)" in str(pic.graph)
    stepper = step_through(neuron, *args)
    backward_at_z = next(s for s in stepper.steps if s.phase == "backward" and s.node is stepper.graph["z"])
    assert "at <b>z</b>" in backward_at_z.explanation and "∂neuron/∂z" in backward_at_z.explanation
    report = str(check_grad(neuron, {"neuron": 1.0, "z": 1.0}, *args))
    assert "the mistake entered at z" in report and "neuron = tanh(z)" in report
    assert not re.search(r"\bv[0-9]+\b", report.replace("v3", ""))    # v3 is w * x, unnamed
