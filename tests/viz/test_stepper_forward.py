"""step_through(..., mode="forward"): a tangent carried forward, node by node, checked against
make_jvp and finite differences, and refused clearly where forward mode cannot go."""
import re

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad, make_jvp, step_through
from teachgrad.errors import ArgumentError, NotDifferentiableInputError
from teachgrad.extend import defvjp, primitive
from teachgrad.viz.render import GRAD_COLOR, HIGHLIGHT
from teachgrad.viz.stepper import StepperError
from teachgrad.viz.tangent_picture import TANGENT_COLOR


def text(frame) -> str:
    return re.sub("<[^>]+>", "", frame.explanation.replace("<br>", "\n")).replace("&#x27;", "'")


def by_name(stepper):
    return {stepper.graph.nodes[f.node.id].name: f for f in stepper.steps}


# A helper call and a value used twice (z feeds both sin and the product).
def parts(w, x, b):
    z = w * x + b
    h = np.sin(z)
    out = h * z
    return z, h, out


def neuron(w, x, b):
    return parts(w, x, b)[-1]


ARGS = (2.0, 0.5, -0.5)


@pytest.mark.parametrize("wrt", [0, 1, 2])
def test_every_named_tangent_is_make_jvps(wrt):
    s = step_through(neuron, *ARGS, mode="forward", wrt=wrt)
    assert s.mode == "forward"
    _, (dz, dh, dout) = make_jvp(parts, wrt)(*ARGS)(1.0)
    frames = by_name(s)
    assert float(frames["z"].tangent) == pytest.approx(float(dz), rel=1e-12)
    assert float(frames["h"].tangent) == pytest.approx(float(dh), rel=1e-12)
    assert float(frames["neuron"].tangent) == pytest.approx(float(dout), rel=1e-12)
    # one pass per input: together they are the gradient reverse mode gets in one pass
    assert float(dout) == pytest.approx(float(grad(neuron, wrt)(*ARGS)), rel=1e-12)
    moved = ["w", "x", "b"][wrt]
    inputs = {f.node.name: float(f.tangent) for f in s.steps if f.node.fun is None}
    assert inputs == {n: (1.0 if n == moved else 0.0) for n in "wxb"}


def test_tangents_match_finite_differences():
    s = step_through(neuron, *ARGS, mode="forward", wrt=1)
    eps = 1e-6
    up = parts(2.0, 0.5 + eps, -0.5)
    down = parts(2.0, 0.5 - eps, -0.5)
    frames = by_name(s)
    for name, a, b in zip(["z", "h", "neuron"], up, down):
        assert float(frames[name].tangent) == pytest.approx((a - b) / (2 * eps), rel=1e-7)


def test_texts_state_the_rule_in_words_and_numbers():
    s = step_through(neuron, *ARGS, mode="forward", wrt=1)
    assert [f.title for f in s.steps] == [f"forward {i}/7" for i in range(1, 8)]
    frames = by_name(s)
    assert "x is the input that moves, with value 0.5 and tangent dx = 1 (the seed: x moves by 1)" \
        in text(frames["x"])
    assert "w is an input held still in this pass: value 2, tangent dw = 0." in text(frames["w"])
    z = onp.float64(0.5)
    dz = 2.0                                                  # w · dx
    assert f"Tangent dh = cos(z)·dz = {onp.cos(z):.4g} × 2 = {onp.cos(z) * dz:.4g}" in text(frames["h"])
    assert "the local derivative ∂h/∂z times the tangent of the argument" in text(frames["h"])
    product = text(frames["neuron"])
    h, dh = onp.sin(z), onp.cos(z) * dz
    assert (f"Tangent dneuron = z·dh + h·dz = {z:.4g} × {dh:.4g} + {h:.4g} × {dz:.4g} = "
            f"{z * dh + h * dz:.4g}") in product
    assert "2 of its arguments move, so their shares add" in product
    assert "is ∂neuron/∂x, the derivative of neuron with respect to x" in product
    assert "reverse mode gives the derivative with respect to every input in one backward pass" in product
    first_product = text(next(f for f in s.steps if f.node.op == "multiply"))
    assert "Tangent dv3 = w·dx = 2 × 1 = 2" in first_product and "w is held still: dw = 0" in first_product


def test_fan_out_tangents_add():
    def f(x):
        return np.sin(x) * x
    s = step_through(f, 0.7, mode="forward")
    last = s.steps[-1]
    expected = onp.cos(0.7) * 0.7 + onp.sin(0.7)
    assert float(last.tangent) == pytest.approx(expected, rel=1e-12)
    assert float(last.tangent) == pytest.approx(float(make_jvp(f)(0.7)(1.0)[1]), rel=1e-12)
    assert "shares add" in text(last)

    def square(x):
        return x * x
    t = text(step_through(square, 3.0, mode="forward").steps[-1])
    assert "Tangent dsquare = x·dx + x·dx = 3 × 1 + 3 × 1 = 6" in t
    assert "x is used more than once here" in t


