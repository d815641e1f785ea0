"""Regenerate the README's pictures in assets/ from code.

    .venv/bin/python scripts/make_assets.py
"""
import pathlib

import numpy as onp

import teachgrad.numpy as np
from teachgrad import grad, show_graph

ASSETS = pathlib.Path(__file__).resolve().parent.parent / "assets"


def scalar_example(x, y):
    z = x * y
    h = np.sin(z)
    return h + x ** 2


def layer(W, b, x):
    z = W @ x + b
    return np.tanh(z)


def network(params, x, target):
    h = layer(params['W1'], params['b1'], x)
    out = layer(params['W2'], params['b2'], h)
    return np.sum((out - target) ** 2)


def main() -> None:
    ASSETS.mkdir(exist_ok=True)
    rng = onp.random.default_rng(0)
    params = {'W1': rng.normal(size=(3, 2)).round(2), 'b1': onp.zeros(3),
              'W2': rng.normal(size=(1, 3)).round(2), 'b2': onp.zeros(1)}
    pictures = {
        "scalar": show_graph(scalar_example, 1.0, 2.0, display=False),
        "network": show_graph(network, params, onp.array([0.5, -1.0]), onp.array([0.3]),
                              wrt="params", digits=3, display=False),
        "gradient": show_graph(grad(np.tanh), 0.5, display=False),
    }
    for name, picture in pictures.items():
        for suffix in (".svg", ".png"):
            path = picture.save(ASSETS / f"{name}{suffix}")
            print("wrote", path.relative_to(ASSETS.parent))


if __name__ == "__main__":
    main()
