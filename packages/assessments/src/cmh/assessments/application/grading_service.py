"""Grading a closed attempt, shared by the submit and the review of a held exam: marks
from the pinned questions, the learner's validated lab tasks, the proctoring verdict
for a proctored exam, and the certificate when a passed exam was the last requirement."""

from __future__ import annotations

from datetime import datetime

from cmh.assessments.application.certification import Certification
from cmh.assessments.application.ports import (
    LearnerRecords,
    Proctoring,
    QuestionRepository,
    QuizRepository,
)
from cmh.assessments.domain.attempt import Attempt, AttemptStatus
from cmh.assessments.domain.errors import QuizNotFound
from cmh.assessments.domain.grading import grade
from cmh.assessments.domain.questions import AnswerValue, Question
from cmh.assessments.domain.quiz import QuizKind


class Grader:
    def __init__(
        self,
        quizzes: QuizRepository,
        questions: QuestionRepository,
        records: LearnerRecords,
        proctoring: Proctoring,
        certification: Certification,
    ) -> None:
        self._quizzes = quizzes
        self._questions = questions
        self._records = records
        self._proctoring = proctoring
        self._certification = certification

    async def grade_closed(
        self, attempt: Attempt, counted: dict[str, AnswerValue], now: datetime
    ) -> list[Question]:
        quiz = await self._quizzes.get(attempt.quiz_id)
        if quiz is None:
            raise QuizNotFound(f"quiz {attempt.quiz_id} not found")
        questions = await self._questions.versions(attempt.questions)
        result = grade(
            questions,
            counted,
            lab_tasks_passed=await self._records.lab_tasks(attempt.user_id),
            passing_percent=quiz.settings.passing_percent,
        )
        if quiz.settings.proctored:
            verdict = await self._proctoring.verdict(attempt.id, attempt.user_id, quiz.id)
            if verdict.flagged:
                attempt.hold(result, verdict.reasons or ("flagged",), now)
                return questions
        attempt.record_grade(result, now)
        return questions

    async def after_grading(self, attempt: Attempt, now: datetime) -> None:
        """Once the graded attempt is saved: a passed exam may complete a certificate."""
        passed = attempt.grade is not None and attempt.grade.passed
        if attempt.status is AttemptStatus.GRADED and passed and attempt.quiz_kind == QuizKind.EXAM:
            await self._certification.issue_if_earned(attempt.user_id, attempt.course_id, now)
