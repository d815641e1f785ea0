"""Local derivatives on edges, gradients in boxes, the key, and the chain rule on arrays (#13).

Each behaviour is read from the DOT source (or the SVG the layout program makes), and the
expected texts are written out by hand from the shapes involved.
"""
import re
import time
import xml.etree.ElementTree as ET

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad, name, show_graph, trace
from teachgrad.describe.operations import Wording, broadcast_axes
from teachgrad.viz.render import COLORS, GRADIENT_ROW_COLORS, KEY_GRAD_COLOR, LOCAL_COLOR


def edge_labels(picture) -> dict[str, str]:
    """'n0 -> n2' -> the plain text of its label (lines joined by ' | ', tags stripped, unescaped)."""
    result = {}
    for head, tail, label in re.findall(r"^\s*(\w+) -> (\w+) \[label=<(.*?)>(?: |\])", picture.source, re.M):
        text = re.sub(r"<[^>]+>", "", label.replace("<BR/>", " | "))
        result[f"{head} -> {tail}"] = text.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
    return result


def edge_between(picture, parent: str, child: str) -> str:
    graph = picture.graph
    return edge_labels(picture)[f"n{graph[parent].id} -> n{graph[child].id}"]


def key_text(picture) -> str:
    match = re.search(r"<B>Key</B>(.*)</TABLE>> labeljust", picture.source)
    return re.sub(r"<[^>]+>", " ", match.group(1)) if match else ""


def svg_texts(picture) -> list[ET.Element]:
    root = ET.fromstring(picture.svg())
    return [t for t in root.iter() if t.tag.endswith("}text")]


def neuron(w, x, b):
    z = w * x + b
    return np.tanh(z)


NEURON = (2.0, 0.5, -0.3)


# --- item 2: a local derivative never looks like a gradient ---------------------------------------

def test_the_edge_into_the_output_and_the_gradient_row_read_and_look_different():
    pic = show_graph(neuron, *NEURON, display=False)
    # the same number (0.6347), once as a factor of the chain rule and once as a gradient
    assert edge_between(pic, "z", "neuron") == "local ∂neuron/∂z = 1 - tanh²(z) = 0.6347"
    edge = re.search(r"n\d+ -> n\d+ \[label=<(<FONT[^>]*><I>local ∂neuron/∂z[^<]*</I></FONT>)>", pic.source)
    assert edge and f'COLOR="{LOCAL_COLOR}"' in edge.group(1)
    row = re.search(r'<FONT POINT-SIZE="10" COLOR="([^"]+)">∂neuron/∂z = 0.6347</FONT>', pic.source)
    assert row and row.group(1) in GRADIENT_ROW_COLORS
    assert LOCAL_COLOR.lower() not in {c.lower() for c in GRADIENT_ROW_COLORS}
    texts = {t.text: t for t in svg_texts(pic)}
    local = texts["local ∂neuron/∂z = 1 - tanh²(z) = 0.6347"]
    assert local.get("font-style") == "italic" and local.get("fill") == LOCAL_COLOR.lower()
    assert texts["∂neuron/∂z = 0.6347"].get("font-style") is None


def test_the_key_says_what_a_gradient_row_and_an_edge_label_mean_and_can_be_switched_off():
    pic = show_graph(neuron, *NEURON, display=False)
    key = key_text(pic)
    assert "∂neuron/∂w" in key and "the gradient, how neuron changes with w through every path" in key
    assert "local ∂v3/∂w" in key and "one factor of the chain rule" in key
    assert "∂neuron/∂w adds up ∂neuron/∂v3 · ∂v3/∂w" in key
    # the key's sample of a gradient row is not a gradient row: the stepper hides those by colour
    assert KEY_GRAD_COLOR not in GRADIENT_ROW_COLORS and f'COLOR="{KEY_GRAD_COLOR}"' in pic.source
    bare = show_graph(neuron, *NEURON, legend=False, display=False)
    assert "Key" not in bare.source and key_text(bare) == ""
    assert edge_labels(bare) == edge_labels(pic)               # the rest of the picture is the same


def test_the_key_shows_only_what_the_picture_uses():
    no_edges = show_graph(neuron, *NEURON, local_derivatives=False, display=False)
    assert "Key" not in no_edges.source                       # gradient rows alone need no key
    blank = show_graph(neuron, *NEURON, gradients=False, display=False)
    assert "∂" not in blank.source and "Key" not in blank.source and edge_labels(blank) == {}


def test_gradients_false_keeps_no_gradient_text_even_with_data_and_arrays():
    def loss(W, X):
        unused = np.exp(W)     # noqa: F841
        return np.sum(X @ W)
    pic = show_graph(loss, onp.ones((2, 3)), onp.ones((4, 2)), wrt="W", gradients=False, display=False)
    assert "∂" not in pic.source
    assert set(edge_labels(pic).values()) <= {"1st arg", "2nd arg"}     # no rule with g on any edge
    key = key_text(pic)
    assert "data: an argument that is not differentiated" in key and "g" not in key.split()


