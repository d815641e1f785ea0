"""check_grad(f, None) (checking/own.py): teachgrad's own gradient against finite
differences, to second order.
"""
from teachgrad import check_grad

from checking_helpers import X, W, B, layer_loss


def test_teachgrad_gradient_of_builtin_functions_passes_to_second_order():
    report = check_grad(layer_loss, None, W, B, X)
    assert report and report.diagnoses == []
    names = [i.name for i in report.items]
    assert names[:2] == ["W", "b"] and "second derivatives, W and b" in names
