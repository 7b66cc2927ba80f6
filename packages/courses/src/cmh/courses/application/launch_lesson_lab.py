"""An enrolled learner (or the course's instructor, or an admin) launches the lab of a
lab lesson: courses knows the enrollment and which template the lesson refers to; labs
decides on tier and lab hours and runs the session."""

from __future__ import annotations

from cmh.courses.application.access import may_manage, visible_course
from cmh.courses.application.ports import (
    CourseRepository,
    EnrollmentRepository,
    Labs,
    LabSessionSummary,
    LessonContentStore,
)
from cmh.courses.domain.errors import NotEnrolled
from cmh.courses.domain.values import LessonKind
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import NotFound


class LaunchLessonLab:
    def __init__(
        self,
        courses: CourseRepository,
        enrollments: EnrollmentRepository,
        contents: LessonContentStore,
        labs: Labs,
    ) -> None:
        self._courses = courses
        self._enrollments = enrollments
        self._contents = contents
        self._labs = labs

    async def execute(
        self, principal: Principal, course_id: str, lesson_id: str
    ) -> LabSessionSummary:
        course = await visible_course(self._courses, course_id, principal)
        lesson = course.lesson(lesson_id)
        if not may_manage(principal, course):
            enrollment = await self._enrollments.get(principal.user_id, course_id)
            if enrollment is None or not enrollment.active:
                raise NotEnrolled("only enrolled learners can launch this lesson's lab")
        content = await self._contents.get(course.id, lesson.id)
        if lesson.kind is not LessonKind.LAB or content is None or content.lab_ref is None:
            raise NotFound(
                f"lesson {lesson_id} of course {course_id} has no lab", code="lab_lesson_not_found"
            )
        return await self._labs.launch(principal.user_id, content.lab_ref, course.id, lesson.id)
