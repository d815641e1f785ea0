"""Node by node (checking/nodes.py): the step of the chain rule where a mistake entered,
names from the graph and from f's local variables, and how a matrix product is read.
"""
import sys

import numpy as onp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import teachgrad.numpy as np
from teachgrad import check_grad, name, trace

from checking_helpers import kinds, X, W, B, layer_loss, hand, dW


def test_node_by_node_all_right_in_backward_order():
    report = check_grad(layer_loss, hand(W, B, X), W, B, X)
    assert report and report.first_wrong is None
    assert [i.name for i in report.items] == ["h", "z", "b", "W"]   # local names, backward


def test_node_by_node_points_to_the_first_wrong_step():
    g = hand(W, B, X)
    wrong_dz = g["h"]                                   # forgot the local derivative of tanh
    given = {"W": X.T @ wrong_dz, "b": wrong_dz.sum(0), "z": wrong_dz, "h": g["h"]}
    report = check_grad(layer_loss, given, W, B, X)
    assert not report and report.first_wrong == "z"
    status = {i.name: (i.status, i.label) for i in report.items}
    assert status["h"][0] == "pass"
    assert status["z"] == ("fail", "the mistake entered here")
    assert status["W"][0] == "fail" and "follows from your answers" in status["W"][1]
    assert report.item("z").diagnoses[0].kind == "pass_through"
    text = str(report)
    assert "the mistake entered at z" in text and "tanh" in text
    assert "(local derivative 1 - tanh²(z))" in text and "z = (x @ W) + b" in text


def test_node_by_node_a_second_mistake_is_told_apart():
    g = hand(W, B, X)
    wrong_dz = g["h"]
    report = check_grad(layer_loss, {"z": wrong_dz, "W": -(X.T @ wrong_dz)}, W, B, X)
    assert report.first_wrong == "z"
    item = report.item("W")
    assert item.label == "a new mistake here" and [d.kind for d in item.diagnoses] == ["sign"]


def test_node_names_from_trace_and_from_teachgrad_name():
    def net(W, x):
        z = name(x @ W, "z")
        return np.sum(np.tanh(z))
    g = trace(net, W, X)
    assert [n.name for n in g.nodes] == ["W", "x", "z", "v3", "net"]    # the output: f's name
    t = onp.tanh(X @ W)
    assert check_grad(net, {"v3": onp.ones_like(t), "z": 1 - t ** 2}, W, X)
    report = check_grad(net, {"z": onp.ones_like(t)}, W, X)
    assert report.first_wrong == "z"


def test_local_variable_names_and_profile_restored():
    def loss(W, x):
        scores = x @ W
        probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
        total = -np.sum(np.log(probs[:, 0]))
        return total
    p = onp.exp(X @ W) / onp.exp(X @ W).sum(1, keepdims=True)
    dscores = p.copy()
    dscores[:, 0] -= 1
    sentinel = sys.getprofile()
    assert check_grad(loss, {"total": 1.0, "scores": dscores, "W": X.T @ dscores}, W, X)
    assert sys.getprofile() is sentinel
    report = check_grad(loss, {"scores": p, "W": X.T @ p}, W, X)
    assert report.first_wrong == "scores"


def test_local_names_come_from_the_trace_without_a_profile_hook(monkeypatch):
    # trace records f's local variable names itself: check_grad never profiles f
    def no_profiling(_):
        raise AssertionError("sys.setprofile was called")
    monkeypatch.setattr(sys, "setprofile", no_profiling)
    g = hand(W, B, X)
    assert check_grad(layer_loss, {"W": g["W"], "z": g["z"], "h": g["h"]}, W, B, X)
    assert check_grad(layer_loss, {"z": 2 * g["z"]}, W, B, X).first_wrong == "z"


