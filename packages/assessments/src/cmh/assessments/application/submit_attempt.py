"""The learner submits their attempt and gets it graded at once. After the deadline it
is a time-out, graded with what was saved by the deadline."""

from __future__ import annotations

from cmh.assessments.application.grading_service import Grader
from cmh.assessments.application.learner_attempt import own_attempt
from cmh.assessments.application.ports import AttemptRepository, QuizRepository
from cmh.assessments.application.views import AttemptView, attempt_view
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class SubmitAttempt:
    def __init__(
        self,
        attempts: AttemptRepository,
        quizzes: QuizRepository,
        grader: Grader,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._attempts = attempts
        self._quizzes = quizzes
        self._grader = grader
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, attempt_id: str) -> AttemptView:
        now = self._clock.now()
        async with self._uow:
            attempt = await own_attempt(self._attempts, principal, attempt_id)
            counted = attempt.submit(now)
            questions = await self._grader.grade_closed(attempt, counted, now)
            await self._attempts.save(attempt)
            self._uow.track(attempt)
            await self._grader.after_grading(attempt, now)
            quiz = await self._quizzes.get(attempt.quiz_id)
            await self._uow.commit()
        show = quiz is not None and quiz.settings.show_answers_after_grading
        return attempt_view(attempt, questions, show_answers=show)
