"""A quiz (of a quiz lesson) or a course's final exam: a pool of bank questions and the
rules of an attempt. Publishing pins each question's version, so what a learner answers
never changes while the quiz is live; a new version of a question needs a new quiz."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from cmh.assessments.domain.errors import InvalidQuiz, QuizAlreadyPublished
from cmh.assessments.domain.events import QuizPublished
from cmh.kernel.domain_events import recorded_events

MAX_POOL = 200


class QuizKind(StrEnum):
    QUIZ = "quiz"
    EXAM = "exam"


class QuizStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


@dataclass(frozen=True)
class QuizSettings:
    """``questions_per_attempt``: drawn from the pool (0: all of it); ``max_attempts``: 0
    for no limit; ``passing_percent`` of the points; ``proctored``: an exam watched by
    the proctoring service, held for review when it flags the attempt."""

    questions_per_attempt: int = 0
    time_limit: timedelta = timedelta(minutes=30)
    max_attempts: int = 0
    cooldown: timedelta = timedelta(0)
    passing_percent: int = 70
    show_answers_after_grading: bool = True
    proctored: bool = False

    def check(self, pool_size: int) -> None:
        if not 0 <= self.questions_per_attempt <= pool_size:
            raise InvalidQuiz(
                "questions per attempt are 0 (all) up to the pool's size",
                field="questions_per_attempt",
            )
        if not timedelta(minutes=1) <= self.time_limit <= timedelta(hours=6):
            raise InvalidQuiz("a time limit of 1 minute to 6 hours", field="time_limit_minutes")
        if self.max_attempts < 0:
            raise InvalidQuiz("0 (no limit) or more attempts", field="max_attempts")
        if self.cooldown < timedelta(0):
            raise InvalidQuiz("a cool-down of 0 or more", field="cooldown_minutes")
        if not 0 <= self.passing_percent <= 100:
            raise InvalidQuiz("a passing score of 0 to 100 percent", field="passing_percent")


@dataclass(frozen=True)
class PinnedQuestion:
    question_id: str
    version: int


@dataclass
class Quiz:
    id: str
    course_id: str
    lesson_id: str | None
    owner_id: str
    kind: QuizKind
    title: str
    question_ids: tuple[str, ...]
    settings: QuizSettings
    created_at: datetime
    status: QuizStatus = QuizStatus.DRAFT
    pool: tuple[PinnedQuestion, ...] = ()
    published_at: datetime | None = None
    version: int = 0
    events: list[Any] = recorded_events()

    @classmethod
    def create(
        cls,
        quiz_id: str,
        *,
        course_id: str,
        lesson_id: str | None,
        owner_id: str,
        kind: QuizKind,
        title: str,
        question_ids: tuple[str, ...],
        settings: QuizSettings,
        now: datetime,
    ) -> Quiz:
        if not title.strip():
            raise InvalidQuiz("a quiz has a title", field="title")
        if not question_ids or len(question_ids) > MAX_POOL:
            raise InvalidQuiz(f"a pool of 1 to {MAX_POOL} questions", field="question_ids")
        if len(set(question_ids)) != len(question_ids):
            raise InvalidQuiz("each question once", field="question_ids")
        if kind is QuizKind.QUIZ and lesson_id is None:
            raise InvalidQuiz("a quiz belongs to a quiz lesson", field="lesson_id")
        if kind is QuizKind.EXAM and lesson_id is not None:
            raise InvalidQuiz("a final exam belongs to the course, not a lesson", field="lesson_id")
        settings.check(len(question_ids))
        return cls(
            id=quiz_id,
            course_id=course_id,
            lesson_id=lesson_id,
            owner_id=owner_id,
            kind=kind,
            title=title.strip(),
            question_ids=question_ids,
            settings=settings,
            created_at=now,
        )

    def publish(self, latest_versions: Mapping[str, int], now: datetime) -> None:
        """Pin the current version of every question in the pool."""
        if self.status is QuizStatus.PUBLISHED:
            raise QuizAlreadyPublished(f"quiz {self.id} is published")
        missing = [q for q in self.question_ids if q not in latest_versions]
        if missing:
            raise InvalidQuiz(f"unknown questions: {', '.join(missing)}", field="question_ids")
        self.pool = tuple(PinnedQuestion(q, latest_versions[q]) for q in self.question_ids)
        self.status = QuizStatus.PUBLISHED
        self.published_at = now
        self.events.append(QuizPublished(quiz_id=self.id, course_id=self.course_id, at=now))

    def revise_settings(self, settings: QuizSettings) -> None:
        if self.status is QuizStatus.PUBLISHED:
            raise QuizAlreadyPublished("a published quiz keeps its rules; author a new one")
        settings.check(len(self.question_ids))
        self.settings = replace(settings)


def draw_questions(
    pool: tuple[PinnedQuestion, ...], count: int, seed: int
) -> tuple[PinnedQuestion, ...]:
    """The questions of one attempt and their order: ``count`` of the pool (0: all),
    shuffled by ``seed``; the same seed draws the same questions in the same order, so an
    attempt can be shown again for review."""
    drawn = list(pool)
    random.Random(seed).shuffle(drawn)  # noqa: S311 - an order for a quiz, not a secret
    return tuple(drawn[: count or len(drawn)])
