"""One attempt, for the learner who took it, the course's instructors and admins; to
anyone else it does not exist (404). The key shows only after grading, and only when
the quiz shows answers after grading."""

from __future__ import annotations

from cmh.assessments.application.access import may_see_attempt
from cmh.assessments.application.ports import (
    AttemptRepository,
    CourseCatalog,
    QuestionRepository,
    QuizRepository,
)
from cmh.assessments.application.views import AttemptView, attempt_view
from cmh.assessments.domain.errors import AttemptNotFound
from cmh.kernel.auth.principal import Principal


class GetAttempt:
    def __init__(
        self,
        attempts: AttemptRepository,
        quizzes: QuizRepository,
        questions: QuestionRepository,
        catalog: CourseCatalog,
    ) -> None:
        self._attempts = attempts
        self._quizzes = quizzes
        self._questions = questions
        self._catalog = catalog

    async def execute(self, principal: Principal, attempt_id: str) -> AttemptView:
        attempt = await self._attempts.get(attempt_id)
        if attempt is None or not await may_see_attempt(self._catalog, principal, attempt):
            raise AttemptNotFound(f"attempt {attempt_id} not found")
        quiz = await self._quizzes.get(attempt.quiz_id)
        show = quiz is not None and quiz.settings.show_answers_after_grading
        questions = await self._questions.versions(attempt.questions)
        return attempt_view(attempt, questions, show_answers=show)
