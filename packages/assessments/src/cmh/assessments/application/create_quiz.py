"""A course's instructor (or an admin) makes a quiz for a quiz lesson, or the course's
final exam, from questions of the course's bank. It is a draft until published."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import msgspec
from msgspec import Meta

from cmh.assessments.application.access import managed_course
from cmh.assessments.application.ports import (
    CourseCatalog,
    LearnerRecords,
    QuestionRepository,
    QuizRepository,
)
from cmh.assessments.application.question_specs import Id
from cmh.assessments.application.views import QuizView, quiz_view
from cmh.assessments.domain.errors import InvalidQuiz
from cmh.assessments.domain.quiz import Quiz, QuizKind, QuizSettings
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork


class QuizRules(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    questions_per_attempt: Annotated[int, Meta(ge=0, le=200)] = 0
    time_limit_minutes: Annotated[int, Meta(ge=1, le=360)] = 30
    max_attempts: Annotated[int, Meta(ge=0, le=100)] = 0
    cooldown_minutes: Annotated[int, Meta(ge=0, le=60 * 24 * 30)] = 0
    passing_percent: Annotated[int, Meta(ge=0, le=100)] = 70
    show_answers_after_grading: bool = True
    proctored: bool = False

    def settings(self) -> QuizSettings:
        return QuizSettings(
            questions_per_attempt=self.questions_per_attempt,
            time_limit=timedelta(minutes=self.time_limit_minutes),
            max_attempts=self.max_attempts,
            cooldown=timedelta(minutes=self.cooldown_minutes),
            passing_percent=self.passing_percent,
            show_answers_after_grading=self.show_answers_after_grading,
            proctored=self.proctored,
        )


class NewQuiz(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    course_id: Id
    lesson_id: Id | None = None
    kind: QuizKind = QuizKind.QUIZ
    title: Annotated[str, Meta(min_length=1, max_length=200)]
    question_ids: Annotated[list[Id], Meta(min_length=1, max_length=200)]
    rules: QuizRules = QuizRules()


class CreateQuiz:
    def __init__(
        self,
        quizzes: QuizRepository,
        questions: QuestionRepository,
        catalog: CourseCatalog,
        records: LearnerRecords,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._quizzes = quizzes
        self._questions = questions
        self._catalog = catalog
        self._records = records
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, command: NewQuiz) -> QuizView:
        course = await managed_course(self._catalog, command.course_id, principal)
        quiz = Quiz.create(
            self._ids.new_id(),
            course_id=command.course_id,
            lesson_id=command.lesson_id,
            owner_id=principal.user_id,
            kind=command.kind,
            title=command.title,
            question_ids=tuple(command.question_ids),
            settings=command.rules.settings(),
            now=self._clock.now(),
        )
        async with self._uow:
            bank = {q.id for q in await self._questions.latest_of_course(command.course_id)}
            foreign = [q for q in command.question_ids if q not in bank]
            if foreign:
                raise InvalidQuiz(
                    f"not questions of this course: {', '.join(foreign)}", field="question_ids"
                )
            await self._quizzes.add(quiz)
            await self._records.record_course(course.course_id, course.title)
            await self._uow.commit()
        return quiz_view(quiz)
