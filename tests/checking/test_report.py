"""The report check_grad returns (checking/report.py): its numbers, its text and its HTML."""
import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import check_grad, name
from teachgrad.checking import GradReport

from checking_helpers import X, W, B, layer_loss, dW


def test_correct_gradient_passes_with_a_clean_report():
    report = check_grad(layer_loss, dW, W, B, X)
    assert isinstance(report, GradReport)
    assert report and report.passed and report.status == "pass"
    assert report.max_abs_error < 1e-12 and report.max_rel_error < 1e-12
    assert report.diagnoses == [] and report.mismatches == []
    text = str(report)
    assert "PASS" in text and "✓ W" in text and "6 entries" in text


def test_wrong_gradient_report_lists_entries_and_errors():
    report = check_grad(layer_loss, lambda W, b, x: -dW(W, b, x), W, B, X)
    assert not report and report.status == "fail"
    right = dW(W, B, X)
    assert report.max_abs_error == pytest.approx(2 * onp.abs(right).max())
    assert report.max_rel_error == pytest.approx(2.0)
    m = report.mismatches[0]
    assert (m.where, m.index) == ("W", (0, 0))
    assert m.expected == pytest.approx(right[0, 0]) and m.got == pytest.approx(-right[0, 0])
    assert m.numeric == pytest.approx(right[0, 0], rel=1e-5)          # finite differences
    assert len(report.mismatches) == 6
    text = str(report)
    assert "FAIL" in text and "wrong at 6 of 6" in text
    assert "W[0, 0]" in text and "teachgrad" in text and "finite diff." in text and "yours" in text
    assert "... and 1 more" in text                                    # the first few only


def test_html_report_is_escaped_and_never_colour_only():
    def f(x):
        return np.sum(name(np.sin(x), "<b>s&</b>") ** 2)
    x = onp.array([0.1, 0.2])
    bad = check_grad(f, {"<b>s&</b>": onp.ones(2)}, x)._repr_html_()
    assert "<b>s&</b>" not in bad and "&lt;b&gt;s&amp;&lt;/b&gt;" in bad
    assert "✗" in bad and "FAIL" in bad and "fail" in bad                # symbol and word
    good = check_grad(f, lambda x: 2 * onp.sin(x) * onp.cos(x), x)._repr_html_()
    assert "✓" in good and "PASS" in good and "#0072B2" in good
    assert "<script" not in bad and bad.count("<table") == bad.count("</table>")
