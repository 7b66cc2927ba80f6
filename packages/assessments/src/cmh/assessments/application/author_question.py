"""A course's instructor (or an admin) adds a question to the course's bank."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from cmh.assessments.application.access import managed_course
from cmh.assessments.application.ports import CourseCatalog, LearnerRecords, QuestionRepository
from cmh.assessments.application.question_specs import (
    ChoiceSpec,
    Id,
    KeySpec,
    Skill,
    Text,
    choices_of,
)
from cmh.assessments.application.views import QuestionView, question_view
from cmh.assessments.domain.questions import Question, QuestionKind
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork


class NewQuestion(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    course_id: Id
    kind: QuestionKind
    prompt: Text
    points: Annotated[int, Meta(ge=1, le=100)] = 1
    explanation: Annotated[str, Meta(max_length=2000)] = ""
    skills: Annotated[list[Skill], Meta(max_length=10)] = []
    choices: Annotated[list[ChoiceSpec], Meta(max_length=12)] = []
    key: KeySpec


class AuthorQuestion:
    def __init__(
        self,
        questions: QuestionRepository,
        catalog: CourseCatalog,
        records: LearnerRecords,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._questions = questions
        self._catalog = catalog
        self._records = records
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, command: NewQuestion) -> QuestionView:
        course = await managed_course(self._catalog, command.course_id, principal)
        question = Question.create(
            self._ids.new_id(),
            course_id=command.course_id,
            owner_id=principal.user_id,
            kind=command.kind,
            prompt=command.prompt,
            points=command.points,
            explanation=command.explanation,
            skills=tuple(command.skills),
            choices=choices_of(command.choices),
            key=command.key.key(),
            now=self._clock.now(),
        )
        async with self._uow:
            await self._questions.add(question)
            await self._records.record_course(course.course_id, course.title)
            await self._uow.commit()
        return question_view(question)
