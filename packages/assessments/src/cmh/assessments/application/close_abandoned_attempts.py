"""One pass of the attempt sweeper (run every minute or so): an attempt still open past
its deadline was left without a submit, so it is closed as a time-out and graded with
what was saved by the deadline, exactly as a late submit would be; ``attempt.graded``
follows, so courses, analytics and notifications hear of it without the learner coming
back. Each attempt is closed in its own transaction; one the learner submitted meanwhile
is left to that submit."""

from __future__ import annotations

from cmh.assessments.application.grading_service import Grader
from cmh.assessments.application.ports import AttemptRepository
from cmh.kernel.clock import Clock
from cmh.kernel.errors import Conflict
from cmh.kernel.uow import UnitOfWork

BATCH = 100


class CloseAbandonedAttempts:
    def __init__(
        self, attempts: AttemptRepository, grader: Grader, uow: UnitOfWork, clock: Clock
    ) -> None:
        self._attempts = attempts
        self._grader = grader
        self._uow = uow
        self._clock = clock

    async def execute(self) -> list[str]:
        """The ids of the attempts closed in this pass."""
        closed: list[str] = []
        for candidate in await self._attempts.abandoned(self._clock.now(), BATCH):
            now = self._clock.now()
            async with self._uow:
                attempt = await self._attempts.get(candidate.id)
                if attempt is None or not attempt.is_abandoned(now):
                    continue
                counted = attempt.submit(now)
                await self._grader.grade_closed(attempt, counted, now)
                try:
                    await self._attempts.save(attempt)
                except Conflict:
                    continue  # submitted or answered meanwhile: that request wins
                self._uow.track(attempt)
                await self._grader.after_grading(attempt, now)
                await self._uow.commit()
            closed.append(attempt.id)
        return closed
