# nbgrader's settings for the teachgrad homework. Run nbgrader from this folder:
#   nbgrader generate_assignment gradients   -> release/gradients/gradients.ipynb (for students)
#   nbgrader autograde gradients             -> grades submitted/<student>/gradients/
# tests/test_nbgrader_homework.py runs both on a copy of this folder.
c = get_config()  # noqa: F821 (nbgrader provides get_config when it reads this file)

c.CourseDirectory.course_id = "teachgrad"
# A cell that runs longer than this is stopped and gets no points (an endless loop, say).
c.ExecutePreprocessor.timeout = 60
