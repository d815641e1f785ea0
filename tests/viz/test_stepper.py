"""step_through: driven from Python, through its buttons, with no kernel or browser."""
import html
import re

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad, name, step_through
from teachgrad.extend import defvjp, primitive
from teachgrad.viz.render import HIGHLIGHT
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
    # x is 1-D: W's share is an outer product (in numpy, g @ x.T would be a dot product)
    assert "np.outer(∂layer/∂v2, x): (2,) and (3,) -&gt; (2, 3)" in text
    assert "xᵀ" not in text and "x.T" not in text
    assert "copied to every entry of" in text and "with slope 1" in text
    assert "(elementwise)" in text
    sends = [ln for f in s.steps for ln in f.explanation.split("<br>") if ln.startswith("Sends to")]
    assert sends and all(" -&gt; " in ln and "(shape" not in ln for ln in sends)   # shapes said once


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
    first = stepper.frame_drawing(0).source
    last = stepper.frame_drawing(-1).source
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
    # beside the kernel-free copy (tests/viz/test_stepper_notebook_export.py), one final frame
    static = [o for o in outputs
              if o.get("data", {}).get("text/html", "").startswith('<div class="teachgrad-static-')]
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


# --- the explanations' numbers, the highlighted edges and escaping, checked against hand-computed values ---

def text_of(frame):
    return re.sub("<[^>]+>", "", frame.explanation)


def test_every_backward_step_states_its_upstream_gradient_with_its_number(stepper):
    t = 1 - onp.tanh(2.0 * 0.5 - 0.5) ** 2            # d tanh(z) / dz at z = 0.5
    expected = {"neuron": 1.0, "z": t, "v3": t, "b": t, "w": 0.5 * t, "x": 2.0 * t}
    found = {}
    for frame in stepper.steps:
        if frame.phase == "backward":
            m = re.search(r"Upstream gradient ∂neuron/∂(\S+) = (-?[\d.]+(?:e-?\d+)?)", text_of(frame))
            assert m, text_of(frame)
            found[m.group(1)] = float(m.group(2))
    assert set(found) == set(expected)
    for name_, value in expected.items():
        assert found[name_] == pytest.approx(value, rel=1e-3), name_


def fan_out(x):
    a = x * 3.0
    b = np.sin(x)
    c = np.exp(x)
    return a + b + c


def test_contributions_to_a_shared_value_are_numbered_in_the_order_they_arrive():
    s = step_through(fan_out, 0.5)
    backward = [f for f in s.steps if f.phase == "backward"]
    sending = [(f.node.op, re.search(r"contribution (\d+) of (\d+) to x,", text_of(f)))
               for f in backward if any(p.name == "x" for p, _, _ in f.step.contributions)]
    # backward order is the reverse of creation: exp's step sends first, then sin's, then multiply's
    assert [op for op, _ in sending] == ["exp", "sin", "multiply"]
    assert [m.groups() if m else None for _, m in sending] == [("1", "3"), ("2", "3"), ("3", "3")]


def test_a_fan_out_sum_credits_each_term_to_the_child_that_sent_it():
    s = step_through(fan_out, 0.5)
    at_x = next(f for f in s.steps if f.phase == "backward" and f.node.op == "input")
    text = text_of(at_x)
    terms = dict((child, float(g)) for g, child in re.findall(r"(-?[\d.]+) \(from (\w+)\)", text))
    assert terms == pytest.approx({"a": 3.0, "b": onp.cos(0.5), "c": onp.exp(0.5)}, rel=1e-3)
    assert "x is used by 3 nodes" in text
    total = 3.0 + onp.cos(0.5) + onp.exp(0.5)
    assert re.search(rf"sum of their contributions: [^=]*\(from a\) = {total:.4g}\.", text)
    assert f"with respect to the input x: {total:.4g}." in text


def edges_in_css(css, scope):
    """(parent, child, argnum) of every edge the frame's CSS highlights."""
    rules = [r for r in css.split("\n") if f"stroke:{HIGHLIGHT}" in r and "stroke-width:3px" in r]
    return {tuple(int(v) for v in m) for r in rules
            for m in re.findall(rf"#{scope}e(\d+)_(\d+)_(\d+) path", r)}


def test_backward_steps_highlight_exactly_the_edges_carrying_gradients(stepper):
    svg_ids = set(re.findall(r'id="([^"]+)"', stepper.picture.svg()))
    nodes = stepper.graph.nodes
    for frame in stepper.steps:
        if frame.phase == "forward":
            assert edges_in_css(frame.css, stepper.scope) == set() and not frame.style.sending
            continue
        node = frame.node
        expected = {(p.id, node.id, a) for a, p in node.parents}      # from the graph, not the step
        assert edges_in_css(frame.css, stepper.scope) == expected, frame.title
        assert set(frame.style.sending) == expected                    # the same for save_gif's frames
        for p, c, a in expected:
            assert f"{stepper.scope}e{p}_{c}_{a}" in svg_ids           # the selector hits a real edge
    # one step that sends along two edges: z = v3 + b
    z_step = next(f for f in stepper.steps if f.phase == "backward" and f.node is nodes[4])
    assert edges_in_css(z_step.css, stepper.scope) == {(3, 4, 0), (2, 4, 1)}
    # the redrawn frame (save_gif) colours the same edges
    src = stepper.frame_drawing(stepper.steps.index(z_step)).source
    assert len(re.findall(rf'n3 -> n4 \[[^\]]*color="{HIGHLIGHT}"', src)) == 1
    assert len(re.findall(rf'n2 -> n4 \[[^\]]*color="{HIGHLIGHT}"', src)) == 1
    assert not re.search(rf'n0 -> n3 \[[^\]]*color="{HIGHLIGHT}"', src)


