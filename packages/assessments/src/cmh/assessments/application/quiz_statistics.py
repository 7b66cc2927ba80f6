"""Item statistics of a quiz (difficulty, discrimination) for its instructors."""

from __future__ import annotations

from cmh.assessments.application.access import managed_course
from cmh.assessments.application.ports import AttemptRepository, CourseCatalog, QuizRepository
from cmh.assessments.application.views import QuizStatisticsView, statistics_view
from cmh.assessments.domain.attempt import AttemptStatus
from cmh.assessments.domain.errors import QuizNotFound
from cmh.assessments.domain.statistics import item_statistics
from cmh.kernel.auth.principal import Principal


class QuizStatistics:
    def __init__(
        self, quizzes: QuizRepository, attempts: AttemptRepository, catalog: CourseCatalog
    ) -> None:
        self._quizzes = quizzes
        self._attempts = attempts
        self._catalog = catalog

    async def execute(self, principal: Principal, quiz_id: str) -> QuizStatisticsView:
        quiz = await self._quizzes.get(quiz_id)
        if quiz is None:
            raise QuizNotFound(f"quiz {quiz_id} not found")
        await managed_course(self._catalog, quiz.course_id, principal)
        grades = [
            a.grade
            for a in await self._attempts.of_quiz(quiz_id)
            if a.status is AttemptStatus.GRADED and a.grade is not None
        ]
        return statistics_view(quiz_id, grades, item_statistics(list(quiz.question_ids), grades))
