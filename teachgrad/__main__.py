"""Command line: ``python -m teachgrad demo`` and ``python -m teachgrad draw``.

``python -m teachgrad draw "np.tanh(w * x + b)" x=0.5 w=2.0 b=-1 -o neuron.svg``
draws an expression for slides. The expression is evaluated with only
``np`` (teachgrad.numpy) and the given values in scope.
"""
from __future__ import annotations

import argparse
import ast
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
print("The graph teachgrad recorded, with each node's value and its gradient d f / d node:")
print(trace(f, 1.0, 2.0))
'''


def parse_value(text: str):
    """'0.5' -> 0.5, '[1, 2]' -> array([1., 2.]): numbers and lists only, never code."""
    import numpy
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise SystemExit(f"Cannot read the value {text!r}: give a number (0.5) or a list ([1, 2]).")
    if isinstance(value, bool) or not isinstance(value, (int, float, complex, list, tuple)):
        raise SystemExit(f"Cannot read the value {text!r}: give a number (0.5) or a list ([1, 2]).")
    if isinstance(value, (list, tuple)):
        return numpy.array(value, dtype=float)
    return float(value) if isinstance(value, int) else value


def draw(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m teachgrad draw",
        description="Draw the graph of an expression, with values and gradients.",
        epilog='example: python -m teachgrad draw "np.tanh(w * x + b)" x=0.5 w=2.0 b=-1 -o neuron.svg')
    parser.add_argument("expression", help="a teachgrad.numpy expression, e.g. 'np.tanh(w * x + b)'")
    parser.add_argument("values", nargs="*", metavar="name=value", help="the variables, e.g. x=0.5")
    parser.add_argument("-o", "--output", default="graph.svg", help="the file to write (.svg, .png, .pdf, .dot)")
    parser.add_argument("--direction", default="TB", choices=["TB", "LR"])
    parser.add_argument("--digits", type=int, default=4)
    parser.add_argument("--wrt", default=None, help="comma-separated names to differentiate (default: all)")
    options = parser.parse_args(argv)

    import teachgrad.numpy as np
    from teachgrad import show_graph

    names, values = [], []
    for item in options.values:
        if "=" not in item:
            parser.error(f"{item!r} is not name=value (for example x=0.5)")
        key, _, text = item.partition("=")
        if not key.isidentifier() or key == "np":
            parser.error(f"{key!r} cannot be a variable name")
        names.append(key)
        values.append(parse_value(text))
    source = f"lambda {', '.join(names)}: {options.expression}"
    try:
        fun = eval(compile(source, "<expression>", "eval"), {"__builtins__": {}, "np": np})
    except SyntaxError as error:
        parser.error(f"the expression is not valid Python: {error.msg}")
    fun.__name__ = "f"
    wrt = options.wrt.split(",") if options.wrt else None
    picture = show_graph(fun, *values, wrt=wrt, direction=options.direction,
                         digits=options.digits, display=False)
    path = picture.save(options.output)
    print(f"wrote {path}")
    return 0


def main(argv: list[str]) -> int:
    if argv and argv[0] == "demo":
        print(DEMO)
        print("-" * 60)
        exec(compile(DEMO, "<teachgrad demo>", "exec"), {})
        return 0
    if argv and argv[0] == "draw":
        return draw(argv[1:])
    print("usage: python -m teachgrad demo\n"
          "       python -m teachgrad draw EXPRESSION name=value ... -o FILE")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
