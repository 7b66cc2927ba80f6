"""A passed assessment completes its quiz lesson. Called by the consumer of the
assessments context's grading events (the learner cannot mark a quiz done by hand)."""

from __future__ import annotations

from cmh.courses.application.learning import load_learning, record_lesson_outcome
from cmh.courses.application.ports import CourseRepository, EnrollmentRepository, ProgressRepository
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class CompleteQuizLesson:
    def __init__(
        self,
        courses: CourseRepository,
        enrollments: EnrollmentRepository,
        progress: ProgressRepository,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._courses = courses
        self._enrollments = enrollments
        self._progress = progress
        self._uow = uow
        self._clock = clock

    async def execute(self, *, user_id: str, course_id: str, lesson_id: str) -> None:
        now = self._clock.now()
        async with self._uow:
            state = await load_learning(
                self._courses,
                self._enrollments,
                self._progress,
                user_id=user_id,
                course_id=course_id,
                now=now,
            )
            outcome = state.progress.record_quiz_passed(lesson_id, state.course.outline(), now=now)
            if outcome.newly_completed:
                await self._progress.save(state.progress)
                record_lesson_outcome(state, lesson_id, outcome, now)
            await self._uow.commit()
