"""The stepper as an animated GIF: the same frames, rasterised by Graphviz."""
from __future__ import annotations

import pathlib


def save_gif(stepper, path: pathlib.Path, seconds_per_step: float) -> pathlib.Path:
    raise NotImplementedError("save_gif is not available yet; use save_html for a kernel-free stepper.")
