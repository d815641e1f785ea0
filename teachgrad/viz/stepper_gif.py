"""The stepper as an animated GIF, for slides: each frame laid out the same way (graphviz-pure or dot)."""
from __future__ import annotations

import io
import pathlib

from . import layout


def save_gif(stepper, path: pathlib.Path, seconds_per_step: float) -> pathlib.Path:
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("save_gif needs Pillow: pip install pillow "
                          "(or pip install 'teachgrad[notebooks]').") from None
    images = []
    for i in range(len(stepper.steps)):
        png = layout.render(stepper.frame_drawing(i).source, "png")
        images.append(Image.open(io.BytesIO(png)).convert("RGB"))
    # Colours change between frames, never the layout; pad in case the layout rounds a size.
    width = max(im.width for im in images)
    height = max(im.height for im in images)
    canvas = []
    for im in images:
        page = Image.new("RGB", (width, height), "white")
        page.paste(im, (0, 0))
        canvas.append(page.quantize(colors=128))
    canvas[0].save(path, save_all=True, append_images=canvas[1:], loop=0,
                   duration=int(seconds_per_step * 1000))
    return path
