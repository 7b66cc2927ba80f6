"""An instructor of the course (or an admin) decides on an exam attempt the proctoring
service flagged: cleared, it keeps its marks; not cleared, it fails."""

from __future__ import annotations

import msgspec

from cmh.assessments.application.access import managed_course
from cmh.assessments.application.grading_service import Grader
from cmh.assessments.application.ports import AttemptRepository, CourseCatalog, QuestionRepository
from cmh.assessments.application.views import AttemptView, attempt_view
from cmh.assessments.domain.errors import AttemptNotFound
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class ReviewDecision(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    cleared: bool


class ReviewHeldAttempt:
    def __init__(
        self,
        attempts: AttemptRepository,
        questions: QuestionRepository,
        catalog: CourseCatalog,
        grader: Grader,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._attempts = attempts
        self._questions = questions
        self._catalog = catalog
        self._grader = grader
        self._uow = uow
        self._clock = clock

    async def execute(
        self, principal: Principal, attempt_id: str, decision: ReviewDecision
    ) -> AttemptView:
        now = self._clock.now()
        async with self._uow:
            attempt = await self._attempts.get(attempt_id)
            if attempt is None:
                raise AttemptNotFound(f"attempt {attempt_id} not found")
            await managed_course(self._catalog, attempt.course_id, principal)
            attempt.release(cleared=decision.cleared, now=now)
            await self._attempts.save(attempt)
            self._uow.track(attempt)
            await self._grader.after_grading(attempt, now)
            await self._uow.commit()
        questions = await self._questions.versions(attempt.questions)
        return attempt_view(attempt, questions, show_answers=False)
