"""teachgrad.misc: flatten, the optimizers, fixed_point, checkpoint, const_graph.

Each is compared with autograd.misc (same numbers, same callback calls) and
its gradients are checked against finite differences.
"""
import warnings
from collections import namedtuple

import numpy as onp
import pytest

from gradcheck import check_grads

import teachgrad.numpy as np
from teachgrad import grad, hessian
from teachgrad.misc import checkpoint, const_graph, flatten, flatten_func
from teachgrad.misc.fixed_points import fixed_point
from teachgrad.misc.optimizers import adam, rmsprop, sgd

Pair = namedtuple("Pair", "first second")


def nested(seed=0):
    rng = onp.random.default_rng(seed)
    return {"layers": [{"W": rng.normal(size=(2, 3)), "b": rng.normal(size=3)},
                       (rng.normal(size=2), 0.5)],
            "scale": 1.5, "pair": Pair(rng.normal(size=(1, 2)), -0.25)}


# --------------------------------------------------------------------------
# flatten
# --------------------------------------------------------------------------

def assert_same_structure(a, b):
    assert type(a) is type(b) or (isinstance(a, float) and isinstance(b, float))
    if isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            assert_same_structure(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same_structure(x, y)
    else:
        assert onp.shape(a) == onp.shape(b)
        onp.testing.assert_array_equal(a, b)


def test_flatten_round_trip():
    value = nested()
    vector, unflatten = flatten(value)
    assert vector.shape == (6 + 3 + 2 + 1 + 1 + 2 + 1,)
    assert_same_structure(unflatten(vector), value)
    assert_same_structure(flatten_func(lambda v: v, value)[1](vector), value)


def test_flatten_order_is_autograds():
    from autograd.misc import flatten as ag_flatten
    value = {"b": [1.0, onp.array([2.0, 3.0])], "a": (onp.ones((2, 2)), 4.0)}
    ours, unflatten = flatten(value)
    theirs, ag_unflatten = ag_flatten(value)
    onp.testing.assert_array_equal(ours, theirs)
    v = onp.arange(8.0)
    mine, ag = unflatten(v), ag_unflatten(v)
    onp.testing.assert_array_equal(mine["a"][0], ag["a"][0])
    onp.testing.assert_array_equal(mine["b"][1], ag["b"][1])
    assert float(mine["b"][0]) == float(ag["b"][0])


def test_flatten_empty_and_scalar_and_errors():
    vector, unflatten = flatten([])
    assert vector.shape == (0,) and unflatten(vector) == []
    vector, unflatten = flatten(3.0)
    assert vector.shape == (1,) and float(unflatten(vector * 2)) == 6.0
    with pytest.raises(TypeError, match="str"):
        flatten({"a": "text"})
    with pytest.raises(ValueError, match="length 2"):
        flatten([1.0, 2.0])[1](onp.zeros(3))


def test_flatten_and_unflatten_are_differentiable():
    value = nested()

    def through_flatten(params):
        vector, _ = flatten(params)
        return np.sum(np.sin(vector) * np.arange(vector.shape[0]))

    g = grad(through_flatten)(value)
    vector, unflatten = flatten(value)
    expected = unflatten(onp.cos(vector) * onp.arange(vector.shape[0]))
    onp.testing.assert_allclose(flatten(g)[0], flatten(expected)[0], rtol=1e-12)

    def through_unflatten(vector):
        p = unflatten(vector)
        return np.sum(p["layers"][0]["W"] ** 2) * p["scale"] + p["pair"].second ** 3

    check_grads(through_unflatten, vector)


# --------------------------------------------------------------------------
# optimizers
# --------------------------------------------------------------------------

TARGET = {"w": onp.array([1.0, -2.0]), "b": 0.5}


def quadratic(params, i):
    return np.sum((params["w"] - TARGET["w"]) ** 2) + (params["b"] - TARGET["b"]) ** 2


@pytest.mark.parametrize("optimizer, options", [
    (sgd, dict(num_iters=300, step_size=0.1)),
    (rmsprop, dict(num_iters=300, step_size=0.05)),
    (adam, dict(num_iters=300, step_size=0.1)),
])
def test_optimizers_minimize_a_quadratic(optimizer, options):
    calls = []

    def callback(params, i, g):
        assert set(params) == {"w", "b"} and set(g) == {"w", "b"}
        calls.append(i)

    start = {"w": onp.zeros(2), "b": 0.0}
    result = optimizer(grad(quadratic), start, callback=callback, **options)
    assert calls == list(range(options["num_iters"]))
    onp.testing.assert_allclose(result["w"], TARGET["w"], atol=2e-2)
    assert abs(result["b"] - TARGET["b"]) < 2e-2


@pytest.mark.parametrize("name", ["sgd", "rmsprop", "adam"])
def test_optimizers_take_autograds_steps(name):
    import autograd
    import autograd.misc.optimizers as ag_optimizers
    import teachgrad.misc.optimizers as optimizers

    def loss(p, i):
        return np.sum(np.sin(p[0]) * p[1]) + 0.1 * i * np.sum(p[0] ** 2)

    def ag_loss(p, i):
        return autograd.numpy.sum(autograd.numpy.sin(p[0]) * p[1]) + 0.1 * i * autograd.numpy.sum(p[0] ** 2)

    start = [onp.array([0.3, -0.2]), onp.array([1.0, 2.0])]
    seen, ag_seen = [], []
    ours = getattr(optimizers, name)(grad(loss), start, lambda x, i, g: seen.append((i, g[0].copy())),
                                     num_iters=7, step_size=0.05)
    theirs = getattr(ag_optimizers, name)(autograd.grad(ag_loss), start,
                                          lambda x, i, g: ag_seen.append((i, g[0].copy())),
                                          num_iters=7, step_size=0.05)
    for a, b in zip(ours, theirs):
        onp.testing.assert_allclose(a, b, rtol=1e-12)
    assert [i for i, _ in seen] == [i for i, _ in ag_seen]
    for (_, a), (_, b) in zip(seen, ag_seen):
        onp.testing.assert_allclose(a, b, rtol=1e-12)


def test_optimizer_can_be_differentiated_with_respect_to_the_step_size():
    def final_loss(step_size):
        x = sgd(lambda x, i: 2.0 * (x - 3.0), np.zeros(1), num_iters=5, step_size=step_size)
        return np.sum((x - 3.0) ** 2)

    check_grads(final_loss, 0.3, order=1)


# --------------------------------------------------------------------------
# fixed_point
# --------------------------------------------------------------------------

def newton_sqrt(a):
    return lambda x: 0.5 * (x + a / x)


def distance(x, y):
    return np.abs(x - y)


def test_fixed_point_gradient_is_implicit():
    sqrt = lambda a: fixed_point(newton_sqrt, a, 1.0, distance, 1e-12)   # noqa: E731
    assert abs(sqrt(2.0) - onp.sqrt(2.0)) < 1e-12
    assert abs(grad(sqrt)(2.0) - 0.5 / onp.sqrt(2.0)) < 1e-9
    assert abs(grad(grad(sqrt))(2.0) - (-0.25 * 2.0 ** -1.5)) < 1e-7
    from autograd import grad as ag_grad
    from autograd.misc.fixed_points import fixed_point as ag_fixed_point
    theirs = ag_grad(lambda a: ag_fixed_point(newton_sqrt, a, 1.0, lambda x, y: abs(x - y), 1e-12))(2.0)
    assert abs(grad(sqrt)(2.0) - theirs) < 1e-10


def test_fixed_point_with_parameters_in_a_dict():
    def step(params):
        return lambda x: params["w"] * np.tanh(x) + params["b"]

    def solution(params):
        return np.sum(fixed_point(step, params, np.zeros(2), lambda x, y: np.max(np.abs(x - y)), 1e-13))

    params = {"w": onp.array([0.5, -0.3]), "b": onp.array([0.2, 0.4])}
    g = grad(solution)(params)

    def unrolled(params):
        x = np.zeros(2)
        for _ in range(200):
            x = params["w"] * np.tanh(x) + params["b"]
        return np.sum(x)

    g_unrolled = grad(unrolled)(params)
    onp.testing.assert_allclose(g["w"], g_unrolled["w"], rtol=1e-8)
    onp.testing.assert_allclose(g["b"], g_unrolled["b"], rtol=1e-8)


# --------------------------------------------------------------------------
# checkpoint and const_graph
# --------------------------------------------------------------------------

def block(x, W):
    return np.tanh(np.dot(np.tanh(np.dot(x, W)), W.T))


def test_checkpoint_gives_the_same_gradients():
    x, W = onp.random.default_rng(1).normal(size=(2, 3)), onp.random.default_rng(2).normal(size=(3, 3))
    saved = checkpoint(block)
    loss = lambda x, W, f: np.sum(f(x, W) ** 2)   # noqa: E731
    for argnum in (0, 1):
        onp.testing.assert_allclose(grad(loss, argnum)(x, W, saved), grad(loss, argnum)(x, W, block),
                                    rtol=1e-12)
    h_saved = hessian(lambda W: loss(x, W, saved))(W)
    h_plain = hessian(lambda W: loss(x, W, block))(W)
    onp.testing.assert_allclose(h_saved, h_plain, rtol=1e-10, atol=1e-12)
    check_grads(lambda x, W: loss(x, W, saved), x, W)

    from teachgrad import trace
    graph = trace(lambda x, W: np.sum(saved(x, W)), x, W)
    assert [node.op for node in graph.nodes] == ["input", "input", "block", "sum"]


def test_checkpoint_matches_autograds_checkpoint():
    import autograd
    from autograd.differential_operators import checkpoint as ag_checkpoint
    ag_block = lambda x, W: autograd.numpy.tanh(autograd.numpy.dot(x, W))   # noqa: E731
    our_block = lambda x, W: np.tanh(np.dot(x, W))                          # noqa: E731
    x, W = onp.ones((2, 3)), onp.eye(3) * 0.5
    ours = grad(lambda W: np.sum(checkpoint(our_block)(x, W) ** 3))(W)
    theirs = autograd.grad(lambda W: autograd.numpy.sum(ag_checkpoint(ag_block)(x, W) ** 3))(W)
    onp.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_const_graph_replays_and_can_be_differentiated():
    def f(x, y):
        return np.sum(np.sin(x) * y) + np.sum(x ** 2)

    fast = const_graph(f)
    x, y = onp.array([0.1, 0.2]), onp.array([1.0, -1.0])
    assert fast(x, y) == f(x, y)                    # records
    x2 = onp.array([0.7, -0.3])
    assert abs(fast(x2, y) - f(x2, y)) < 1e-15      # replays on new values
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        onp.testing.assert_allclose(grad(fast)(x2, y), grad(f)(x2, y), rtol=1e-12)
    with pytest.raises(ValueError, match="does not depend"):
        const_graph(lambda x: 1.0)(2.0)
