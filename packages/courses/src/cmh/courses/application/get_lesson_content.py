"""A lesson's content document, for the course's managers and its enrolled learners."""

from __future__ import annotations

from cmh.courses.application.access import may_manage, visible_course
from cmh.courses.application.ports import (
    CourseRepository,
    EnrollmentRepository,
    LessonContent,
    LessonContentStore,
)
from cmh.courses.domain.errors import LessonNotFound, NotEnrolled
from cmh.kernel.auth.principal import Principal


class GetLessonContent:
    def __init__(
        self,
        courses: CourseRepository,
        enrollments: EnrollmentRepository,
        contents: LessonContentStore,
    ) -> None:
        self._courses = courses
        self._enrollments = enrollments
        self._contents = contents

    async def execute(self, principal: Principal, course_id: str, lesson_id: str) -> LessonContent:
        course = await visible_course(self._courses, course_id, principal)
        course.lesson(lesson_id)
        if not may_manage(principal, course):
            enrollment = await self._enrollments.get(principal.user_id, course_id)
            if enrollment is None or not enrollment.active:
                raise NotEnrolled("enroll in the course to read its lessons")
        content = await self._contents.get(course_id, lesson_id)
        if content is None:
            raise LessonNotFound(f"lesson {lesson_id} has no content yet", code="content_not_found")
        return content
