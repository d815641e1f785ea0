"""#13 item 4: the stepper shows the product on the picture (upstream × local = share on the edge
in use) and the sum forming at a fan-in, as step rows with their own ids that each frame's CSS
shows or hides over the one laid-out SVG."""
import html
import re
import time

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad, show_graph, step_through
from teachgrad.describe.values import format_value
from teachgrad.viz.render import STEP_COLOR


def neuron(w, x, b):
    return np.tanh(w * x + b)


def fan(x):
    y = x * 3.0
    return np.sin(x) + y * x          # x is used three times: by y, by sin and by y * x


def rules(W, x, b, c):
    h = W @ x
    d = h - b                         # b is used twice: here and in q
    q = d / b
    r = q * c
    return np.mean(r)


ARRAYS = (onp.ones((2, 3)), onp.ones(3), onp.full(2, 2.0), onp.array(3.0))


def step_texts(s) -> dict[str, str]:
    """Step row id (as the SVG's group has it, without the a_ Graphviz adds) -> its text."""
    rows = re.findall(r'<g id="a_([^"]+)"><a [^>]*>\s*<text[^>]*>([^<]*)</text>', s.svg)
    return {row_id: html.unescape(text) for row_id, text in rows}


def product_id(s, parent, child, argnum=0):
    return f"{s.scope}step_p{s.graph[parent].id}_{s.graph[child].id}_{argnum}"


def shown(frame) -> set[str]:
    """The step rows a frame's CSS shows: its 'visible' rule, read back into ids."""
    visible = [rule for rule in frame.css.split("\n") if rule.endswith("{visibility:visible}")]
    assert len(visible) <= 1
    return set(re.findall(r"#a_(\S+?)[,\s]", visible[0])) if visible else set()


def backward(s):
    return [f for f in s.steps if f.phase == "backward"]


def test_each_edge_shows_upstream_times_local_at_its_own_step_only():
    s = step_through(neuron, 2.0, 0.5, -0.3)
    texts = step_texts(s)
    dw, dx, db = (grad(neuron, i)(2.0, 0.5, -0.3) for i in range(3))
    # upstream ∂out/∂v3 = 1 - tanh(0.7)² = 0.6347; local ∂v3/∂w = x = 0.5, ∂v3/∂x = w = 2
    assert texts[product_id(s, "w", "v3")] == f"0.6347 × 0.5 = {format_value(dw, 4)}" == "0.6347 × 0.5 = 0.3174"
    assert texts[product_id(s, "x", "v3", 1)] == f"0.6347 × 2 = {format_value(dx, 4)}"
    assert texts[product_id(s, "b", "v4", 1)] == f"0.6347 × 1 = {format_value(db, 4)}"
    assert texts[product_id(s, "v4", "neuron")] == "1 × 0.6347 = 0.6347"
    # the rows are coloured as step rows, and every frame hides all of them but its own
    assert all(f'fill="{STEP_COLOR}"' in re.search(rf'id="a_{re.escape(i)}".*?</text>', s.svg, re.S)[0]
               for i in texts)
    for frame in s.steps:
        assert f'#{s.scope} [id^="a_{s.scope}step_"] {{visibility:hidden;pointer-events:none}}' in frame.css
        if frame.phase == "forward":
            assert shown(frame) == set() and frame.step_rows == []
            continue
        expected = {f"{s.scope}step_p{p.id}_{frame.node.id}_{a}" for p, a, _ in frame.step.contributions}
        assert shown(frame) == expected, frame.title
        assert set(frame.step_rows) == {f"#{s.scope} #a_{i}" for i in expected}
    # the key says what the step rows mean, with names and without numbers (a quiz asks for them)
    text = html.unescape(s.svg)
    assert "on the arrow in use: ∂neuron/∂v3 × local ∂v3/∂w = the share w receives;" in text
    assert text.count("0.3174") == 2            # ∂neuron/∂w's row and the product on its edge
    at_v3 = next(f for f in s.steps if f.phase == "backward" and f.node is s.graph["v3"])
    assert shown(at_v3) == {product_id(s, "w", "v3"), product_id(s, "x", "v3", 1)}
    assert shown(s.steps[-1]) == set()          # the final picture shows no product


def test_a_value_used_three_times_shows_its_sum_forming():
    s = step_through(fan, 0.7)
    texts = step_texts(s)
    x = s.graph["x"].id
    cells = [f"{s.scope}step_s{x}_{k}" for k in (1, 2, 3)]
    # the shares arrive from v3 (y * x: 2.1), v2 (sin: cos(0.7) = 0.7648) and y (3 × 0.7 = 2.1)
    assert [texts[c] for c in cells] == ["sum: 2.1", " + 0.7648", " + 2.1 = 4.965"]
    assert format_value(grad(fan)(0.7), 4) == "4.965"
    assert texts[product_id(s, "y", "v3")] == "1 × 0.7 = 0.7"
    assert texts[product_id(s, "x", "y")] == "0.7 × 3 = 2.1"
    # each share shows from the step that sends it on; the whole sum stays to the end
    sends = {f.node.name: shown(f) & set(cells) for f in backward(s)}
    assert [sorted(sends[name]) for name in ("fan", "v3", "v2", "y", "x")] == [
        [], cells[:1], cells[:2], cells, cells]
    # the same step shows the share on the edge it travels along
    at_y = next(f for f in backward(s) if f.node is s.graph["y"])
    assert product_id(s, "x", "y") in shown(at_y)