ALLOWED_TAGS = re.compile(r"</?b>|<br>")


def assert_escaped_html(text):
    bare = ALLOWED_TAGS.sub("", text)
    assert "<" not in bare and ">" not in bare, text
    assert not re.search(r"&(?!(lt|gt|amp|quot|#x27);)", bare), text


def test_explanations_escape_every_name():
    def f(p):
        h = name(p["<i>&"] * 2.0, "<h>&amp;")
        a = name(np.sin(h), "a<")
        b = name(h * 3.0, "b>")
        return name(a + b, "<out>&")
    s = step_through(f, {"<i>&": 0.5})
    for frame in s.steps:
        assert_escaped_html(frame.explanation)
    text = " ".join(f.explanation for f in s.steps)
    assert "&lt;h&gt;&amp;amp;" in text                       # the name, escaped once, literally
    assert "p[&#x27;&lt;i&gt;&amp;&#x27;]" in text
    assert "(from a&lt;)" in text and "(from b&gt;)" in text    # the fan-out sum names its children
    assert "to &lt;h&gt;&amp;amp;, which adds them up" in text  # contribution k of n to the shared node

    def arrays(W):
        return np.sum(name(W * 2.0, "<m>"))
    s = step_through(arrays, onp.ones(3))
    for frame in s.steps:
        assert_escaped_html(frame.explanation)
    assert "&lt;m&gt;" in " ".join(f.explanation for f in s.steps)

    def chain(p):
        x = p["<k>"]
        for _ in range(40):
            x = x * 1.01
        return x
    s = step_through(chain, {"<k>": 1.0}, summary=True)
    for frame in s.steps:
        assert_escaped_html(frame.explanation)
    assert "p[&#x27;&lt;k&gt;&#x27;]" in " ".join(f.explanation for f in s.steps)


def test_each_kind_of_step_says_what_it_is(stepper):
    t = 1 - onp.tanh(0.5) ** 2
    texts = {f.title: text_of(f) for f in stepper.steps}
    assert "shape" not in texts["forward 4/6"]                  # scalars: no shape line
    assert "at z = v3 + b" in texts["backward 2/6"] and "(an input)" not in texts["backward 2/6"]
    assert texts["backward 2/6"].startswith("Backward 2/6 at z = v3 + b")
    assert ", sent by neuron." in texts["backward 2/6"] and "is used by" not in texts["backward 2/6"]
    assert "contribution" not in " ".join(texts.values())         # every value here has one user
    at_w = next(f for f in stepper.steps if f.phase == "backward" and f.node.name == "w")
    assert "at w (an input)" in text_of(at_w)
    assert f"with respect to the input w: {0.5 * t:.4g}." in text_of(at_w)
    s = step_through(lambda W: np.sum(np.tanh(W * 2.0)), onp.ones(3))
    forward = [text_of(f) for f in s.steps if f.phase == "forward"]
    assert "shape (3,)" in forward[1] and "shape" not in forward[-1]


def test_a_primitive_without_a_formula_shows_only_the_number():
    @primitive
    def triple(x):
        return 3.0 * x
    defvjp(triple, lambda ans, x: lambda g: 3.0 * g)
    def f(x):
        return triple(x)
    s = step_through(f, 0.5)
    text = " ".join(text_of(fr) for fr in s.steps)
    assert "Local derivative ∂f/∂x = 3.Sends to x: ∂f/∂f × ∂f/∂x = 1 × 3 = 3." in text
    assert "None" not in text


