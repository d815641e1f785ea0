"""Code written for HIPS autograd runs with the import changed, and gives the same numbers."""
import importlib
import types

import numpy as onp
import pytest

PROGRAM = '''
import autograd.numpy as np
import autograd.numpy.random as npr
from autograd import grad, value_and_grad, hessian, elementwise_grad, jacobian
from autograd.misc.optimizers import adam
from autograd.misc.flatten import flatten
from autograd.scipy.special import logsumexp
from autograd.scipy.stats import norm
from autograd.extend import primitive, defvjp

def init(scale, sizes, rs=npr.RandomState(0)):
    return [(scale * rs.randn(m, n), scale * rs.randn(n)) for m, n in zip(sizes[:-1], sizes[1:])]

def predict(params, inputs):
    for W, b in params:
        outputs = np.dot(inputs, W) + b
        inputs = np.tanh(outputs)
    return outputs - logsumexp(outputs, axis=1, keepdims=True)

rs = npr.RandomState(1)
X = rs.randn(20, 3)
Y = np.eye(2)[rs.randint(0, 2, 20)]
params = init(0.5, [3, 4, 2])

def objective(params, i):
    return -np.sum(predict(params, X) * Y) + np.sum(norm.logpdf(flatten(params)[0], 0.0, 2.0) ** 2) * 1e-3

trained = adam(grad(objective), params, step_size=0.05, num_iters=30)
loss, g = value_and_grad(objective)(trained, 0)

@primitive
def softplus(x):
    return np.logaddexp(0.0, x)
defvjp(softplus, lambda ans, x: lambda g: g / (1.0 + np.exp(-x)))

x0 = np.array([0.3, -1.2, 2.0])
result = {
    "loss": loss,
    "grad": flatten(g)[0],
    "hessian": hessian(lambda x: np.sum(softplus(x) ** 3))(x0),
    "egrad": elementwise_grad(np.tanh)(x0),
    "jacobian": jacobian(lambda x: np.sin(x) * x[0])(x0),
}
'''


def run(library):
    namespace = {}
    exec(PROGRAM.replace("autograd", library), namespace)
    return namespace["result"]


def test_an_autograd_program_runs_unchanged_and_agrees():
    pytest.importorskip("scipy")
    mine = run("teachgrad")
    theirs = run("autograd")
    for key in theirs:
        onp.testing.assert_allclose(mine[key], theirs[key], rtol=1e-9, atol=1e-12, err_msg=key)


# Internal helpers of autograd that user code does not touch.
INTERNAL = {"JVPNode", "VJPNode", "OrderedDict", "atuple", "unary_to_nary", "wraps", "partial"}


@pytest.mark.parametrize("module", ["", ".extend", ".misc", ".misc.optimizers", ".test_util",
                                    ".scipy.stats", ".differential_operators"])
def test_public_names_exist(module):
    theirs = importlib.import_module("autograd" + module)
    mine = importlib.import_module("teachgrad" + module)
    names = {n for n in dir(theirs) if not n.startswith("_")
             and not isinstance(getattr(theirs, n), types.ModuleType)}
    if module in (".differential_operators", ".test_util"):
        # these modules re-export engine internals; only their own functions count
        names = {n for n in names if getattr(getattr(theirs, n), "__module__", "") == theirs.__name__}
    missing = sorted(names - INTERNAL - set(dir(mine)))
    assert not missing, f"teachgrad{module} lacks {missing}"
