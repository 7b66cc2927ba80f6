"""The Courses context's expected failures, each a kernel error kind with a stable code."""

from __future__ import annotations

from cmh.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound


class CourseNotFound(NotFound):
    code = "course_not_found"


class ModuleNotFound(NotFound):
    code = "module_not_found"


class LessonNotFound(NotFound):
    code = "lesson_not_found"


class CourseNotEditable(Conflict):
    code = "course_not_editable"


class CourseNotPublishable(Conflict):
    code = "course_not_publishable"


class CourseNotOpen(Conflict):
    """Enrolling or learning in a course that is not published."""

    code = "course_not_open"


class LessonKindMismatch(Conflict):
    code = "lesson_kind_mismatch"


class NotEnrolled(Forbidden):
    code = "not_enrolled"


class NotEntitled(Forbidden):
    code = "not_entitled"


class InvalidCourseData(InvalidInput):
    code = "invalid_course"
