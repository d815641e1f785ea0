"""The stepper without a kernel: every frame inside, a few lines of plain script, no internet.

Two forms share one player script: ``standalone_html`` is a whole page (``save_html``), and
``notebook_html`` is the output a notebook keeps beside the live widget, so that nbviewer,
``jupyter nbconvert --to html`` and Jupyter Book pages step with the buttons without a kernel.
The notebook form draws nothing until its script runs: where scripts are stripped (GitHub)
the stepper's static picture of the final frame is what shows.
"""
from __future__ import annotations

import html
import json

# The player: builds the controls inside ``root`` and shows frame after frame. Each frame is
# CSS over the one SVG (ids renamed for this copy), an explanation and a title. Optional
# ``quiz``: per frame, the number to predict before the frame is revealed (see quiz.py).
PLAYER = r"""
function teachgradStepper(root, data) {
  const frames = data.frames, quiz = data.quiz || null;
  let index = data.start || 0, timer = null;
  const el = (tag, cls, text) => { const e = document.createElement(tag);
    if (cls) e.className = cls; if (text) e.textContent = text; return e; };
  const controls = el("div", "tg-controls");
  const button = (cls, text, title) => { const b = el("button", cls, text); b.type = "button";
    b.title = title; b.style.marginRight = "4px"; controls.appendChild(b); return b; };
  const first = button("tg-first", "First", "the first step"), prev = button("tg-prev", "Previous", "one step back"),
        next = button("tg-next", "Next", "one step on"), last = button("tg-last", "Last", "the last step"),
        play = button("tg-play", "Play", "play / pause");
  const speedLabel = el("label", null, "speed ");
  const speed = el("select", "tg-speed");
  [["slow", 1800], ["normal", 900], ["fast", 350]].forEach(([name, ms]) => {
    const o = el("option", null, name); o.value = ms; o.selected = ms === 900; speed.appendChild(o); });
  speedLabel.appendChild(speed); controls.appendChild(speedLabel);
  const title = el("b", "tg-title"); title.style.marginLeft = "8px"; controls.appendChild(title);
  const slider = el("input", "tg-slider"); slider.type = "range"; slider.min = 0;
  slider.max = frames.length - 1; slider.style.width = "98%";
  const picture = el("div"); picture.id = data.scope;
  const style = el("style"); picture.appendChild(style);
  picture.insertAdjacentHTML("beforeend", data.svg);
  const explanation = el("div", "tg-explanation");
  explanation.style.cssText = "border:1px solid #ddd;padding:6px 10px;font-size:14px;line-height:1.5;max-width:60em";
  root.append(controls, slider, picture);
  const ask = quiz ? teachgradQuiz(root, quiz, () => show(index)) : null;
  root.append(explanation);
  function show(i) {
    index = Math.max(0, Math.min(frames.length - 1, i));
    const hidden = ask && ask.hides(index);
    style.textContent = frames[index].css + (ask ? "\n" + ask.css() : "");
    explanation.innerHTML = hidden ? "" : ask ? ask.explanation(index, frames[index].explanation)
                                             : frames[index].explanation;
    explanation.style.display = hidden ? "none" : "";
    title.textContent = frames[index].title;
    slider.value = index;
    if (ask) ask.at(index);
  }
  function pause() { clearInterval(timer); timer = null; play.textContent = "Play"; }
  first.onclick = () => show(0);
  prev.onclick = () => show(index - 1);
  next.onclick = () => show(index + 1);
  last.onclick = () => show(frames.length - 1);
  slider.oninput = () => show(Number(slider.value));
  play.onclick = () => {
    if (timer) return pause();
    if (index === frames.length - 1) show(0);
    play.textContent = "Pause";
    timer = setInterval(() => index < frames.length - 1 ? show(index + 1) : pause(), Number(speed.value));
  };
  root.tabIndex = -1;
  root.addEventListener("keydown", (e) => {
    if (e.target.tagName === "INPUT" || e.target.tagName === "SELECT") return;   // typing, or the slider's own keys
    if (e.key === "ArrowRight") show(index + 1);
    if (e.key === "ArrowLeft") show(index - 1);
  });
  show(index);
}
"""

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font-family: system-ui, sans-serif; margin: 1em; }} .tg-controls button {{ font-size: 14px; }}</style>
</head>
<body>
<div id="stepper"></div>
<script>
{player}
teachgradStepper(document.getElementById("stepper"), {data});
</script>
</body></html>
"""

# In a notebook: the live widget hides this copy with a style rule (class ``kernel_free_class``),
# and then the script builds nothing. Where no widget hides it, the script builds the stepper
# and hides the static final frame, which is only needed where scripts do not run. A page that
# draws widgets from their saved state (an nbconvert or nbviewer page online) would draw the
# widget without a kernel behind its buttons: there this copy wins and hides the widget. Colab
# shows each output in its own frame, out of reach of the widget's style rule: there the copy
# hides itself.
NOTEBOOK = """<div class="{kernel_free}" id="{scope}-root"></div>
<script>
(function () {{
  const root = document.getElementById("{scope}-root");
  if (!root || root.dataset.seen) return;
  root.dataset.seen = "1";
  if (window.google && window.google.colab) {{ root.style.display = "none"; return; }}
  {player}
  const data = {data};
  const addRule = (css) => {{ const s = document.createElement("style"); s.textContent = css;
    document.head.appendChild(s); }};
  let built = false;
  function build() {{
    if (built) return;
    built = true;
    addRule(".{static} {{display:none !important}}");
    teachgradStepper(root, data);
  }}
  const shown = () => root.getClientRects().length > 0;
  function start() {{
    if (document.querySelector('script[type="application/vnd.jupyter.widget-state+json"]')) {{
      addRule(".{widget} {{display:none !important}}");
      root.style.setProperty("display", "block", "important");
      return build();
    }}
    // A live widget hides this copy (it may draw a moment after this script runs): build the
    // copy only where nothing hides it, now or later.
    setTimeout(() => {{
      if (shown()) return build();
      if (!window.ResizeObserver) return;
      const watch = new ResizeObserver(() => {{ if (shown()) {{ watch.disconnect(); build(); }} }});
      watch.observe(root);
    }}, 300);
  }}
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}})();
</script>"""


def kernel_free_class(stepper) -> str:
    """The class of the notebook's kernel-free copy (the live widget hides it)."""
    return f"teachgrad-kernel-free-{stepper.scope}"


