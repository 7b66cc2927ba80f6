"""Publishing a quiz pins the current version of each of its questions."""

from __future__ import annotations

from cmh.assessments.application.access import managed_course
from cmh.assessments.application.ports import CourseCatalog, QuestionRepository, QuizRepository
from cmh.assessments.application.views import QuizView, quiz_view
from cmh.assessments.domain.errors import QuizNotFound
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class PublishQuiz:
    def __init__(
        self,
        quizzes: QuizRepository,
        questions: QuestionRepository,
        catalog: CourseCatalog,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._quizzes = quizzes
        self._questions = questions
        self._catalog = catalog
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, quiz_id: str) -> QuizView:
        async with self._uow:
            quiz = await self._quizzes.get(quiz_id)
            if quiz is None:
                raise QuizNotFound(f"quiz {quiz_id} not found")
            await managed_course(self._catalog, quiz.course_id, principal)
            latest = {}
            for question_id in quiz.question_ids:
                question = await self._questions.latest(question_id)
                if question is not None:
                    latest[question_id] = question.version
            quiz.publish(latest, self._clock.now())
            await self._quizzes.save(quiz)
            self._uow.track(quiz)
            await self._uow.commit()
        return quiz_view(quiz)
