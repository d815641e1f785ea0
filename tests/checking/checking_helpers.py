"""Shared by the tests of teachgrad.checking: a small network with its gradients
derived by hand, the seeded random numbers the tests draw, and ``kinds``.
"""
import numpy as onp

import teachgrad.numpy as np

RNG = onp.random.default_rng(20240601)


def kinds(report):
    return [d.kind for d in report.diagnoses]


# A small network, with its gradients derived by hand.
X = RNG.standard_normal((5, 3))
W = RNG.standard_normal((3, 2))
B = RNG.standard_normal(2)


def layer_loss(W, b, x):
    z = x @ W + b
    h = np.tanh(z)
    return np.sum(h ** 2)


def hand(W, b, x):
    h = onp.tanh(x @ W + b)
    dh = 2 * h
    dz = dh * (1 - h ** 2)
    return {"h": dh, "z": dz, "W": x.T @ dz, "b": dz.sum(axis=0)}


def dW(W, b, x):
    return hand(W, b, x)["W"]


def db(W, b, x):
    return hand(W, b, x)["b"]
