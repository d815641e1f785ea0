"""``python -m teachgrad demo``: a short demonstration that prints gradients."""
from __future__ import annotations

import sys

DEMO = '''\
import teachgrad.numpy as np
from teachgrad import grad, multigrad_dict, trace

def f(x, y):
    return np.sin(x) * y + x ** 2

print("f(1, 2)        =", f(1.0, 2.0))
print("df/dx          =", grad(f)(1.0, 2.0), "  (by hand: cos(1)*2 + 2*1 =", np.cos(1.0) * 2 + 2, ")")
print("df/dy          =", grad(f, 1)(1.0, 2.0), "  (by hand: sin(1) =", np.sin(1.0), ")")
print("all gradients  =", multigrad_dict(f)(1.0, 2.0))
print("d3/dx3 tanh(0.5) =", grad(grad(grad(np.tanh)))(0.5))
print()
print("The graph teachgrad recorded, with each node's value and gradient:")
for node in trace(f, 1.0, 2.0).nodes:
    print(f"  {node.name:>4} = {node.op:<9} value {float(node.value):9.4f}   d f/d {node.name} = {float(node.grad):8.4f}")
'''


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "demo":
        print("usage: python -m teachgrad demo")
        return 2
    print(DEMO)
    print("-" * 60)
    exec(compile(DEMO, "<teachgrad demo>", "exec"), {})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
