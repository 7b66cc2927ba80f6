"""A signed URL to play a video lesson, for enrolled learners and the course's managers."""

from __future__ import annotations

from cmh.courses.application.access import may_manage, visible_course
from cmh.courses.application.ports import (
    CourseRepository,
    EnrollmentRepository,
    Playback,
    PlaybackUrl,
)
from cmh.courses.domain.errors import LessonKindMismatch, NotEnrolled
from cmh.courses.domain.values import LessonKind
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Conflict


class LessonPlayback:
    def __init__(
        self, courses: CourseRepository, enrollments: EnrollmentRepository, playback: Playback
    ) -> None:
        self._courses = courses
        self._enrollments = enrollments
        self._playback = playback

    async def execute(self, principal: Principal, course_id: str, lesson_id: str) -> PlaybackUrl:
        course = await visible_course(self._courses, course_id, principal)
        lesson = course.lesson(lesson_id)
        if not may_manage(principal, course):
            enrollment = await self._enrollments.get(principal.user_id, course_id)
            if enrollment is None or not enrollment.active:
                raise NotEnrolled("only enrolled learners can play this lesson")
        if lesson.kind is not LessonKind.VIDEO:
            raise LessonKindMismatch(
                f"lesson {lesson_id} is a {lesson.kind.value} lesson, not a video"
            )
        if lesson.asset_id is None:
            raise Conflict(f"lesson {lesson_id} has no video yet", code="video_missing")
        return await self._playback.url_for(lesson.asset_id, principal.user_id, course.id)
