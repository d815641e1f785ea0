#!/usr/bin/env python
"""Workloads from real programs: the gradient functions of autograd 1.9.1's examples.

``neural_net.py``, ``rnn.py``, ``gmm.py``, ``black_box_svi.py`` and ``ica.py``
are read from autograd's sdist (the one tests/autograd_suite/prepare.py fetches
and caches in ``.autograd_suite_cache/``) and loaded twice as modules: once as
written, and once with only their imports changed to teachgrad (the same
rewrite the compatibility tests use). Each example's own functions build the
objective; the few lines of glue below mirror the example's ``__main__`` block
(which also plots and optimises, and is not run).

What is timed is ONE call of the gradient function the example hands to its
optimiser, not the optimisation: two libraries that round differently may
take different paths and numbers of iterations, which would compare nothing.
Both libraries' gradients must agree before anything is timed.

Usage:
    .venv/bin/python benchmarks/autograd_examples.py           # full run
    .venv/bin/python benchmarks/autograd_examples.py --quick
    .venv/bin/python benchmarks/autograd_examples.py --only gmm_hvp
"""
from __future__ import annotations

import argparse
import os
import sys
import tarfile
import types

import numpy as onp

import harness
from harness import AUTOGRAD, TEACHGRAD, Workload

from autograd_suite import prepare  # (tests/ is on sys.path through harness)

EXAMPLE_FILES = ("neural_net.py", "rnn.py", "gmm.py", "black_box_svi.py", "ica.py")
HELPER_FILES = ("data_mnist.py", "data.py")    # `from data import ...` in two examples (data imports data_mnist)


def examples_folder() -> str:
    """The examples and their data helpers, extracted once next to the cached sdist."""
    folder = prepare.cache_dir() / f"examples-{prepare.VERSION}"
    if not all((folder / name).exists() for name in EXAMPLE_FILES + HELPER_FILES):
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(prepare.sdist_path()) as archive:
            for name in EXAMPLE_FILES + HELPER_FILES:
                member = archive.extractfile(f"autograd-{prepare.VERSION}/examples/{name}")
                (folder / name).write_bytes(member.read())
    return str(folder)


