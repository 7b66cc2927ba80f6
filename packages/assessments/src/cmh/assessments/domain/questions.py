"""Questions of a course's bank, and how each kind of question is marked.

A question is immutable once stored: a revision is a new version of the same question
id, so a published quiz (which pins versions) never changes under a learner. Every kind
is marked all or nothing; a question's points are earned whole or not at all.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cmh.assessments.domain.errors import InvalidAnswer, InvalidQuestion

# What a learner answers: a choice id (single), choice ids (multiple, ordering), a
# boolean (true/false), a number (numeric) or text (short text). Lab tasks take none.
AnswerValue = str | bool | float | int | list[str]

MAX_POINTS = 100
MAX_CHOICES = 12


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    NUMERIC = "numeric"
    SHORT_TEXT = "short_text"
    ORDERING = "ordering"
    LAB_TASK = "lab_task"


@dataclass(frozen=True)
class Choice:
    id: str
    text: str


@dataclass(frozen=True)
class Key:
    """The answer key, which never leaves the server before the attempt is submitted:
    the correct choice ids (single, multiple; ordering: in order), the truth (true/false),
    the value and tolerance (numeric), the accepted texts (short text), the lab task."""

    choice_ids: tuple[str, ...] = ()
    truth: bool | None = None
    value: float | None = None
    tolerance: float = 0.0
    accepted: tuple[str, ...] = ()
    lab_template_id: str | None = None
    lab_task_id: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    version: int
    course_id: str
    owner_id: str
    kind: QuestionKind
    prompt: str
    points: int
    explanation: str
    skills: tuple[str, ...]
    choices: tuple[Choice, ...]
    key: Key
    created_at: datetime

    @classmethod
    def create(
        cls,
        question_id: str,
        *,
        version: int = 1,
        course_id: str,
        owner_id: str,
        kind: QuestionKind,
        prompt: str,
        points: int,
        explanation: str = "",
        skills: tuple[str, ...] = (),
        choices: tuple[Choice, ...] = (),
        key: Key,
        now: datetime,
    ) -> Question:
        question = cls(
            id=question_id,
            version=version,
            course_id=course_id,
            owner_id=owner_id,
            kind=kind,
            prompt=prompt.strip(),
            points=points,
            explanation=explanation,
            skills=tuple(dict.fromkeys(s.strip().lower() for s in skills if s.strip())),
            choices=choices,
            key=key,
            created_at=now,
        )
        question.check()
        return question

    def revised(self, *, version: int, now: datetime, **changes: object) -> Question:
        fields = {
            "course_id": self.course_id,
            "owner_id": self.owner_id,
            "kind": self.kind,
            "prompt": self.prompt,
            "points": self.points,
            "explanation": self.explanation,
            "skills": self.skills,
            "choices": self.choices,
            "key": self.key,
        }
        fields.update({name: value for name, value in changes.items() if value is not None})
        return Question.create(self.id, version=version, now=now, **fields)  # type: ignore[arg-type]

    def check(self) -> None:
        if not self.prompt:
            raise InvalidQuestion("a question asks something", field="prompt")
        if not 1 <= self.points <= MAX_POINTS:
            raise InvalidQuestion(f"points are 1 to {MAX_POINTS}", field="points")
        ids = [c.id for c in self.choices]
        if len(set(ids)) != len(ids) or any(not c.id or not c.text.strip() for c in self.choices):
            raise InvalidQuestion("choices have distinct ids and some text", field="choices")
        if len(ids) > MAX_CHOICES:
            raise InvalidQuestion(f"at most {MAX_CHOICES} choices", field="choices")
        _KIND_RULES[self.kind](self)

    # --- marking ----------------------------------------------------------------------

    def check_answer(self, value: AnswerValue) -> None:
        """Refuse an answer that cannot be one to this question (wrong shape, unknown
        choice): the learner hears it when saving, not at grading."""
        if not _shape_fits(self, value):
            raise InvalidAnswer(
                f"not an answer to a {self.kind} question", field=f"answers.{self.id}"
            )

    def is_correct(self, value: AnswerValue | None) -> bool:
        """Whether ``value`` earns the question's points (lab tasks: see ``grading``)."""
        if value is None or not _shape_fits(self, value):
            return False
        key = self.key
        match self.kind:
            case QuestionKind.SINGLE:
                return (value,) == key.choice_ids
            case QuestionKind.MULTIPLE:
                assert isinstance(value, list)
                return set(value) == set(key.choice_ids)
            case QuestionKind.TRUE_FALSE:
                return value is key.truth
            case QuestionKind.NUMERIC:
                assert key.value is not None
                assert isinstance(value, int | float)
                return within_tolerance(float(value), key.value, key.tolerance)
            case QuestionKind.SHORT_TEXT:
                assert isinstance(value, str)
                return normalised(value) in {normalised(a) for a in key.accepted}
            case QuestionKind.ORDERING:
                assert isinstance(value, list)
                return tuple(value) == key.choice_ids
        return False