def test_data_unused_values_and_unused_backward_values_each_have_their_own_look():
    def f(x, X):
        unused = np.exp(x)                       # noqa: F841  (forward, unused)
        side = grad(np.sin)(x)                   # noqa: F841  (a backward pass, unused)
        return np.sum(x * X)
    pic = show_graph(f, 0.5, onp.ones(3), wrt="x", display=False)
    src = pic.source
    data = re.search(r"^\s*d\d+ \[label=<.*$", src, re.M).group(0)
    assert "shape=note" in data and COLORS["data"][0] in data and "dashed" not in data
    unused = re.search(r"^\s*n\d+ \[label=<.*unused</B> = exp\(x\).*$", src, re.M).group(0)
    assert COLORS["faded"][0] in unused and 'style="rounded,filled,dotted"' in unused
    backward_unused = [line for line in src.splitlines() if COLORS["faded_backward"][0] in line
                       and "[label=<<TABLE" in line]
    assert backward_unused and all('style="rounded,filled,dashed"' in line for line in backward_unused)
    looks = {COLORS["data"], COLORS["faded"], COLORS["faded_backward"], COLORS["backward"], COLORS["op"]}
    assert len(looks) == 5                                    # no two of them share colours
    key = key_text(pic)
    assert "data: an argument that is not differentiated" in key
    assert "does not reach out: no gradient flows back to it" in key     # out: the graph holds a backward pass
    assert "a backward-pass value that out does not use" in key


def test_a_plain_picture_has_no_key_rows_for_looks_it_does_not_use():
    key = key_text(show_graph(neuron, *NEURON, display=False))
    assert "data:" not in key and "does not reach" not in key and "backward-pass" not in key


# --- item 3: the chain rule on arrays -------------------------------------------------------------

def test_matmul_with_a_1d_x_writes_the_outer_product_as_numpy_does():
    def layer(W, x):
        return np.sum(np.tanh(W @ x))
    pic = show_graph(layer, onp.ones((3, 2)), onp.ones(2), display=False)
    v = pic.graph.nodes[2]
    assert v.op == "matmul"
    assert edge_labels(pic)[f"n0 -> n{v.id}"] == "1st arg | np.outer(g, x) | (3,) and (2,) -> (3, 2)"
    assert edge_labels(pic)[f"n1 -> n{v.id}"] == "2nd arg | W.T @ g | (3, 2) and (3,) -> (2,)"
    assert "xᵀ" not in pic.source and "@ x" not in pic.source.replace("W @ x", "")
    sentence = Wording().chain_rule(v, pic.graph.nodes[0], 0, "∂layer/∂v2")
    assert sentence.startswith("np.outer(∂layer/∂v2, x): (3,) and (2,) -> (3, 2)")
    assert "@ x" not in sentence


def test_matmul_with_a_1d_left_factor_and_2d_matrices():
    g = trace(lambda x, B: np.sum(x @ B), onp.ones(2), onp.ones((2, 4)))
    product = g.nodes[2]
    words = Wording()
    assert words.backward_rule(product, g.nodes[0], 0) == "B @ g: (2, 4) and (4,) -> (2,)"
    assert words.backward_rule(product, g.nodes[1], 1) == "np.outer(x, g): (2,) and (4,) -> (2, 4)"
    g = trace(lambda A, B: np.sum(A @ B), onp.ones((3, 2)), onp.ones((2, 4)))
    product = g.nodes[2]
    assert words.backward_rule(product, g.nodes[0], 0) == "g @ B.T: (3, 4) and (2, 4) -> (3, 2)"
    assert words.backward_rule(product, g.nodes[1], 1) == "A.T @ g: (3, 2) and (3, 4) -> (2, 4)"
    g = trace(lambda x, y: x @ y, onp.ones(2), onp.ones(2))            # a dot product: g is a number
    assert words.backward_rule(g.output, g.nodes[0], 0) == "g * y: () and (2,) -> (2,)"


def test_a_broadcast_scalar_is_summed_over_the_batch():
    def loss(w, b, X):
        return np.mean((X @ w + b) ** 2)
    pic = show_graph(loss, onp.ones(3), 0.5, onp.ones((30, 3)), wrt=["w", "b"], display=False)
    assert edge_between(pic, "b", "v3") == "g summed over axis 0 | (30,) -> ()"
    assert edge_between(pic, "v2", "v3") == "g unchanged | (30,) -> (30,)"
    assert edge_between(pic, "v4", "loss") == "g / 30 copied to every entry | () -> (30,)"
    sentence = Wording().chain_rule(pic.graph["v3"], pic.graph["b"], 1, "∂loss/∂v3")
    assert "summed over the broadcast axis 0: (30,) -> ()" in sentence
    assert "b was broadcast to shape (30,), so it was used 30 times" in sentence


