"""One quiz as its author sees it."""

from __future__ import annotations

from cmh.assessments.application.access import managed_course
from cmh.assessments.application.ports import CourseCatalog, QuizRepository
from cmh.assessments.application.views import QuizView, quiz_view
from cmh.assessments.domain.errors import QuizNotFound
from cmh.kernel.auth.principal import Principal


class GetQuiz:
    def __init__(self, quizzes: QuizRepository, catalog: CourseCatalog) -> None:
        self._quizzes = quizzes
        self._catalog = catalog

    async def execute(self, principal: Principal, quiz_id: str) -> QuizView:
        quiz = await self._quizzes.get(quiz_id)
        if quiz is None:
            raise QuizNotFound(f"quiz {quiz_id} not found")
        await managed_course(self._catalog, quiz.course_id, principal)
        return quiz_view(quiz)