def test_arrays_show_what_travels_and_the_sum_of_shares():
    s = step_through(rules, *ARRAYS)
    texts = step_texts(s)
    dW = grad(rules, 0)(*ARRAYS)
    db = grad(rules, 2)(*ARRAYS)
    assert texts[product_id(s, "W", "h")] == f"g (2,) → {format_value(dW, 4)}"
    assert texts[product_id(s, "h", "d")] == "[0.75, 0.75] → [0.75, 0.75]"
    dc = grad(rules, 3)(*ARRAYS)                # c was broadcast: its share is summed back
    assert texts[product_id(s, "c", "r", 1)] == f"[0.5, 0.5] → {format_value(dc, 4)}" == "[0.5, 0.5] → 0.5"
    b = s.graph["b"].id
    assert (texts[f"{s.scope}step_s{b}_1"] + texts[f"{s.scope}step_s{b}_2"]
            == f"sum: [-0.375, -0.375] + [-0.75, -0.75] = {format_value(db, 4)}")
    at_h = next(f for f in backward(s) if f.node is s.graph["h"])
    assert shown(at_h) == {product_id(s, "W", "h"), product_id(s, "x", "h", 1)} | {
        f"{s.scope}step_s{b}_1", f"{s.scope}step_s{b}_2"}


def test_a_frame_drawn_on_its_own_keeps_the_rows_in_the_background_colour():
    s = step_through(neuron, 2.0, 0.5, -0.3)
    at_v3 = next(f for f in backward(s) if f.node is s.graph["v3"])
    source = s.frame_drawing(s.steps.index(at_v3)).source
    used = re.search(rf'ID="{product_id(s, "w", "v3")}"[^>]*><FONT[^>]*COLOR="([^"]+)"', source)[1]
    assert used == STEP_COLOR
    later = re.search(rf'ID="{product_id(s, "v4", "neuron")}"[^>]*><FONT[^>]*COLOR="([^"]+)"', source)[1]
    assert later == "#FFFFFF"                   # there, but invisible: the layout does not move
    assert s.frame_drawing(0).source.count(STEP_COLOR) == 1     # the key's sample only


def test_show_graph_has_no_step_rows():
    source = show_graph(fan, 0.7).source
    assert "step_" not in source and "HREF" not in source and STEP_COLOR not in source


def test_a_step_costs_no_layout():
    def chain(x):
        for _ in range(25):
            x = np.sin(x) * 1.1 + x
        return x
    s = step_through(chain, 0.3, node_limit=100)
    svg = s.svg
    start = time.perf_counter()
    for i in range(len(s.steps)):
        s.goto(i)
        s.frame_html()
    per_step = (time.perf_counter() - start) / len(s.steps)
    assert s.svg is svg and per_step < 0.1, per_step


@pytest.mark.parametrize("copy", ["static"])
def test_a_renamed_copy_styles_only_its_own_rows(copy):
    s = step_through(fan, 0.7)
    frame = backward(s)[1]
    live, static = s.frame_html(s.steps.index(frame)), s.frame_html(s.steps.index(frame), copy=copy)
    selector = f"#{s.scope}{copy} #a_{product_id(s, 'y', 'v3')}"
    assert selector in static and selector not in live
    assert f'<div id="{s.scope}{copy}">' in static


def test_answer_rows_are_every_step_row_that_gives_a_gradient_away():
    s = step_through(fan, 0.7)
    x, y = s.graph["x"].id, s.graph["y"].id
    ids = lambda node: {sel.split(" #a_")[1] for sel in s.answer_rows(node)}
    assert all(sel.startswith(f"#{s.scope} #a_") for sel in s.answer_rows(x))
    # x: the three shares it receives and the three cells of their sum (it sends nothing)
    assert ids(s.graph["x"]) == {product_id(s, "x", "y"), product_id(s, "x", "v2"),
                                 product_id(s, "x", "v3", 1)} | {f"{s.scope}step_s{x}_{k}" for k in (1, 2, 3)}
    # y: the share it receives from v3, and what it sends to x (∂fan/∂y × 3)
    assert ids(y) == {product_id(s, "y", "v3"), product_id(s, "x", "y")}
    texts = step_texts(s)
    assert all(i in texts for i in ids(x) | ids(y))
    # nothing else on the picture shows ∂fan/∂y = 0.7 but its gradient row and these rows
    assert {i for i, t in texts.items() if "0.7 " in t + " "} <= ids(y) | ids(x)
    assert step_through(fan, 0.7, mode="forward").answer_rows(x) == []
    assert step_through(fan, 0.7, summary=True, node_limit=0).answer_rows(0) == []
