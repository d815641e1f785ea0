"""The stepper as one self-contained HTML file: every frame inside, plain script, no internet."""
from __future__ import annotations

import html
import json

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1em; }}
#controls button {{ font-size: 14px; margin-right: 4px; }}
#slider {{ width: 98%; }}
#explanation {{ border: 1px solid #ddd; padding: 6px 10px; font-size: 14px; line-height: 1.5; max-width: 60em; }}
</style></head>
<body>
<div id="controls">
  <button id="first">First</button><button id="prev">Previous</button><button id="next">Next</button><button id="last">Last</button>
  <button id="play">Play</button>
  <label>speed <select id="speed"><option value="1800">slow</option><option value="900" selected>normal</option><option value="350">fast</option></select></label>
  <b id="title"></b>
</div>
<input id="slider" type="range" min="0" max="{last}" value="0">
<div id="{scope}"><style id="frame-style"></style>{svg}</div>
<div id="explanation"></div>
<script>
const frames = {frames};
let index = 0, timer = null;
const $ = (id) => document.getElementById(id);
function show(i) {{
  index = Math.max(0, Math.min(frames.length - 1, i));
  $("frame-style").textContent = frames[index].css;
  $("explanation").innerHTML = frames[index].explanation;
  $("title").textContent = frames[index].title;
  $("slider").value = index;
}}
function pause() {{ clearInterval(timer); timer = null; $("play").textContent = "Play"; }}
$("first").onclick = () => show(0);
$("prev").onclick = () => show(index - 1);
$("next").onclick = () => show(index + 1);
$("last").onclick = () => show(frames.length - 1);
$("slider").oninput = (e) => show(Number(e.target.value));
$("play").onclick = () => {{
  if (timer) return pause();
  if (index === frames.length - 1) show(0);
  $("play").textContent = "Pause";
  timer = setInterval(() => index < frames.length - 1 ? show(index + 1) : pause(), Number($("speed").value));
}};
document.addEventListener("keydown", (e) => {{
  if (e.key === "ArrowRight") show(index + 1);
  if (e.key === "ArrowLeft") show(index - 1);
}});
show(0);
</script>
</body></html>
"""


def standalone_html(stepper) -> str:
    frames = [{"css": f.css, "explanation": f.explanation, "title": f.title} for f in stepper.steps]
    # A script block ends at "</": escape it inside the JSON.
    frames_json = json.dumps(frames).replace("</", "<\\/")
    return PAGE.format(title=html.escape("teachgrad: backpropagation step by step"),
                       last=len(frames) - 1, scope=stepper.scope, svg=stepper.svg,
                       frames=frames_json)