def test_array_rules_name_the_right_operand_sign_and_shape():
    def rules(W, x, b, c):
        h = W @ x
        d = h - b
        q = d / b
        r = q * c
        return np.mean(r)
    s = step_through(rules, onp.ones((2, 3)), onp.ones(3), onp.full(2, 2.0), onp.array(3.0))
    text = "\n".join(html.unescape(re.sub("<br>", "\n", re.sub("</?b>", "", f.explanation)))
                     for f in s.steps if f.phase == "backward")
    # each line worked out by hand: h = [3, 3], d = [1, 1], q = [0.5, 0.5], r = [1.5, 1.5]
    expected = [
        "Sends to r: ∂rules/∂rules / 2 copied to every entry of r: () -> (2,) (each of the 2 "
        "entries adds 1/2 of itself to the mean) = [0.5, 0.5].",
        "Sends to q: ∂rules/∂r * c (elementwise): (2,) -> (2,) = [1.5, 1.5].",
        "Sends to c: ∂rules/∂r * q (elementwise), summed over the broadcast axis 0: (2,) -> () "
        "(c was broadcast to shape (2,), so it was used 2 times: their contributions add up) "
        "= 0.5.",
        "Sends to d: ∂rules/∂q / b (elementwise): (2,) -> (2,) = [0.75, 0.75].",
        "Sends to b: -∂rules/∂q * d / b² (elementwise): (2,) -> (2,) = [-0.375, -0.375] "
        "(contribution 1 of 2 to b, which adds them up).",
        "Sends to h: ∂rules/∂d unchanged: (2,) -> (2,) = [0.75, 0.75].",
        "Sends to b: -∂rules/∂d: (2,) -> (2,) = [-0.75, -0.75] "
        "(contribution 2 of 2 to b, which adds them up).",
        "Sends to W: np.outer(∂rules/∂h, x): (2,) and (3,) -> (2, 3) = "
        "[[0.75, 0.75, 0.75], [0.75, 0.75, 0.75]].",
        "Sends to x: W.T @ ∂rules/∂h: (2, 3) and (2,) -> (3,) = [1.5, 1.5, 1.5].",
        "b is used by 2 nodes, so its gradient is the sum of their contributions: "
        "[-0.375, -0.375] (from q) + [-0.75, -0.75] (from d) = [-1.125, -1.125].",
    ]
    lines = text.split("\n")
    for line in expected:
        assert line in lines, line
    assert sum("summed over the broadcast" in line for line in lines) == 1


def test_forward_frames_fade_exactly_the_nodes_and_edges_not_computed_yet():
    def loss(w, X):
        return np.sum(np.tanh(X @ w))
    s = step_through(loss, onp.ones(2), onp.ones((3, 2)), wrt="w")
    n = len(s.graph.nodes)
    svg_ids = set(re.findall(r'id="([^"]+)"', s.picture.svg()))
    data_edges = {i for i in svg_ids if i.startswith(f"{s.scope}e_d")}
    assert len(data_edges) == 1                       # X -> matmul, drawn dashed
    for k, frame in enumerate(s.steps[:n]):
        faded_rule = next((r for r in frame.css.split("\n") if "opacity:0.07" in r), "")
        faded_nodes = {int(i) for i in re.findall(rf"#{s.scope}n(\d+)\b(?! >)", faded_rule)}
        assert faded_nodes == set(range(k + 1, n)) == set(frame.style.hidden), k
        faded_data = {i for i in re.findall(r"#(\S+?)[,\s]", faded_rule + " ") if i in data_edges}
        assert faded_data == (data_edges if k == 0 else set()), k    # until the matmul (node 1) is computed


def test_the_mean_rule_counts_the_entries_averaged():
    s = step_through(lambda W: np.sum(np.mean(W, axis=1)), onp.ones((2, 3)))
    text = " ".join(text_of(f) for f in s.steps)
    assert "each of the 3 entries adds 1/3 of itself to the mean" in text


def test_each_explanation_is_numbered_like_its_title(stepper):
    for frame in stepper.steps:
        phase, position = frame.title.split()
        assert text_of(frame).startswith(f"{phase.capitalize()} {position}"), frame.title
    s = step_through(fan_out, 0.5, summary=True, node_limit=0)
    for frame in s.steps:
        phase, position = frame.title.split()
        assert text_of(frame).startswith(f"{phase.capitalize()} {position}"), frame.title


def test_gradient_rows_are_told_apart_by_colour_even_when_not_finite():
    """Graphviz gives a label's rows no id: the stepper hides gradient rows by their colours,
    so exactly the gradient rows, finite or not, must carry them (a nan gradient used to
    show before the backward pass reached it)."""
    from teachgrad.viz.render import GRADIENT_ROW_COLORS

    def f(x):
        r = np.sqrt(x)
        return r * 0.0 + x
    s = step_through(f, 0.0)
    rows = [((re.search(r'fill="(#[0-9a-f]+)"', attrs) or [None, None])[1], text)
            for attrs, text in re.findall(r"<text([^>]*)>([^<]*)</text>", s.svg)]
    # a gradient row reads "∂f/∂x = ..."; the key's sample and sentences say ∂f/∂x without a value
    is_gradient = lambda text: re.match(r"∂f/∂\w+ = ", text) is not None
    gradient_rows = [(fill, text) for fill, text in rows if is_gradient(text)]
    assert ("#d55e01", "∂f/∂x = nan ⚠") in gradient_rows
    assert all(fill in GRADIENT_ROW_COLORS for fill, _ in gradient_rows)
    assert all(fill not in GRADIENT_ROW_COLORS for fill, text in rows if not is_gradient(text))
    x = s.graph["x"].id
    for frame in s.steps:
        hides_x = (f'#{s.scope} text[fill="#d55e01"]' in frame.css                  # every row
                   or f'#{s.scope}n{x} text[fill="#d55e01"]' in frame.css)            # x's
        assert hides_x == (x in frame.style.unknown), frame.title
    assert all(x in frame.style.unknown for frame in s.steps if frame.phase == "forward")
    assert x not in s.steps[-1].style.unknown
