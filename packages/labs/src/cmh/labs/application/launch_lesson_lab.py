"""A learner launches the lab of a lab lesson: courses says whether they are enrolled and
which template the lesson refers to; the launch itself is ``LaunchLab``'s."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden, NotFound
from cmh.labs.application.launch_lab import LaunchLab, LaunchRequest
from cmh.labs.application.ports import Enrollments
from cmh.labs.application.views import SessionView


class LaunchLessonLab:
    def __init__(self, enrollments: Enrollments, launch: LaunchLab) -> None:
        self._enrollments = enrollments
        self._launch = launch

    async def execute(self, principal: Principal, course_id: str, lesson_id: str) -> SessionView:
        if not await self._enrollments.is_enrolled(principal.user_id, course_id):
            raise Forbidden(f"enroll in course {course_id} to launch its labs", code="not_enrolled")
        template_id = await self._enrollments.lab_template_of(course_id, lesson_id)
        if template_id is None:
            raise NotFound(
                f"no lab lesson {lesson_id} in course {course_id}", code="lab_lesson_not_found"
            )
        return await self._launch.execute(
            principal,
            LaunchRequest(template_id=template_id, course_id=course_id, lesson_id=lesson_id),
        )
