"""step_through: driven from Python, through its buttons, with no kernel or browser."""
import re

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad, step_through
from teachgrad.viz.stepper import StepperError


def neuron(w, x, b):
    z = w * x + b
    return np.tanh(z)


@pytest.fixture
def stepper():
    return step_through(neuron, 2.0, 0.5, -0.5)


def hidden_gradient_nodes(css):
    return set(re.findall(r"n(\d+) text\[fill", css))


def highlighted(css):
    return re.findall(r"#\w+?n(\d+) > path", css)


def test_one_step_per_node_per_phase(stepper):
    n = len(stepper.graph.nodes)
    assert len(stepper.steps) == 2 * n
    assert [f.title for f in stepper.steps[:2]] == ["forward 1/6", "forward 2/6"]
    assert stepper.steps[n].title == "backward 1/6" and stepper.steps[-1].title == "backward 6/6"
    assert [f.node.id for f in stepper.steps[:n]] == list(range(n))          # forward order
    assert [f.node for f in stepper.steps[n:]] == [s.node for s in stepper.graph.steps]


def test_navigation(stepper):
    assert stepper.index == 0
    assert stepper.next().next().index == 2
    assert stepper.prev().index == 1
    assert stepper.goto(7).index == 7 and stepper.frame.title == "backward 2/6"
    assert stepper.goto(-1).index == len(stepper.steps) - 1
    assert stepper.next().index == len(stepper.steps) - 1            # stays at the end
    assert stepper.reset().index == 0 and stepper.prev().index == 0
    with pytest.raises(IndexError, match="numbered 0 to 11"):
        stepper.goto(12)


def test_buttons_drive_the_widget(stepper):
    w = stepper.widget
    assert w.label.value == "<b>forward 1/6</b>"
    w.next_button.click()
    w.next_button.click()
    assert stepper.index == 2 and w.slider.value == 2 and "forward 3/6" in w.label.value
    assert highlighted(stepper.frame.css) == ["2"] and "b</b> is an input" in w.explanation.value
    w.last_button.click()
    assert stepper.index == 11 and "backward 6/6" in w.label.value
    w.prev_button.click()
    assert stepper.index == 10
    w.first_button.click()
    assert stepper.index == 0 and w.slider.value == 0
    w.slider.value = 8                                 # the slider (and Play, linked to it)
    assert stepper.index == 8 and "backward 3/6" in w.label.value
    assert stepper.frame_html() in w.picture.value


def test_forward_shows_nodes_as_they_are_computed(stepper):
    first = stepper.steps[0].css
    assert "#%sn5" % stepper.scope in first and "opacity:0.07" in first     # not computed yet
    last_forward = stepper.steps[5].css
    assert "opacity" not in last_forward
    assert 'text[fill="#b35806"] {visibility:hidden}' in last_forward       # no gradients yet


def test_backward_explains_the_chain_rule_with_numbers(stepper):
    text = re.sub("<[^>]+>", "", stepper.steps[6].explanation)
    assert "Upstream gradient ∂neuron/∂neuron = 1" in text
    assert "∂neuron/∂z = 1 - tanh²(z)" in text
    mult = next(f for f in stepper.steps if f.phase == "backward" and f.node.op == "multiply")
    text = re.sub("<[^>]+>", "", mult.explanation)
    up = mult.step.upstream
    assert f"∂v3/∂w = x = 0.5" in text
    assert f"= {up:.4g} × 0.5 = {up * 0.5:.4g}" in text


def test_gradients_appear_as_they_become_known_and_match_grad(stepper):
    n = len(stepper.graph.nodes)
    hidden = [hidden_gradient_nodes(f.css) for f in stepper.steps[n:]]
    assert hidden[0] == {str(i) for i in range(n - 2)}       # the output's, and z's: it has one user
    assert hidden[-1] == set()                               # the last step shows every gradient
    assert all(a >= b for a, b in zip(hidden, hidden[1:]))   # never un-known again
    g = grad(neuron, (0, 1, 2))(2.0, 0.5, -0.5)
    assert [stepper.graph.nodes[i].grad for i in range(3)] == pytest.approx(list(g))


