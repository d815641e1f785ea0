"""Labels read as the student wrote them: rendered with the real `dot`, read back from the SVG.

Control characters and lone surrogates are shown the way Python's repr shows them
(``\\x07``, ``\\ud800``); backslashes are literal, never Graphviz escapes
(``\\N`` is not the node's id, ``\\n`` is not a line break, a trailing ``\\`` stays).
"""
import xml.etree.ElementTree as ET

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import name, show_graph, step_through
from teachgrad.extend import defvjp, primitive
from teachgrad.describe.values import escape, visible
from teachgrad.viz.labels import DigitsError, dot_escape


def svg_texts(picture) -> list[str]:
    """Every <text> element of the SVG `dot` made, as a browser would show it."""
    root = ET.fromstring(picture.svg())
    return [t.text or "" for t in root.iter() if t.tag.endswith("}text") or t.tag == "text"]


# name given -> what the student reads (written out by hand, not computed by the code under test)
HOSTILE = [
    ("a\x07b\x00c\x1f\x7f", r"a\x07b\x00c\x1f\x7f"),
    ("x\ud800y", r"x\ud800y"),
    ("\\N\\G", r"\N\G"),
    ("x\\ny", r"x\ny"),
    ("tail\\", "tail\\"),
    ("a\\lb\\rc\\E\\T\\H\\L", r"a\lb\rc\E\T\H\L"),
    ("line\nbreak\ttab", r"line\nbreak\ttab"),
    ("\u202eevil", r"\u202eevil"),
    ("\x85c1", r"\x85c1"),
    ('a<b>&"c\'', 'a<b>&"c\''),
]


@pytest.mark.parametrize("given, shown", HOSTILE)
def test_names_from_teachgrad_name_render_as_written(given, shown):
    pic = show_graph(lambda x: name(x * 2.0, given) + 1.0, 1.0)
    texts = svg_texts(pic)
    assert shown in texts                                  # the node's title, on one line
    assert f"∂out/∂{shown} = 1" in texts                   # its gradient row
    assert f"local ∂{shown}/∂x = 2" in texts               # the edge label (HTML-like, italic)
    assert f" = {shown} + 1" in texts                      # where the next node uses it
    assert not any(t.startswith("n1") or "teachgrad" in t for t in texts)   # no \N, \G expansion


@pytest.mark.parametrize("given, shown", HOSTILE[:6])
def test_names_of_ordered_arguments_keep_both_edge_lines(given, shown):
    """An edge with two lines (which argument, then the local derivative)."""
    pic = show_graph(lambda a, b: name(a * 1.0, given) - b, 3.0, 1.0)
    texts = svg_texts(pic)
    assert "1st arg" in texts and f"∂out/∂{shown} = 1" in texts      # the two lines of one edge
    assert f"local ∂{shown}/∂a = 1" in texts


def test_dict_keys_render_as_python_writes_them():
    def loss(params, data):
        return np.sum(params["a\\b"] * params["\\N\x07"] * data["\\n"])
    pic = show_graph(loss, {"a\\b": 2.0, "\\N\x07": 3.0}, {"\\n": onp.array([1.0, 2.0])}, wrt="params")
    texts = svg_texts(pic)
    assert r"params['a\\b']" in texts                      # repr of 'a\b', as typed in code
    assert r"params['\\N\x07']" in texts
    assert r"∂loss/∂params['a\\b'] = 9" in texts           # 3 * (1 + 2)
    assert r"data['\\n']" in texts                         # a data leaf: no line break
    assert "value [1, 2]" in texts


def test_string_values_in_operations_render_as_written():
    @primitive
    def tagged(x, tag):
        return x * 2.0
    defvjp(tagged, lambda ans, x, tag: lambda g: g * 2.0)
    pic = show_graph(lambda x: tagged(x, tag="\\N\n\x07"), 1.0)
    texts = " ".join(svg_texts(pic))
    assert r"tagged(x, tag='\\N\n\x07')" in texts          # repr of the string, literally


def test_backslashes_in_summarised_source_lines_are_literal():
    def chain(x):
        for _ in range(3):
            x = x * 1.01  # scale \N \n \G
        return x
    pic = show_graph(chain, 1.0, node_limit=0)
    assert pic.collapsed
    texts = [t.replace("\xa0", " ") for t in svg_texts(pic)]     # dot writes "  " as " &nbsp;"
    assert r"x = x * 1.01  # scale \N \n \G" in texts


def test_stepper_picture_and_explanations_show_hostile_names():
    s = step_through(lambda x: name(x * 2.0, "\\N<b>\x07") + 1.0, 1.0)
    assert r"\N<b>\x07" in svg_texts(s.picture)
    backward = " ".join(f.explanation for f in s.steps if f.phase == "backward")
    assert r"\N&lt;b&gt;\x07" in backward and "<b>\x07" not in backward


def test_escaping_functions():
    assert visible("a\x07\n\ud800\u202e\\") == "a\\x07\\n\\ud800\\u202e\\"
    assert escape("<&>\x00") == "&lt;&amp;&gt;\\x00"
    assert dot_escape("\\N<") == "\\\\N&lt;"
    assert visible("é∂₂ ok") == "é∂₂ ok"                  # printable text is left alone


@pytest.mark.parametrize("digits", [-1, 0, 18, 2.5, True, "4", None])
def test_bad_digits_are_refused_clearly(digits):
    with pytest.raises(DigitsError, match=r"digits=.* whole number from 1 to 17") as e:
        show_graph(lambda x: x * 2.0, 1.0, digits=digits)
    assert "Why:" in str(e.value) and "digits=4" in str(e.value)
    with pytest.raises(DigitsError):
        step_through(lambda x: x * 2.0, 1.0, digits=digits)


def test_extreme_good_digits_work():
    assert "value 0.3" in " ".join(svg_texts(show_graph(lambda x: x * 1.0, 1 / 3, digits=1)))
    assert "value 0.33333333333333331" in svg_texts(show_graph(lambda x: x * 1.0, 1 / 3, digits=17))
    assert "value 0.3" in svg_texts(show_graph(lambda x: x * 1.0, 1 / 3, digits=onp.int64(1)))
