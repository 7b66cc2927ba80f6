"""A course's bank, latest versions, for its instructor and admins."""

from __future__ import annotations

from cmh.assessments.application.access import managed_course
from cmh.assessments.application.ports import CourseCatalog, QuestionRepository
from cmh.assessments.application.views import QuestionView, question_view
from cmh.kernel.auth.principal import Principal


class ListQuestions:
    def __init__(self, questions: QuestionRepository, catalog: CourseCatalog) -> None:
        self._questions = questions
        self._catalog = catalog

    async def execute(self, principal: Principal, course_id: str) -> list[QuestionView]:
        await managed_course(self._catalog, course_id, principal)
        return [question_view(q) for q in await self._questions.latest_of_course(course_id)]