def test_fan_out_explains_the_sum():
    def f(x):
        a = x * 3.0
        b = np.sin(x)
        return a + b
    s = step_through(f, 0.5)
    at_x = next(fr for fr in s.steps if fr.phase == "backward" and fr.node.op == "input")
    text = re.sub("<[^>]+>", "", at_x.explanation)
    assert "x is used by 2 nodes" in text
    total = 3.0 + onp.cos(0.5)
    assert f"= {total:.4g}" in text
    sends = next(fr for fr in s.steps if fr.phase == "backward" and fr.node.op == "sin")
    assert "contribution" in sends.explanation and "of 2 to x" in sends.explanation


def test_arrays_use_the_right_product():
    def layer(W, x, b):
        return np.sum(np.tanh(W @ x + b))
    s = step_through(layer, onp.ones((2, 3)), onp.ones(3), onp.zeros((2,)), wrt=["W", "b"])
    text = " ".join(re.sub("<[^>]+>", "", f.explanation) for f in s.steps)
    assert "@ xᵀ (matrix product with the transpose)" in text
    assert "copied to every entry of" in text and "with slope 1" in text
    assert "(elementwise)" in text and "shape (2, 3)" in text


def test_bad_cases_explain_themselves():
    with pytest.raises(StepperError, match="return one number"):
        step_through(lambda x: x * 2.0, onp.ones(3))
    with pytest.raises(StepperError, match="none of them holds floats"):
        step_through(lambda x, y: x * y, 2, 3)
    with pytest.raises(StepperError, match="returned a tuple"):
        step_through(lambda x: (x * 2.0, x), 1.0)
    def long(x):
        for _ in range(70):
            x = x * 1.01
        return x
    with pytest.raises(StepperError, match="node_limit=71") as e:
        step_through(long, 1.0)
    assert "summary=True" in str(e.value)
    assert len(step_through(long, 1.0, node_limit=71).steps) == 142
    def broken(x):
        y = x * 2.0
        raise RuntimeError("student bug")
    with pytest.raises(RuntimeError, match="student bug"):
        step_through(broken, 1.0)


def test_static_and_kernel_free_forms(stepper, tmp_path):
    static = stepper.static_html()
    assert "<svg" in static and "Backward 6/6" in static
    assert f".{stepper.static_class} {{display:none}}" in stepper.widget.picture.value
    page = stepper.save_html(tmp_path / "s.html").read_text(encoding="utf-8")
    assert page.count('"title": ') == len(stepper.steps)
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert '<meta charset="utf-8">' in page


def test_gif_has_one_frame_per_step_in_one_layout(stepper, tmp_path):
    from PIL import Image
    path = stepper.save_gif(tmp_path / "s.gif")
    gif = Image.open(path)
    assert gif.n_frames == len(stepper.steps)
    sizes = set()
    for i in range(gif.n_frames):
        gif.seek(i)
        sizes.add(gif.size)
    assert len(sizes) == 1
    # frames differ (the highlight moves) while the layout stays
    first = stepper._redraw(stepper.steps[0].style).source
    last = stepper._redraw(stepper.steps[-1].style).source
    assert first != last and 'color="#CC79A7"' in first


def test_exported_notebook_shows_the_final_frame_without_widgets(tmp_path):
    """nbconvert's HTML (no kernel, no internet) keeps a picture of the last step."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter
    cells = ["import teachgrad.numpy as np\nfrom teachgrad import step_through",
             "step_through(lambda w, x: np.tanh(w * x), 2.0, 0.5)"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[1].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    static = [o for o in outputs if "text/html" in o.get("data", {})]
    assert len(static) == 1 and "<svg" in static[0]["data"]["text/html"]
    body, _ = HTMLExporter().from_notebook_node(nb)
    assert "teachgrad-static-" in body and "Backward 4/4" in body


def test_stepping_through_the_summary_of_a_long_loop(tmp_path):
    def chain(x):
        for _ in range(300):
            x = x + np.sin(x) * 0.01
        return x
    s = step_through(chain, 0.5, summary=True)
    assert [f.title for f in s.steps] == ["forward 1/3", "forward 2/3", "forward 3/3",
                                           "backward 1/3", "backward 2/3", "backward 3/3"]
    text = [re.sub("<[^>]+>", "", f.explanation) for f in s.steps]
    assert "ran 899 operation(s)" in text[1]
    assert "899 chain-rule step(s)" in text[4]
    assert f"∂chain/∂x = {grad(chain)(0.5):.4g}" in text[5]
    assert "#%sg1 > path" % s.scope in s.steps[1].css            # the loop's box is highlighted
    assert "opacity" in s.steps[0].css and "opacity" not in s.steps[2].css
    assert s.save_gif(tmp_path / "s.gif").stat().st_size > 0