def test_small_arrays_with_a_chosen_tangent():
    def layer(W, x):
        a = W @ x
        return np.tanh(a), a
    W = onp.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]])
    x = onp.array([1.0, 2.0, 3.0])
    v = onp.array([0.5, -1.0, 2.0])
    s = step_through(lambda W, x: layer(W, x)[0], W, x, mode="forward", wrt=1, tangent=v)
    (_, (d_out, d_a)) = make_jvp(layer, 1)(W, x)(v)
    frames = {f.node.op: f for f in s.steps}
    assert onp.allclose(frames["matmul"].tangent, d_a, rtol=1e-12, atol=0)
    assert onp.allclose(frames["tanh"].tangent, d_out, rtol=1e-12, atol=0)
    matmul = text(frames["matmul"])
    assert "Tangent da = W @ dx = " in matmul and "(shape (2,))" in matmul
    assert "(1 - tanh²(a)) * da (elementwise)" in text(frames["tanh"])
    assert "the seed chosen with tangent=" in text(s.steps[0])
    assert "along that tangent" in text(s.steps[-1])


def test_array_default_moves_the_first_entry():
    def f(x):
        return np.sum(x * x)
    x = onp.array([1.0, 2.0, 3.0])
    s = step_through(f, x, mode="forward")
    assert onp.array_equal(s.steps[0].tangent, [1.0, 0.0, 0.0])
    assert float(s.steps[-1].tangent) == pytest.approx(float(grad(f)(x)[0]))
    assert "x[0] moves by 1, every other entry of x stays" in text(s.steps[0])
    assert "Each of the 3 entries of x needs a forward pass of its own" in text(s.steps[-1])


def test_array_output_is_one_column_of_the_jacobian():
    s = step_through(lambda x: np.sin(x) * 2.0, onp.array([0.1, 0.2]), mode="forward")
    assert onp.allclose(s.steps[-1].tangent, [2 * onp.cos(0.1), 0.0])
    assert "one column of the Jacobian" in text(s.steps[-1])


def test_container_input_and_a_tangent_in_another_key_order():
    def f(p):
        return np.tanh(p["W"] @ p["x"] + p["b"])
    p = {"W": onp.array([[0.5, -1.0]]), "x": onp.array([1.0, 2.0]), "b": 0.25}
    v = {"b": 1.0, "x": onp.array([0.0, 1.0]), "W": onp.zeros((1, 2))}
    s = step_through(f, p, mode="forward", tangent=v)
    ordered = {"W": v["W"], "x": v["x"], "b": v["b"]}
    expected = make_jvp(f)(p)(ordered)[1]
    assert onp.allclose(s.steps[-1].tangent, expected, rtol=1e-12)
    tangents = {f.node.name: f.tangent for f in s.steps if f.node.fun is None}
    assert float(tangents["p['b']"]) == 1.0 and onp.array_equal(tangents["p['x']"], [0.0, 1.0])
    default = step_through(f, p, mode="forward")
    assert "p['W'][0, 0] moves by 1, every other entry of p stays" in text(default.steps[0])
    with pytest.raises(ArgumentError, match=r"p\['x'\] has shape \(3,\), but p\['x'\] has shape \(2,\)"):
        step_through(f, p, mode="forward", tangent={**v, "x": onp.ones(3)})
    with pytest.raises(ArgumentError, match="a dict with keys 'W', 'x'"):
        step_through(f, p, mode="forward", tangent={"W": v["W"], "x": v["x"]})


def test_two_arguments_wrt_one_by_position_and_by_name():
    def f(x, y):
        a = np.sin(x)
        return a + x * y
    s = step_through(f, 0.3, 2.0, mode="forward", wrt=1)
    assert float(s.steps[-1].tangent) == pytest.approx(float(make_jvp(f, 1)(0.3, 2.0)(1.0)[1]))
    assert float(s.steps[-1].tangent) == pytest.approx(0.3)
    a = next(fr for fr in s.steps if fr.node.name == "a")
    assert float(a.tangent) == 0.0
    assert "Tangent da = 0: none of its arguments moves in this pass." in text(a)
    named = step_through(f, 0.3, 2.0, mode="forward", wrt="y")
    assert [fr.explanation for fr in named.steps] == [fr.explanation for fr in s.steps]


