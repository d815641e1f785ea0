"""The stepper's widget on the Python side: no kernel, no browser (Button.click, setting values)."""
import teachgrad.numpy as np
from teachgrad import step_through


def neuron(w, x, b):
    z = w * x + b
    return np.tanh(z)


def test_a_stepper_moved_before_it_is_displayed_starts_play_where_it_is():
    # jslink copies Play's value onto the slider when the widget is drawn: Play must not be at 0
    s = step_through(neuron, 2.0, 0.5, -0.3)
    s.goto(8)
    w = s.widget
    assert (w.play.value, w.slider.value) == (8, 8)
    assert "backward 3/6" in w.label.value


def test_play_follows_every_move_made_from_python():
    s = step_through(neuron, 2.0, 0.5, -0.3)
    w = s.widget
    s.next()
    assert w.play.value == 1
    w.last_button.click()
    assert (w.play.value, w.slider.value, s.index) == (11, 11, 11)
    w.slider.value = 4                                  # as the browser's slider does
    assert (w.play.value, s.index) == (4, 4)
    s.reset()
    assert (w.play.value, w.slider.value) == (0, 0)
