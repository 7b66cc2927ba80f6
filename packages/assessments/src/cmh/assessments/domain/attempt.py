"""An Attempt: one learner's go at a quiz, timed by the server.

started -> answering (each answer autosaved) -> submitted | timed_out -> graded, or held
for review (a proctored exam the proctoring service flagged) -> graded when an
instructor decides. A submit after the deadline is a time-out graded with what was saved
by the deadline; an answer after the deadline is refused. ``now`` is always given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from cmh.assessments.domain.errors import (
    AttemptClosed,
    AttemptInProgress,
    AttemptsUsedUp,
    CoolingDown,
    InvalidAnswer,
    NotHeld,
    TimeIsUp,
)
from cmh.assessments.domain.events import AttemptGraded, AttemptHeld, AttemptStarted
from cmh.assessments.domain.grading import Grade
from cmh.assessments.domain.questions import AnswerValue, Question
from cmh.assessments.domain.quiz import PinnedQuestion, Quiz, QuizSettings, draw_questions
from cmh.kernel.domain_events import recorded_events


class AttemptStatus(StrEnum):
    STARTED = "started"
    ANSWERING = "answering"
    SUBMITTED = "submitted"
    TIMED_OUT = "timed_out"
    GRADED = "graded"
    HELD = "held_for_review"


OPEN = frozenset({AttemptStatus.STARTED, AttemptStatus.ANSWERING})


@dataclass(frozen=True)
class SavedAnswer:
    value: AnswerValue
    saved_at: datetime


@dataclass
class Attempt:
    id: str
    quiz_id: str
    quiz_kind: str
    course_id: str
    lesson_id: str | None
    user_id: str
    number: int
    seed: int
    questions: tuple[PinnedQuestion, ...]
    started_at: datetime
    deadline: datetime
    status: AttemptStatus = AttemptStatus.STARTED
    answers: dict[str, SavedAnswer] = field(default_factory=dict)
    submitted_at: datetime | None = None
    grade: Grade | None = None
    held_reasons: tuple[str, ...] = ()
    proctoring_url: str | None = None
    version: int = 0
    events: list[Any] = recorded_events()

    @classmethod
    def start(
        cls,
        attempt_id: str,
        *,
        quiz: Quiz,
        user_id: str,
        previous: Sequence[Attempt],
        seed: int,
        now: datetime,
    ) -> Attempt:
        check_may_start(quiz.settings, previous, now)
        attempt = cls(
            id=attempt_id,
            quiz_id=quiz.id,
            quiz_kind=str(quiz.kind),
            course_id=quiz.course_id,
            lesson_id=quiz.lesson_id,
            user_id=user_id,
            number=len(previous) + 1,
            seed=seed,
            questions=draw_questions(quiz.pool, quiz.settings.questions_per_attempt, seed),
            started_at=now,
            deadline=now + quiz.settings.time_limit,
        )
        attempt.events.append(
            AttemptStarted(
                attempt_id=attempt_id,
                quiz_id=quiz.id,
                course_id=quiz.course_id,
                lesson_id=quiz.lesson_id,
                user_id=user_id,
                number=attempt.number,
                deadline=attempt.deadline,
                at=now,
            )
        )
        return attempt

    def proctor(self, launch_url: str) -> None:
        """Where the candidate opens this (proctored exam's) attempt while it is open."""
        if self.status not in OPEN:
            raise AttemptClosed(f"attempt {self.id} is {self.status}")
        self.proctoring_url = launch_url

    def is_open(self, now: datetime) -> bool:
        return self.status in OPEN and now <= self.deadline

    @property
    def open_until(self) -> datetime | None:
        """The deadline while the attempt is still open (nobody submitted it), else None."""
        return self.deadline if self.status in OPEN else None

    def is_abandoned(self, now: datetime) -> bool:
        """Open past its deadline: the learner left without submitting."""
        return self.status in OPEN and now > self.deadline

    def finished_at(self) -> datetime:
        """When the attempt stopped counting time: its submit, or its deadline."""
        if self.submitted_at is not None:
            return min(self.submitted_at, self.deadline)
        return self.deadline

    def answer(self, question: Question, value: AnswerValue, now: datetime) -> None:
        if self.status not in OPEN:
            raise AttemptClosed(f"attempt {self.id} is {self.status}")
        if now > self.deadline:
            raise TimeIsUp(f"attempt {self.id} ended at {self.deadline.isoformat()}")
        if question.id not in {p.question_id for p in self.questions}:
            raise InvalidAnswer("not a question of this attempt", field="question_id")
        question.check_answer(value)
        self.answers[question.id] = SavedAnswer(value=value, saved_at=now)
        self.status = AttemptStatus.ANSWERING

    def submit(self, now: datetime) -> dict[str, AnswerValue]:
        """Close the attempt; the answers that count (saved by the deadline)."""
        if self.status not in OPEN:
            raise AttemptClosed(f"attempt {self.id} is {self.status}")
        self.submitted_at = now
        self.status = AttemptStatus.TIMED_OUT if now > self.deadline else AttemptStatus.SUBMITTED
        return {q: a.value for q, a in self.answers.items() if a.saved_at <= self.deadline}

    def record_grade(self, grade: Grade, now: datetime) -> None:
        if self.status not in (AttemptStatus.SUBMITTED, AttemptStatus.TIMED_OUT):
            raise AttemptClosed(f"attempt {self.id} is {self.status}")
        timed_out = self.status is AttemptStatus.TIMED_OUT
        self.grade = grade
        self.status = AttemptStatus.GRADED
        self.events.append(self._graded(grade, timed_out, now))

    def hold(self, grade: Grade, reasons: tuple[str, ...], now: datetime) -> None:
        """Keep a flagged exam's marks without a verdict until an instructor decides."""
        if self.status not in (AttemptStatus.SUBMITTED, AttemptStatus.TIMED_OUT):
            raise AttemptClosed(f"attempt {self.id} is {self.status}")
        self.grade = grade
        self.held_reasons = reasons
        self.status = AttemptStatus.HELD
        self.events.append(AttemptHeld(self.id, self.quiz_id, self.user_id, reasons, now))

    def release(self, *, cleared: bool, now: datetime) -> None:
        if self.status is not AttemptStatus.HELD or self.grade is None:
            raise NotHeld(f"attempt {self.id} is not held for review")
        self.grade = self.grade if cleared else self.grade.failed()
        self.status = AttemptStatus.GRADED
        timed_out = self.submitted_at is not None and self.submitted_at > self.deadline
        self.events.append(self._graded(self.grade, timed_out, now))

    def anonymise(self) -> None:
        """Forget whose attempt this was and what they wrote; the marks stay for the
        quiz's statistics."""
        self.user_id = "erased"
        self.answers = {}

    def _graded(self, grade: Grade, timed_out: bool, now: datetime) -> AttemptGraded:
        return AttemptGraded(
            attempt_id=self.id,
            quiz_id=self.quiz_id,
            quiz_kind=self.quiz_kind,
            course_id=self.course_id,
            lesson_id=self.lesson_id,
            user_id=self.user_id,
            score=grade.score,
            max_score=grade.max_score,
            percent=grade.percent,
            passed=grade.passed,
            timed_out=timed_out,
            skills=grade.skills,
            at=now,
        )


def check_may_start(settings: QuizSettings, previous: Sequence[Attempt], now: datetime) -> None:
    """Refuse a new attempt while one is open, when the attempts are used up, or during
    the cool-down after the last one finished."""
    if any(a.is_open(now) for a in previous):
        raise AttemptInProgress("finish the open attempt first")
    if settings.max_attempts and len(previous) >= settings.max_attempts:
        raise AttemptsUsedUp(f"all {settings.max_attempts} attempts are used")
    if previous and settings.cooldown:
        ready_at = max(a.finished_at() for a in previous) + settings.cooldown
        if now < ready_at:
            raise CoolingDown(f"the next attempt may start at {ready_at.isoformat()}")