def test_integer_input_is_refused_as_grad_refuses_it():
    with pytest.raises(NotDifferentiableInputError) as from_grad:
        grad(lambda x: x * 2.0)(2)
    with pytest.raises(NotDifferentiableInputError) as from_stepper:
        step_through(lambda x: x * 2.0, 2, mode="forward")
    assert str(from_stepper.value) == str(from_grad.value)
    with pytest.raises(NotDifferentiableInputError, match="y: it is int"):
        step_through(lambda x, y: x * y, 2.0, 3, mode="forward", wrt=1)


def test_modes_and_options_explain_themselves():
    with pytest.raises(StepperError, match="no mode='sideways'") as e:
        step_through(np.sin, 1.0, mode="sideways")
    assert "Reverse mode" in str(e.value) and "Forward mode" in str(e.value)
    assert "mode='reverse' or mode='forward'" in str(e.value)
    with pytest.raises(StepperError, match="does not support seed="):
        step_through(np.sin, 1.0, mode="forward", seed=1.0)
    with pytest.raises(StepperError, match="does not support summary=True"):
        step_through(np.sin, 1.0, mode="forward", summary=True)
    with pytest.raises(StepperError, match="does not support several moving arguments"):
        step_through(lambda x, y: x * y, 1.0, 2.0, mode="forward", wrt=[0, 1])
    with pytest.raises(StepperError, match="tangent= was given, but the stepper is in reverse mode"):
        step_through(np.sin, 1.0, tangent=1.0)
    with pytest.raises(StepperError, match="is tangent=, not direction="):
        step_through(np.sin, onp.ones(2), mode="forward", direction=onp.ones(2))
    with pytest.raises(StepperError, match="returned a tuple"):
        step_through(lambda x: (x, x * 2.0), 1.0, mode="forward")
    with pytest.raises(ArgumentError, match="has no argument called 'z'"):
        step_through(lambda x, y: x * y, 1.0, 2.0, mode="forward", wrt="z")


def test_reverse_mode_is_still_the_default():
    s = step_through(neuron, *ARGS)
    assert s.mode == "reverse" and s.steps[-1].phase == "backward"
    assert all(f.tangent is None for f in s.steps)


def test_frames_show_value_and_tangent_together():
    s = step_through(neuron, *ARGS, mode="forward", wrt=1)
    n = len(s.graph.nodes)
    assert len(s.steps) == n and all(f.phase == "forward" for f in s.steps)
    first, last = s.steps[0].css, s.steps[-1].css
    assert "opacity:0.07" in first and "opacity" not in last
    assert "visibility:hidden" not in first + last           # no gradient rows to hide
    product = s.steps[-1]
    for _, parent in product.node.parents:                   # the tangents arriving are highlighted
        assert f"#{s.scope}e{parent.id}_{product.node.id}_" in product.css
    assert HIGHLIGHT in product.css
    # the drawing: tangent rows in their own colour, no gradient row anywhere
    source = s.frame_drawing(n - 1).source
    assert source.count(TANGENT_COLOR) == n and GRAD_COLOR not in source and "∂" not in source
    assert "tangent dx = 1  (seed)" in source and "tangent dw = 0" in source
    assert "Forward mode: each node shows its value and, in blue, its tangent" in source
    assert "tangent dneuron = " in s.svg


def test_widget_and_html_show_a_forward_stepper(tmp_path):
    s = step_through(neuron, *ARGS, mode="forward", wrt=1)
    w = s.widget
    assert w.label.value == "<b>forward 1/7</b>"
    w.next_button.click()
    assert s.index == 1 and "forward 2/7" in w.label.value and "held still" in w.explanation.value
    w.last_button.click()
    assert s.index == 6 and "dneuron" in w.explanation.value and s.frame_html() in w.picture.value
    page = (s.save_html(tmp_path / "forward.html")).read_text(encoding="utf-8")
    assert page.count('"title": "forward ') == 7 and "tangent dneuron" in page


def test_a_primitive_without_a_formula_or_a_tangent_rule():
    @primitive
    def cube(x):
        return x ** 3
    defvjp(cube, lambda ans, x: lambda g: g * 3 * x ** 2)      # forward mode derives its tangent
    s = step_through(lambda x: cube(x) + 1.0, 2.0, mode="forward")
    assert "Tangent dv1 = ∂v1/∂x·dx = 12 × 1 = 12" in text(s.steps[1])
    assert float(s.steps[-1].tangent) == 12.0


def test_forward_through_a_recorded_backward_pass():
    def f(x):
        return np.sin(x) * x
    s = step_through(grad(f), 0.7, mode="forward")
    assert float(s.steps[-1].tangent) == pytest.approx(float(grad(grad(f))(0.7)), rel=1e-12)
    assert float(s.steps[-1].tangent) == pytest.approx(float(make_jvp(grad(f))(0.7)(1.0)[1]), rel=1e-12)