def test_a_broadcast_row_vector_and_a_keepdims_column():
    def f(r, c, X):
        scaled = X * r
        centred = scaled - c
        return np.sum(np.mean(centred, axis=1, keepdims=True))
    X = onp.ones((30, 3))
    pic = show_graph(f, onp.ones(3), onp.ones((30, 1)), X, wrt=["r", "c"], display=False)
    assert edge_between(pic, "r", "scaled") == "g * X summed over axis 0 | (30, 3) -> (3,)"
    assert edge_between(pic, "c", "centred") == "2nd arg | -g summed over axis 1 (kept, as size 1) | (30, 3) -> (30, 1)"
    assert edge_between(pic, "centred", "v4") == "g / 3 copied along axis 1 | (30, 1) -> (30, 3)"
    sentence = Wording(data_names={id(X): "X"}).chain_rule(pic.graph["scaled"], pic.graph["r"], 1, "∂f/∂scaled")
    assert ("∂f/∂scaled * X (elementwise), summed over the broadcast axis 0: (30, 3) -> (3,)" in sentence
            and "each of its entries was used 30 times" in sentence)


def test_broadcast_axes():
    assert broadcast_axes((30, 3), (3,)) == (0,)
    assert broadcast_axes((30, 3), (1, 3)) == (0,)
    assert broadcast_axes((30, 3), ()) == (0, 1)
    assert broadcast_axes((5, 30, 3), (30, 1)) == (0, 2)
    assert broadcast_axes((3,), (3,)) == ()


def test_an_array_rule_shows_hostile_names_as_written():
    given = 'a\\N<b>&"'
    pic = show_graph(lambda W, x: np.sum(W @ name(x * 1.0, given)), onp.ones((3, 2)), onp.ones(2),
                     display=False)
    texts = [t.text for t in svg_texts(pic)]
    assert f"np.outer(g, {given})" in texts and "(3,) and (2,) -> (3, 2)" in texts
    assert given not in pic.source                           # escaped in the DOT text itself


def test_the_key_explains_an_array_edge():
    pic = show_graph(lambda W, x: np.sum(W @ x), onp.ones((3, 2)), onp.ones(2), display=False)
    key = key_text(pic)
    assert "∂out/∂W" in key and "the gradient" in key
    assert "how g, the gradient of the box it points to (here ∂out/∂v2)," in key


# --- speed ------------------------------------------------------------------------------------------

def test_two_hundred_nodes_are_drawn_in_under_a_second():
    def chain(x):
        for _ in range(67):
            x = x + np.sin(x) * 0.5
        return x
    show_graph(chain, 0.3, node_limit=300, display=False).svg()        # warm up the layout program
    for local in (None, True):
        start = time.perf_counter()
        pic = show_graph(chain, 0.3, node_limit=300, local_derivatives=local, display=False)
        pic.svg()
        elapsed = time.perf_counter() - start
        assert len(pic.graph.nodes) >= 200 and not pic.collapsed
        assert elapsed < 1.0, f"{len(pic.graph.nodes)} nodes took {elapsed:.2f} s (local_derivatives={local})"


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_a_picture_with_a_key_lays_out(direction):
    svg = show_graph(neuron, *NEURON, direction=direction, display=False).svg()
    assert "Key" in svg and "local ∂neuron/∂z" in svg


def rules_of(f, *args) -> dict[tuple[str, str], str]:
    """(child op, parent name) -> the backward rule of that edge."""
    g = trace(f, *args)
    words = Wording()
    return {(n.op, p.name): words.backward_rule(n, p, a) for n in g.nodes for a, p in n.parents}


def test_rules_for_other_operations_say_what_happens_to_g():
    X = onp.arange(1.0, 7.0).reshape(2, 3)
    assert rules_of(lambda x: np.sum(np.exp(x)), X)[("exp", "x")] == "g * exp(x): (2, 3) -> (2, 3)"
    assert rules_of(lambda x: np.sum(-x), X)[("negative", "x")] == "-g: (2, 3) -> (2, 3)"
    assert rules_of(lambda x: np.sum(x ** 3), X)[("power", "x")] == "g * (3·x^2): (2, 3) -> (2, 3)"
    assert (rules_of(lambda x, r: np.sum(np.maximum(x, r)), X, onp.ones(3))[("maximum", "r")]
            == "g where r was the larger, else 0, summed over axis 0: (2, 3) -> (3,)")
    assert (rules_of(lambda x: np.sum(np.where(x > 2, x, 0.0)), X)[("where", "x")]
            == "g where the condition holds, else 0: (2, 3) -> (2, 3)")
    assert (rules_of(lambda x: np.max(x), X)[("max", "x")]
            == "g placed at the largest entries, zeros elsewhere: () -> (2, 3)")
    assert (rules_of(lambda x, y: np.sum(np.concatenate([x, y])), X, X)[("concatenate", "y")]
            == "the part of g that y filled: (4, 3) -> (2, 3)")
    assert (rules_of(lambda x: np.sum(np.sum(x, 1)), X)[("sum", "x")]
            == "g copied along axis 1: (2,) -> (2, 3)")                       # axis given by position
    assert (rules_of(lambda x: np.einsum("ij,ij->", x, x), X)[("einsum", "x")]
            == "the vector-Jacobian product of einsum with g: () -> (2, 3)")