def widget_class(stepper) -> str:
    """The class of the live widget (the kernel-free copy hides it on a page without a kernel)."""
    return f"teachgrad-widget-{stepper.scope}"


def player_data(stepper, copy: str) -> dict:
    """What the player needs: the one SVG and each frame's CSS, renamed to ``scope + copy`` so
    that the copy and the live widget on one page never pick up each other's style rules."""
    scope, renamed = stepper.scope, stepper.scope + copy
    data = {"scope": renamed, "svg": stepper.svg.replace(f'id="{scope}', f'id="{renamed}'),
            "frames": [{"css": f.css.replace(f"#{scope}", f"#{renamed}"), "explanation": f.explanation,
                        "title": f.title} for f in stepper.steps],
            "start": 0}
    quiz = getattr(stepper, "quiz", None)
    if quiz is not None:
        data["quiz"] = quiz.data(lambda css: css.replace(f"#{scope}", f"#{renamed}"))
    return data


def script_json(value) -> str:
    # A script block ends at "</": escape it inside the JSON.
    return json.dumps(value).replace("</", "<\\/")


def player_script(stepper) -> str:
    if getattr(stepper, "quiz", None) is None:
        return PLAYER
    from .quiz import QUIZ_PLAYER
    return PLAYER + QUIZ_PLAYER


def standalone_html(stepper) -> str:
    """A whole page that steps with the same controls, no kernel or internet."""
    return PAGE.format(title=html.escape("teachgrad: backpropagation step by step"),
                       player=player_script(stepper),
                       data=script_json(player_data(stepper, "")))


def notebook_html(stepper) -> str:
    """The kernel-free stepper a saved notebook keeps beside the widget (see NOTEBOOK above)."""
    return NOTEBOOK.format(kernel_free=kernel_free_class(stepper), scope=stepper.scope + "kf",
                           static=stepper.static_class, widget=widget_class(stepper),
                           player=player_script(stepper),
                           data=script_json(player_data(stepper, "kf")))