def within_tolerance(given: float, expected: float, tolerance: float) -> bool:
    """``given`` is ``expected`` give or take ``tolerance`` (absolute), edges included."""
    if not math.isfinite(given):
        return False
    return abs(given - expected) <= tolerance + 1e-9 * max(1.0, abs(expected))


_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = ".,;:!?\"'`()[]{}"


def normalised(text: str) -> str:
    """Case, accents, surrounding punctuation and runs of spaces do not matter."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain.casefold()).strip().strip(_EDGE_PUNCTUATION).strip()


def _shape_fits(question: Question, value: AnswerValue) -> bool:
    ids = {c.id for c in question.choices}
    match question.kind:
        case QuestionKind.SINGLE:
            return isinstance(value, str) and value in ids
        case QuestionKind.MULTIPLE:
            return (
                isinstance(value, list)
                and len(set(value)) == len(value)
                and all(isinstance(v, str) and v in ids for v in value)
            )
        case QuestionKind.ORDERING:
            return isinstance(value, list) and sorted(value) == sorted(ids)
        case QuestionKind.TRUE_FALSE:
            return isinstance(value, bool)
        case QuestionKind.NUMERIC:
            return isinstance(value, int | float) and not isinstance(value, bool)
        case QuestionKind.SHORT_TEXT:
            return isinstance(value, str) and len(value) <= 500
    return False


def _needs_choices(question: Question, minimum: int) -> None:
    if len(question.choices) < minimum:
        raise InvalidQuestion(f"at least {minimum} choices", field="choices")


def _single(question: Question) -> None:
    _needs_choices(question, 2)
    ids = {c.id for c in question.choices}
    if len(question.key.choice_ids) != 1 or question.key.choice_ids[0] not in ids:
        raise InvalidQuestion("exactly one correct choice", field="key.choice_ids")


def _multiple(question: Question) -> None:
    _needs_choices(question, 2)
    ids = {c.id for c in question.choices}
    chosen = question.key.choice_ids
    if not chosen or len(set(chosen)) != len(chosen) or not set(chosen) <= ids:
        raise InvalidQuestion("one or more of the choices are correct", field="key.choice_ids")


def _true_false(question: Question) -> None:
    if question.key.truth is None:
        raise InvalidQuestion("true or false", field="key.truth")
    if question.choices:
        raise InvalidQuestion("a true/false question has no choices", field="choices")


def _numeric(question: Question) -> None:
    key = question.key
    if key.value is None or not math.isfinite(key.value):
        raise InvalidQuestion("the expected number", field="key.value")
    if not math.isfinite(key.tolerance) or key.tolerance < 0:
        raise InvalidQuestion("a tolerance of 0 or more", field="key.tolerance")


def _short_text(question: Question) -> None:
    if not [a for a in question.key.accepted if normalised(a)]:
        raise InvalidQuestion("at least one accepted answer", field="key.accepted")


def _ordering(question: Question) -> None:
    _needs_choices(question, 2)
    if sorted(question.key.choice_ids) != sorted(c.id for c in question.choices):
        raise InvalidQuestion("the order names every choice once", field="key.choice_ids")


def _lab_task(question: Question) -> None:
    if not question.key.lab_template_id or not question.key.lab_task_id:
        raise InvalidQuestion("the lab template and task", field="key.lab_task_id")


_KIND_RULES = {
    QuestionKind.SINGLE: _single,
    QuestionKind.MULTIPLE: _multiple,
    QuestionKind.TRUE_FALSE: _true_false,
    QuestionKind.NUMERIC: _numeric,
    QuestionKind.SHORT_TEXT: _short_text,
    QuestionKind.ORDERING: _ordering,
    QuestionKind.LAB_TASK: _lab_task,
}
