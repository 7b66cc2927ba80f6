"""The learner saves (autosaves) one answer of their open attempt; refused after the
deadline by the server's clock."""

from __future__ import annotations

import msgspec

from cmh.assessments.application.learner_attempt import own_attempt
from cmh.assessments.application.ports import AttemptRepository, QuestionRepository
from cmh.assessments.domain.errors import InvalidAnswer
from cmh.assessments.domain.questions import AnswerValue
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class SavedAnswerView(msgspec.Struct, frozen=True, kw_only=True):
    attempt_id: str
    question_id: str
    value: AnswerValue
    saved_at: str
    status: str


class SaveAnswer:
    def __init__(
        self,
        attempts: AttemptRepository,
        questions: QuestionRepository,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._attempts = attempts
        self._questions = questions
        self._uow = uow
        self._clock = clock

    async def execute(
        self, principal: Principal, attempt_id: str, question_id: str, value: AnswerValue
    ) -> SavedAnswerView:
        now = self._clock.now()
        async with self._uow:
            attempt = await own_attempt(self._attempts, principal, attempt_id)
            pinned = [p for p in attempt.questions if p.question_id == question_id]
            found = await self._questions.versions(pinned)
            if not found:
                raise InvalidAnswer("not a question of this attempt", field="question_id")
            attempt.answer(found[0], value, now)
            await self._attempts.save(attempt)
            await self._uow.commit()
        return SavedAnswerView(
            attempt_id=attempt.id,
            question_id=question_id,
            value=value,
            saved_at=now.isoformat(),
            status=str(attempt.status),
        )
