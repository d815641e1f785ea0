"""The stepper's controls, built from core ipywidgets only (no front-end extension)."""
from __future__ import annotations

import ipywidgets as widgets

from .stepper_html import kernel_free_class, notebook_html, widget_class


class StepperWidget(widgets.VBox):
    """Buttons, play with a speed, a slider over all steps, the picture and the explanation."""

    def __init__(self, stepper):
        self.stepper = stepper
        last = len(stepper.steps) - 1
        button = dict(layout=widgets.Layout(width="auto"))
        self.first_button = widgets.Button(description="First", tooltip="the first step", **button)
        self.prev_button = widgets.Button(description="Previous", tooltip="one step back", **button)
        self.next_button = widgets.Button(description="Next", tooltip="one step on", **button)
        self.last_button = widgets.Button(description="Last", tooltip="the last step", **button)
        # Play starts where the stepper is: jslink copies Play's value onto the slider when the
        # widget is drawn, so a Play left at 0 would move a stepper driven from code back to step 1.
        self.play = widgets.Play(min=0, max=last, step=1, value=stepper.index, interval=900,
                                 description="Play", tooltip="play / pause")
        self.speed = widgets.Dropdown(options=[("slow", 1800), ("normal", 900), ("fast", 350)],
                                      value=900, description="speed", layout=widgets.Layout(width="150px"),
                                      style={"description_width": "initial"})
        self.slider = widgets.IntSlider(min=0, max=last, value=stepper.index, readout=False,
                                        continuous_update=True, layout=widgets.Layout(width="98%"))
        self.label = widgets.HTML()
        self.picture = widgets.HTML()
        self.explanation = widgets.HTML(layout=widgets.Layout(border="1px solid #ddd", padding="4px 8px"))
        widgets.jslink((self.play, "value"), (self.slider, "value"))
        self.speed.observe(lambda change: setattr(self.play, "interval", change.new), "value")
        self.slider.observe(self._on_slider, "value")
        self.first_button.on_click(lambda _: stepper.reset())
        self.prev_button.on_click(lambda _: stepper.prev())
        self.next_button.on_click(lambda _: stepper.next())
        self.last_button.on_click(lambda _: stepper.last())
        controls = widgets.HBox([self.first_button, self.prev_button, self.next_button, self.last_button,
                                 self.play, self.speed, self.label],
                                layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        self.quiz = getattr(stepper, "quiz", None)
        self._asked = None
        quiz_box = [self._quiz_box()] if self.quiz is not None else []
        super().__init__([controls, self.slider, self.picture, *quiz_box, self.explanation])
        self.add_class(widget_class(stepper))
        self._render(stepper.index)

    def _quiz_box(self):
        """Quiz mode: a question before each backward step, an answer box, Check, Reveal, the score."""
        self.prompt = widgets.HTML()
        self.answer = widgets.Text(placeholder="your answer", layout=widgets.Layout(width="220px"))
        self.check_button = widgets.Button(description="Check", tooltip="check my answer",
                                           layout=widgets.Layout(width="auto"))
        self.reveal_button = widgets.Button(description="Reveal", tooltip="show the answer",
                                            layout=widgets.Layout(width="auto"))
        self.feedback = widgets.HTML()
        self.score = widgets.HTML(value=f'<span style="color:#555;font-size:12px">{self.quiz.score_text()}</span>')
        self.check_button.on_click(lambda _: self._answered(self.quiz.check(self.stepper.index, self.answer.value)))
        self.reveal_button.on_click(lambda _: self._answered(self.quiz.reveal(self.stepper.index)))
        self.quiz_box = widgets.VBox(
            [self.prompt, widgets.HBox([self.answer, self.check_button, self.reveal_button]),
             self.feedback, self.score],
            layout=widgets.Layout(border="1px solid #CC79A7", padding="4px 8px", margin="4px 0"))
        return self.quiz_box

    def _answered(self, feedback) -> None:
        self.score.value = f'<span style="color:#555;font-size:12px">{self.quiz.score_text()}</span>'
        self._render(self.stepper.index)

    def _render_quiz(self, i: int) -> None:
        question = self.quiz.questions.get(i)
        self.quiz_box.layout.display = None if question else "none"
        if question is None:
            return
        if self._asked != i:
            self._asked, self.answer.value = i, ""
        self.prompt.value = question.prompt
        open_ = self.quiz.hides(i)
        self.answer.disabled = self.check_button.disabled = self.reveal_button.disabled = not open_
        fb = self.quiz.feedback.get(i)
        colour = "#1a7f37" if fb and fb.right else "#333" if fb and fb.text.startswith("Revealed") else "#b35806"
        self.feedback.value = f'<div style="color:{colour}">{fb.text}</div>' if fb else ""

    def _ipython_display_(self) -> None:
        """The widget, then the kernel-free stepper a saved notebook keeps for viewers without a
        kernel (nbviewer, nbconvert's HTML, Jupyter Book); the running widget hides that copy."""
        from IPython.display import display
        if self._repr_mimebundle_ is None:           # a closed widget: ipywidgets draws nothing either
            return
        display(self._repr_mimebundle_(), raw=True)
        display({"text/html": notebook_html(self.stepper),
                 "text/plain": "(teachgrad's stepper without a kernel)"}, raw=True)

    def show(self, i: int) -> None:
        # jslink moves Play with the slider in the browser only; keep the kernel's copy in step too
        self.play.value = i
        if self.slider.value != i:
            self.slider.value = i          # the observer renders
        else:
            self._render(i)

    def _on_slider(self, change) -> None:
        self.stepper.goto(change.new)      # which calls show(): the slider is there already, so it renders

    def _render(self, i: int) -> None:
        frame = self.stepper.steps[i]
        self.label.value = f"<b>{frame.title}</b>"
        # a running widget hides the copies kept for viewers without a kernel
        hide = (f"<style>.{self.stepper.static_class} {{display:none}}\n"
                f".{kernel_free_class(self.stepper)} {{display:none}}</style>")
        explanation = frame.explanation
        if self.quiz is not None:
            # open questions: their gradients stay hidden, and so does this step's text
            hide += f"<style>{self.quiz.hidden_css()}</style>"
            explanation = "" if self.quiz.hides(i) else self.quiz.explanation(i)
            self._render_quiz(i)
        self.picture.value = hide + self.stepper.frame_html(i)
        self.explanation.value = f'<div style="font-size:13px;line-height:1.5">{explanation}</div>'
        self.explanation.layout.display = "none" if not explanation else None
