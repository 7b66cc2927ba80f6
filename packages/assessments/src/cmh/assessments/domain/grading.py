"""Marking an attempt: each question's points earned whole or not at all, the score, the
percentage, passed or not, and the points per skill tag. A lab-task question earns its
points when the learner's lab validated that task."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from cmh.assessments.domain.questions import AnswerValue, Question, QuestionKind

LabTask = tuple[str, str]  # (lab template id, task id)


@dataclass(frozen=True)
class SkillResult:
    skill: str
    earned: int
    possible: int


@dataclass(frozen=True)
class QuestionOutcome:
    question_id: str
    earned: int
    possible: int

    @property
    def correct(self) -> bool:
        return self.earned == self.possible


@dataclass(frozen=True)
class Grade:
    score: int
    max_score: int
    percent: int
    passed: bool
    skills: tuple[SkillResult, ...]
    outcomes: tuple[QuestionOutcome, ...]

    def failed(self) -> Grade:
        """The same marks, not passed (an exam its reviewer did not clear)."""
        return Grade(self.score, self.max_score, self.percent, False, self.skills, self.outcomes)


def earned(question: Question, answer: AnswerValue | None, labs: Collection[LabTask]) -> bool:
    if question.kind is QuestionKind.LAB_TASK:
        task = (question.key.lab_template_id or "", question.key.lab_task_id or "")
        return task in labs
    return question.is_correct(answer)


def grade(
    questions: Sequence[Question],
    answers: Mapping[str, AnswerValue],
    *,
    lab_tasks_passed: Collection[LabTask],
    passing_percent: int,
) -> Grade:
    outcomes = tuple(
        QuestionOutcome(
            question_id=q.id,
            earned=q.points if earned(q, answers.get(q.id), lab_tasks_passed) else 0,
            possible=q.points,
        )
        for q in questions
    )
    score = sum(o.earned for o in outcomes)
    max_score = sum(o.possible for o in outcomes)
    per_skill: dict[str, list[int]] = {}
    for question, outcome in zip(questions, outcomes, strict=True):
        for skill in question.skills:
            tally = per_skill.setdefault(skill, [0, 0])
            tally[0] += outcome.earned
            tally[1] += outcome.possible
    return Grade(
        score=score,
        max_score=max_score,
        percent=score * 100 // max_score if max_score else 0,
        # Exact: 7 of 10 points pass a 70 % bar, whatever the rounding of the percentage.
        passed=max_score > 0 and score * 100 >= passing_percent * max_score,
        skills=tuple(SkillResult(s, e, p) for s, (e, p) in sorted(per_skill.items())),
        outcomes=outcomes,
    )
