"""Authoring under ``/api/v1/assessments``: a course's question bank and its quizzes, for
the course's instructor and admins; item statistics per quiz."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from cmh.assessments.api.guards import AUTHORS_ONLY, BEARER
from cmh.assessments.application.author_question import AuthorQuestion, NewQuestion
from cmh.assessments.application.create_quiz import CreateQuiz, NewQuiz
from cmh.assessments.application.get_quiz import GetQuiz
from cmh.assessments.application.list_questions import ListQuestions
from cmh.assessments.application.publish_quiz import PublishQuiz
from cmh.assessments.application.quiz_statistics import QuizStatistics
from cmh.assessments.application.revise_question import QuestionRevision, ReviseQuestion
from cmh.assessments.application.views import QuestionView, QuizStatisticsView, QuizView
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses


class QuestionsController(Controller):
    path = "/api/v1/assessments/questions"
    tags = ["assessments"]
    security = BEARER
    guards = [AUTHORS_ONLY]

    @post(
        "",
        operation_id="assessments_questions_create",
        responses=problem_responses(403, 404, 503),
        summary="Add a question to a course's bank",
    )
    @inject
    async def create(
        self,
        data: JSONBody[NewQuestion],
        principal: FromDishka[Principal],
        author: FromDishka[AuthorQuestion],
    ) -> QuestionView:
        return await author.execute(principal, data)

    @get(
        "",
        operation_id="assessments_questions_list",
        responses=problem_responses(403, 404, 503),
        summary="A course's question bank (latest versions)",
    )
    @inject
    async def list_questions(
        self,
        course_id: FromQuery[str],
        principal: FromDishka[Principal],
        questions: FromDishka[ListQuestions],
    ) -> list[QuestionView]:
        return await questions.execute(principal, course_id)

    @put(
        "/{question_id:str}",
        operation_id="assessments_questions_revise",
        responses=problem_responses(403, 503),
        summary="A new version of a question (published quizzes keep theirs)",
    )
    @inject
    async def revise(
        self,
        question_id: FromPath[str],
        data: JSONBody[QuestionRevision],
        principal: FromDishka[Principal],
        revise: FromDishka[ReviseQuestion],
    ) -> QuestionView:
        return await revise.execute(principal, question_id, data)


class QuizzesController(Controller):
    path = "/api/v1/assessments/quizzes"
    tags = ["assessments"]
    security = BEARER

    @post(
        "",
        operation_id="assessments_quizzes_create",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 404, 503),
        summary="A quiz of a quiz lesson, or a course's final exam (a draft)",
    )
    @inject
    async def create(
        self,
        data: JSONBody[NewQuiz],
        principal: FromDishka[Principal],
        create: FromDishka[CreateQuiz],
    ) -> QuizView:
        return await create.execute(principal, data)

    @get(
        "/{quiz_id:str}",
        operation_id="assessments_quizzes_get",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 503),
        summary="A quiz as its author sees it",
    )
    @inject
    async def get_quiz(
        self, quiz_id: FromPath[str], principal: FromDishka[Principal], quiz: FromDishka[GetQuiz]
    ) -> QuizView:
        return await quiz.execute(principal, quiz_id)

    @post(
        "/{quiz_id:str}/publish",
        operation_id="assessments_quizzes_publish",
        guards=[AUTHORS_ONLY],
        status_code=200,
        responses=problem_responses(403, 409, 503),
        summary="Publish a quiz: each question's current version is pinned",
    )
    @inject
    async def publish(
        self,
        quiz_id: FromPath[str],
        principal: FromDishka[Principal],
        publish: FromDishka[PublishQuiz],
    ) -> QuizView:
        return await publish.execute(principal, quiz_id)

    @get(
        "/{quiz_id:str}/statistics",
        operation_id="assessments_quizzes_statistics",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 503),
        summary="Item statistics of a quiz: difficulty and discrimination",
    )
    @inject
    async def statistics(
        self,
        quiz_id: FromPath[str],
        principal: FromDishka[Principal],
        statistics: FromDishka[QuizStatistics],
    ) -> QuizStatisticsView:
        return await statistics.execute(principal, quiz_id)