def _module_from(path: str, module_name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(module_name)
    module.__file__ = path
    exec(compile(source, path, "exec"), module.__dict__)
    return module


_loaded: dict = {}


def load(name: str, library: str) -> types.ModuleType:
    """Example ``name`` as a module running on ``library`` ("autograd" or "teachgrad")."""
    key = (name, library)
    if key in _loaded:
        return _loaded[key]
    folder = examples_folder()
    # `from data import load_mnist` / `make_pinwheel`: autograd's own helper module,
    # present in sys.modules only while the example's top level runs
    saved = {m: sys.modules.get(m) for m in ("data", "data_mnist")}
    backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"           # the examples import matplotlib.pyplot; no display
    try:
        for helper in HELPER_FILES:
            path = os.path.join(folder, helper)
            with open(path) as f:
                sys.modules[helper[:-3]] = _module_from(path, helper[:-3], f.read())
        path = os.path.join(folder, name)
        with open(path) as f:
            source = f.read()
        if library == TEACHGRAD:
            source = prepare.rewrite_imports(source)
        module = _module_from(path, f"{library}_example_{name[:-3]}", source)
        if not module.np.__name__.startswith(library):    # the rewrite missed an import
            raise RuntimeError(f"{name} loaded for {library} uses {module.np.__name__}")
        module.data_helpers = sys.modules["data"]
    finally:
        if backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = backend
        for m, old in saved.items():
            if old is None:
                sys.modules.pop(m, None)
            else:
                sys.modules[m] = old
    _loaded[key] = module
    return module


def on_example(name, build):
    """A Workload.make that loads example ``name`` for the library ``ag`` and calls build."""
    def make(np, ag, data):
        return build(load(name, ag.__name__.split(".")[0]), data)
    return make


# -- neural_net.py: grad of the MLP's objective on one MNIST-sized batch ----------------

def data_neural_net(small):
    m = load("neural_net.py", AUTOGRAD)
    sizes, batch = ([6, 5, 4, 3], 7) if small else ([784, 200, 100, 10], 256)
    params = m.init_random_params(0.1, sizes, rs=onp.random.RandomState(0))
    rng = onp.random.default_rng(0)
    images = rng.random((batch, sizes[0]))       # MNIST is not downloaded: pixels in [0, 1)
    labels = onp.eye(sizes[-1])[rng.integers(0, sizes[-1], size=batch)]
    return params, images, labels


def build_neural_net(m, data):
    params, images, labels = data
    L2_reg = 1.0

    def objective(params, iter):                 # the example's, for one batch
        return -m.log_posterior(params, images, labels, L2_reg)

    objective_grad = m.grad(objective)
    return lambda: objective_grad(params, 0)


# -- rnn.py: grad of the character RNN's loss on its own source ------------------------

def data_rnn(small):
    m = load("rnn.py", AUTOGRAD)
    state, length, lines = (5, 4, 4) if small else (40, 30, 60)
    inputs = m.build_dataset(os.path.join(examples_folder(), "rnn.py"), sequence_length=length,
                             alphabet_size=128, max_lines=lines)
    params = m.create_rnn_params(input_size=128, output_size=128, state_size=state,
                                 param_scale=0.01, rs=onp.random.RandomState(0))
    return params, inputs


def build_rnn(m, data):
    params, inputs = data

    def training_loss(params, iter):
        return -m.rnn_log_likelihood(params, inputs, inputs)

    training_loss_grad = m.grad(training_loss)
    return lambda: training_loss_grad(params, 0)


# -- gmm.py: the gradient and the Hessian-vector product Newton-CG asks for -----------

def data_gmm(small):
    m = load("gmm.py", AUTOGRAD)
    components, per_class = (2, 4) if small else (10, 100)
    params = m.init_gmm_params(num_components=components, D=2, scale=0.1,
                               rs=onp.random.RandomState(0))
    points = m.data_helpers.make_pinwheel(radial_std=0.3, tangential_std=0.05, num_classes=3,
                                          num_per_class=per_class, rate=0.4,
                                          rs=onp.random.RandomState(0))
    n_flat = sum(onp.size(v) for v in params.values())
    direction = onp.random.default_rng(1).standard_normal(n_flat)
    return params, points, direction


def _gmm_objective(m, data):
    params, points, _ = data

    def objective(params):
        return -m.gmm_log_likelihood(params, points)

    flattened_obj, _, flat_params = m.flatten_func(objective, params)
    return flattened_obj, flat_params


def build_gmm_grad(m, data):
    flattened_obj, flat_params = _gmm_objective(m, data)
    jac = m.grad(flattened_obj)
    return lambda: jac(flat_params)


def build_gmm_hvp(m, data):
    flattened_obj, flat_params = _gmm_objective(m, data)
    hessp = m.hessian_vector_product(flattened_obj)
    return lambda: hessp(flat_params, data[2])


# -- black_box_svi.py: the stochastic gradient of the variational objective -----------

def data_black_box_svi(small):
    return 2, (10 if small else 2000)


def build_black_box_svi(m, data):
    D, num_samples = data

    def log_density(x, t):                       # the example's target density
        mu, log_sigma = x[:, 0], x[:, 1]
        sigma_density = m.norm.logpdf(log_sigma, 0, 1.35)
        mu_density = m.norm.logpdf(mu, 0, m.np.exp(log_sigma))
        return sigma_density + mu_density

    # a fresh closure per side: its RandomState(0) draws the same samples on the first call
    _, gradient, _ = m.black_box_variational_inference(log_density, D, num_samples=num_samples)
    params = onp.concatenate([-1 * onp.ones(D), -5 * onp.ones(D)])
    return lambda: gradient(params, 0)


# -- ica.py: value_and_grad of the ICA objective that scipy's CG minimises -------------

def data_ica(small):
    m = load("ica.py", AUTOGRAD)
    observed, latent, n_samples = (5, 2, 6) if small else (100, 2, 200)
    _, sample, _, _ = m.make_ica_funs(observed, latent)
    true_weights = onp.zeros((observed, latent))
    for i in range(latent):
        true_weights[:, i] = onp.sin(onp.linspace(0, 4 + i * 3.2, observed))
    _, observations = sample(true_weights, n_samples, 1.0, onp.random.RandomState(0))
    total = observed * latent + latent * n_samples + 1
    return (observed, latent, n_samples), observations, onp.random.RandomState(0).randn(total)


def build_ica(m, data):
    (observed, latent, n_samples), observations, init_params = data
    num_weights, _, logprob, unpack_weights = m.make_ica_funs(observed, latent)
    num_latent_params = latent * n_samples

    def unpack_params(params):
        weights = unpack_weights(params[:num_weights])
        latents = m.np.reshape(params[num_weights:num_weights + num_latent_params],
                               (latent, n_samples))
        return weights, latents, m.np.exp(params[-1])

    def objective(params):
        weight_matrix, latents, noise_std = unpack_params(params)
        return -logprob(weight_matrix, latents, noise_std, observations) / n_samples

    vg = m.value_and_grad(objective)
    return lambda: vg(init_params)


WORKLOADS = [
    Workload("ex_neural_net", "neural_net.py: grad of the 784-200-100-10 MLP's objective, batch 256",
             data_neural_net, on_example("neural_net.py", build_neural_net),
             label="`neural_net.py`: MLP 784-200-100-10, one batch of 256", repeats=31,
             target=(AUTOGRAD, 1.0)),
    Workload("ex_rnn", "rnn.py: grad of the character RNN's loss (30 steps, 40 hidden, 128 chars)",
             data_rnn, on_example("rnn.py", build_rnn),
             label="`rnn.py`: character RNN, 30 steps", repeats=31, target=(AUTOGRAD, 1.0)),
    Workload("ex_gmm_grad", "gmm.py: grad of the flattened GMM objective (10 components, 300 points)",
             data_gmm, on_example("gmm.py", build_gmm_grad),
             label="`gmm.py`: gradient (Newton-CG's `jac`)", repeats=31, target=(AUTOGRAD, 1.0)),
    Workload("ex_gmm_hvp", "gmm.py: hessian_vector_product of the same objective",
             data_gmm, on_example("gmm.py", build_gmm_hvp),
             label="`gmm.py`: Hessian-vector product (Newton-CG's `hessp`)", repeats=31,
             target=(AUTOGRAD, 1.0)),
    Workload("ex_black_box_svi", "black_box_svi.py: grad of the variational objective, 2000 samples",
             data_black_box_svi, on_example("black_box_svi.py", build_black_box_svi),
             label="`black_box_svi.py`: variational objective, 2,000 samples", repeats=51,
             target=(AUTOGRAD, 1.0)),
    Workload("ex_ica", "ica.py: value_and_grad of the ICA objective (100x2 weights, 200 samples)",
             data_ica, on_example("ica.py", build_ica),
             label="`ica.py`: value and gradient, 601 parameters", repeats=51,
             target=(AUTOGRAD, 1.0)),
]

BUDGET_S = {"full": 30.0, "quick": 3.0}


def print_summary(workloads, results, title="autograd's examples"):
    by_name = {w.name: w for w in workloads}
    print()
    print(f"{title} (medians of one gradient call; ratio = teachgrad / autograd)")
    header = f"{'workload':19s} {'n':>3s} {'autograd':>10s} {'teachgrad':>10s} {'tg/ag':>6s}  target"
    print(header)
    print("-" * len(header))
    for r in results:
        verdict = harness.target_verdict(by_name[r.name], r)
        target = f"{verdict[0]} {'met' if verdict[1] else 'NOT met'}" if verdict else ""
        if r.agree is False:
            target = f"DIFFER: {r.disagreement}"
        print(f"{r.name:19s} {r.n:3d} {harness.fmt_time(r.times.get(AUTOGRAD)):>10s} "
              f"{harness.fmt_time(r.times.get(TEACHGRAD)):>10s} "
              f"{harness.fmt_ratio(r.ratio(TEACHGRAD, AUTOGRAD)):>6s}  {target}")
        for side, message in r.errors.items():
            print(f"    {side} ERROR: {message}")


def run(workloads, mode="full", repeats=None, isolate=True, blas_threads=None):
    """Run the workloads, each in its own process unless ``isolate`` is False (see harness)."""
    try:
        examples_folder()
    except prepare.Unavailable as why:
        print(f"autograd's examples are not available ({why}); this family is skipped")
        return []
    return harness.run_family(workloads, "autograd_examples", mode, repeats, BUDGET_S[mode],
                              isolate, blas_threads)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="few repeats (smoke test)")
    ap.add_argument("--only", action="append", metavar="NAME", choices=[w.name for w in WORKLOADS])
    ap.add_argument("--repeats", type=int, default=None, help="timed calls per side")
    harness.add_run_arguments(ap)
    args = ap.parse_args(argv)
    harness.run_script(args, WORKLOADS, run, print_summary)
    return 0


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
    sys.exit(0)
