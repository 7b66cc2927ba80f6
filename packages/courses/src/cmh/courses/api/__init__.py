"""The Courses HTTP API: hand ``COURSES_ROUTES`` to the kernel's ``create_http_app``."""

from __future__ import annotations

from cmh.courses.api.content import LessonContentController
from cmh.courses.api.courses import CoursesController
from cmh.courses.api.internal import InternalCoursesController
from cmh.courses.api.learning import EnrollmentController, LearningController

COURSES_ROUTES = [
    CoursesController,
    LessonContentController,
    EnrollmentController,
    LearningController,
    InternalCoursesController,
]

__all__ = ["COURSES_ROUTES"]
