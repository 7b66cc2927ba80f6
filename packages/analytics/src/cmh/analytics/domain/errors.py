"""Expected failures of the Analytics context, each with its stable code."""

from __future__ import annotations

from cmh.kernel.errors import Forbidden, InvalidInput, NotFound


class CourseNotFound(NotFound):
    code = "course_not_found"


class NotCourseInstructor(Forbidden):
    code = "not_course_instructor"


class UnknownChart(NotFound):
    code = "unknown_chart"


class UnknownFormat(InvalidInput):
    code = "unknown_format"
