"""The nbgrader homework (notebooks/homework) grades itself.

On a copy of the course folder in a temporary directory, the test runs nbgrader
as an instructor would: ``generate_assignment`` makes the student version
(checked: no solutions, no hidden tests), then three students hand it in, one
right, one with a lost minus sign in exercise 3, one who returns a hard-coded
number in exercise 1 (it passes the visible check, only the hidden ones catch
it), and ``autograde`` grades them. The scores come from nbgrader's gradebook,
and the wrong student's graded notebook and feedback must carry check_grad's
diagnosis.

nbgrader is installed by the ``dev`` extra; without it the test is skipped.
"""
import csv
import json
import os
import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

nbgrader_api = pytest.importorskip("nbgrader.api", reason="nbgrader is not installed (pip install -e .[dev])")

HOMEWORK = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "homework"
ASSIGNMENT = "gradients"
NOTEBOOK = "gradients.ipynb"
BIN = pathlib.Path(sys.executable).parent
POINTS = {"ex1_test": 2, "ex2_test": 3, "ex3_test": 5}

RIGHT = {
    "ex1_answer": "return 2 * (w * x - y) * x",
    "ex2_answer": "s = sigmoid(z)\n    return s * (1 - s)",
    "ex3_answer": "return 2 * np.outer(W @ x - y, x)",
}
# A lost minus sign in exercise 3; check_grad names it.
WRONG_SIGN = dict(RIGHT, ex3_answer="return -2 * np.outer(W @ x - y, x)")
# The number the visible check expects, 2 * (1.5*2.5 - 2) * 2.5, and nothing else.
HARD_CODED = dict(RIGHT, ex1_answer="return 8.75")
STUDENTS = {"right": RIGHT, "wrong_sign": WRONG_SIGN, "hard_coded": HARD_CODED}

DIAGNOSIS = "Wrong sign: your gradient for W is exactly minus the right one"


def nbgrader(course, *args):
    """Run nbgrader in ``course`` with Jupyter's and IPython's folders inside it."""
    env = dict(os.environ,
               PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",   # nbgrader runs `alembic`
               HOME=str(course / "home"),
               JUPYTER_CONFIG_DIR=str(course / "home" / "jupyter_config"),
               JUPYTER_DATA_DIR=str(course / "home" / "jupyter_data"),
               JUPYTER_RUNTIME_DIR=str(course / "home" / "jupyter_runtime"),
               IPYTHONDIR=str(course / "home" / "ipython"))
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    done = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def cells_by_id(nb):
    return {cell.metadata["nbgrader"]["grade_id"]: cell for cell in nb.cells
            if "nbgrader" in cell.metadata}


def hand_in(release, course, student, answers):
    """The released notebook with ``answers`` written where it says YOUR CODE HERE."""
    nb = nbformat.read(release, as_version=4)
    cells = cells_by_id(nb)
    for grade_id, code in answers.items():
        stub = "# YOUR CODE HERE\n    raise NotImplementedError()"
        assert stub in cells[grade_id].source, cells[grade_id].source
        cells[grade_id].source = cells[grade_id].source.replace(stub, code)
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / NOTEBOOK)


def error_texts(nb, grade_id):
    cell = cells_by_id(nb)[grade_id]
    return [out.get("evalue", "") for out in cell.outputs if out.output_type == "error"]


def test_homework_generates_and_grades(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copytree(HOMEWORK / "source", course / "source")
    shutil.copy(HOMEWORK / "nbgrader_config.py", course)

    source = nbformat.read(course / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    assert {gid: c.metadata["nbgrader"].get("points") for gid, c in cells_by_id(source).items()
            if c.metadata["nbgrader"]["grade"]} == POINTS

    nbgrader(course, "generate_assignment", ASSIGNMENT)
    release = course / "release" / ASSIGNMENT / NOTEBOOK
    released = nbformat.read(release, as_version=4)
    text = json.dumps([cell.source for cell in released.cells])
    for secret in ("BEGIN SOLUTION", "HIDDEN TESTS", "np.outer", "s * (1 - s)",
                   "2 * (w * x - y) * x", "-0.7, 1.3, 0.4"):
        assert secret not in text, secret
    stubs = [gid for gid, cell in cells_by_id(released).items()
             if "# YOUR CODE HERE\n    raise NotImplementedError()" in cell.source]
    assert stubs == ["ex1_answer", "ex2_answer", "ex3_answer"]
    assert "assert_grad(sq_error, dsq_dw, 1.5, 2.5, 2.0)" in text      # the visible checks stay

    for student, answers in STUDENTS.items():
        hand_in(release, course, student, answers)
    nbgrader(course, "autograde", ASSIGNMENT)

    with nbgrader_api.Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {s: gradebook.find_submission(ASSIGNMENT, s).score for s in STUDENTS}
        max_score = gradebook.find_assignment(ASSIGNMENT).max_score
    assert max_score == sum(POINTS.values()) == 10
    assert scores == {"right": 10, "wrong_sign": 10 - POINTS["ex3_test"],
                      "hard_coded": 10 - POINTS["ex1_test"]}

    def graded(student):
        return nbformat.read(course / "autograded" / student / ASSIGNMENT / NOTEBOOK, as_version=4)

    # The lost sign fails the visible check of exercise 3, and the error says what is wrong.
    wrong = error_texts(graded("wrong_sign"), "ex3_test")
    assert len(wrong) == 1 and DIAGNOSIS in wrong[0], wrong
    assert all(not error_texts(graded("wrong_sign"), gid) for gid in ("ex1_test", "ex2_test"))
    assert all(not error_texts(graded("right"), gid) for gid in POINTS)
    # The hard-coded number passes the visible check; a hidden one (restored by autograde) fails.
    caught = error_texts(graded("hard_coded"), "ex1_test")
    assert len(caught) == 1 and "check_grad(sq_error, dsq_dw) with respect to w: FAIL" in caught[0]
    assert "HIDDEN TESTS" in cells_by_id(graded("hard_coded"))["ex1_test"].source

    nbgrader(course, "export")                       # the grades.csv an instructor uploads
    with open(course / "grades.csv", newline="") as file:
        rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(file)}
    assert rows == scores

    nbgrader(course, "generate_feedback", ASSIGNMENT)
    feedback = (course / "feedback" / "wrong_sign" / ASSIGNMENT / "gradients.html").read_text()
    assert DIAGNOSIS in feedback
    assert "Score: 5.0 / 10.0" in " ".join(feedback.split()), "the feedback page shows the score"
