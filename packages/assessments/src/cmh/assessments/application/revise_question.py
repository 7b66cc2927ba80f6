"""A question's new version: quizzes already published keep the version they pinned."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from cmh.assessments.application.access import managed_course
from cmh.assessments.application.ports import CourseCatalog, QuestionRepository
from cmh.assessments.application.question_specs import ChoiceSpec, KeySpec, Skill, Text, choices_of
from cmh.assessments.application.views import QuestionView, question_view
from cmh.assessments.domain.errors import QuestionNotFound
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class QuestionRevision(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    prompt: Text | None = None
    points: Annotated[int, Meta(ge=1, le=100)] | None = None
    explanation: Annotated[str, Meta(max_length=2000)] | None = None
    skills: Annotated[list[Skill], Meta(max_length=10)] | None = None
    choices: Annotated[list[ChoiceSpec], Meta(max_length=12)] | None = None
    key: KeySpec | None = None


class ReviseQuestion:
    def __init__(
        self,
        questions: QuestionRepository,
        catalog: CourseCatalog,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._questions = questions
        self._catalog = catalog
        self._uow = uow
        self._clock = clock

    async def execute(
        self, principal: Principal, question_id: str, revision: QuestionRevision
    ) -> QuestionView:
        async with self._uow:
            current = await self._questions.latest(question_id)
            if current is None:
                raise QuestionNotFound(f"question {question_id} not found")
            await managed_course(self._catalog, current.course_id, principal)
            revised = current.revised(
                version=current.version + 1,
                now=self._clock.now(),
                prompt=revision.prompt,
                points=revision.points,
                explanation=revision.explanation,
                skills=tuple(revision.skills) if revision.skills is not None else None,
                choices=choices_of(revision.choices) if revision.choices is not None else None,
                key=revision.key.key() if revision.key is not None else None,
            )
            await self._questions.add(revised)
            await self._uow.commit()
        return question_view(revised)