def test_unknown_name_lists_the_names_that_exist():
    report = check_grad(layer_loss, {"hidden": onp.ones((5, 2))}, W, B, X)
    item = report.item("hidden")
    assert item.status == "missing" and not report
    assert "z" in item.error and "h" in item.error and "teachgrad.name" in item.error


def test_node_by_node_structured_argument():
    def loss(params, x):
        return layer_loss(params["W"], params["b"], x)
    g = hand(W, B, X)
    params = {"W": W, "b": B}
    assert check_grad(loss, {"params": {"W": g["W"], "b": g["b"]}}, params, X)
    report = check_grad(loss, {"params['b']": 2 * g["b"]}, params, X)
    assert kinds(report) == ["factor"]


def test_transposed_hint_follows_how_the_argument_is_used():
    Wm = onp.ones((3, 3)) + onp.eye(3)
    x = onp.array([1.0, 2.0, 3.0])
    report = check_grad(lambda W, x: np.sum((W @ x) ** 2),
                        lambda W, x: onp.outer(x, 2 * (W @ x)), Wm, x)
    assert kinds(report) == ["transposed"]
    text = report.diagnoses[0].text
    assert "x @ W" not in text and "x.T @ dy" not in text
    assert "W is the left factor" in text and "np.outer(dy, x)" in text
    # the right factor: y = x @ W
    report = check_grad(lambda W, x: np.sum((x @ W) ** 2),
                        lambda W, x: onp.outer(2 * (x @ W), x), Wm, x)
    text = report.diagnoses[0].text
    assert kinds(report) == ["transposed"] and "W is the right factor" in text
    assert "x.T @ dy" in text and "np.outer(x, dy)" in text
    # a rectangular W used as x @ W (the shape is wrong too)
    report = check_grad(layer_loss, lambda W, b, x: dW(W, b, x).T, W, B, X)
    assert kinds(report) == ["shape", "transposed"]
    assert "W is the right factor" in report.diagnoses[1].text
    # not a plain matrix product: a neutral hint
    report = check_grad(lambda W, x: np.sum(np.sin(W.T @ x)),
                        lambda W, x: onp.outer(onp.cos(W.T @ x), x), Wm + onp.triu(Wm), x)
    text = report.diagnoses[0].text
    assert kinds(report)[0] == "transposed" and "A @ B" in text and "left factor" not in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 4), d=st.integers(1, 4), k=st.integers(1, 4), seed=st.integers(0, 10 ** 6))
def test_random_layers_node_by_node_and_diagnoses(n, d, k, seed):
    rng = onp.random.default_rng(seed)
    x, W_, b, c = (rng.standard_normal((n, d)), rng.standard_normal((d, k)),
                   rng.standard_normal(k), rng.standard_normal((n, k)))

    def f(W, b):
        z = x @ W + b
        return np.sum(c * np.tanh(z))

    t = onp.tanh(x @ W_ + b)
    dz = c * (1 - t ** 2)
    right = {"z": dz, "W": x.T @ dz, "b": dz.sum(0)}
    assume(onp.abs(right["W"]).max() > 1e-2 and onp.abs(right["b"]).max() > 1e-2)
    assert check_grad(f, right, W_, b)                              # node by node
    assert check_grad(f, lambda W, b: (x.T @ dz, dz.sum(0)), W_, b, argnum=(0, 1))
    # the unsummed broadcast axis, a transposed W, a wrong first step
    if n > 1:
        report = check_grad(f, lambda W, b: dz, W_, b, argnum=1)
        assert not report and "broadcast" in kinds(report)
    if d == k and not onp.allclose(right["W"], right["W"].T, rtol=1e-4, atol=1e-6):
        report = check_grad(f, lambda W, b: right["W"].T, W_, b)
        assert not report and "transposed" in kinds(report)
    wrong = {"z": -dz, "W": x.T @ -dz}
    report = check_grad(f, wrong, W_, b)
    assert report.first_wrong == "z" and "sign" in kinds(report)
    assert report.item("W").label.startswith("wrong, but it follows")
