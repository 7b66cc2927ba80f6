"""Taking a quiz: the lesson's quiz as a learner sees it, attempts, autosaved answers,
submit (graded at once). No response before the submit carries a question's key."""

from __future__ import annotations

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post, put
from litestar.params import FromPath, JSONBody

from cmh.assessments.api.guards import AUTHORS_ONLY, BEARER
from cmh.assessments.application.get_attempt import GetAttempt
from cmh.assessments.application.lesson_quiz import LessonQuiz
from cmh.assessments.application.review_attempt import ReviewDecision, ReviewHeldAttempt
from cmh.assessments.application.save_answer import SaveAnswer, SavedAnswerView
from cmh.assessments.application.start_attempt import StartAttempt
from cmh.assessments.application.submit_attempt import SubmitAttempt
from cmh.assessments.application.views import AttemptView, LearnerQuizView
from cmh.assessments.domain.questions import AnswerValue
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses


class AnswerBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A choice id (single), choice ids (multiple; ordering: in order), true or false,
    a number, or text."""

    value: AnswerValue


class LessonQuizController(Controller):
    """Under courses' resource: the gateway routes this one path to assessments."""

    path = "/api/v1/courses/{course_id:str}/lessons/{lesson_id:str}/quiz"
    tags = ["assessments"]
    security = BEARER

    @get(
        "",
        operation_id="assessments_lesson_quiz",
        summary="A quiz lesson's quiz as the learner sees it (no answers); lesson `exam`: "
        "the course's final exam",
    )
    @inject
    async def lesson_quiz(
        self,
        course_id: FromPath[str],
        lesson_id: FromPath[str],
        principal: FromDishka[Principal],
        quiz: FromDishka[LessonQuiz],
    ) -> LearnerQuizView:
        return await quiz.execute(principal, course_id, lesson_id)


class StartAttemptController(Controller):
    path = "/api/v1/assessments/quizzes/{quiz_id:str}/attempts"
    tags = ["assessments"]
    security = BEARER

    @post(
        "",
        operation_id="assessments_attempts_start",
        responses=problem_responses(403, 409, 503),
        summary="Start an attempt: its questions (no answers) and deadline",
        description="409 `attempts_used_up`, `attempt_cooling_down`, `attempt_in_progress`, "
        "`quiz_not_published`; 403 `not_enrolled`.",
    )
    @inject
    async def start(
        self,
        quiz_id: FromPath[str],
        principal: FromDishka[Principal],
        start: FromDishka[StartAttempt],
    ) -> AttemptView:
        return await start.execute(principal, quiz_id)


class AttemptsController(Controller):
    path = "/api/v1/assessments/attempts"
    tags = ["assessments"]
    security = BEARER

    @get(
        "/{attempt_id:str}",
        operation_id="assessments_attempts_get",
        responses=problem_responses(503),
        summary="An attempt (its learner, the course's instructors, admins)",
    )
    @inject
    async def get_attempt(
        self,
        attempt_id: FromPath[str],
        principal: FromDishka[Principal],
        attempt: FromDishka[GetAttempt],
    ) -> AttemptView:
        return await attempt.execute(principal, attempt_id)

    @put(
        "/{attempt_id:str}/answers/{question_id:str}",
        operation_id="assessments_attempts_answer",
        responses=problem_responses(409),
        summary="Save (autosave) one answer; 409 `attempt_time_is_up` after the deadline",
    )
    @inject
    async def answer(
        self,
        attempt_id: FromPath[str],
        question_id: FromPath[str],
        data: JSONBody[AnswerBody],
        principal: FromDishka[Principal],
        save: FromDishka[SaveAnswer],
    ) -> SavedAnswerView:
        return await save.execute(principal, attempt_id, question_id, data.value)

    @post(
        "/{attempt_id:str}/submit",
        operation_id="assessments_attempts_submit",
        status_code=200,
        responses=problem_responses(409),
        summary="Submit and grade (after the deadline: graded with what was saved by then)",
    )
    @inject
    async def submit(
        self,
        attempt_id: FromPath[str],
        principal: FromDishka[Principal],
        submit: FromDishka[SubmitAttempt],
    ) -> AttemptView:
        return await submit.execute(principal, attempt_id)

    @post(
        "/{attempt_id:str}/review",
        operation_id="assessments_attempts_review",
        guards=[AUTHORS_ONLY],
        status_code=200,
        responses=problem_responses(403, 409, 503),
        summary="Decide on an exam attempt held after proctoring flagged it",
    )
    @inject
    async def review(
        self,
        attempt_id: FromPath[str],
        data: JSONBody[ReviewDecision],
        principal: FromDishka[Principal],
        review: FromDishka[ReviewHeldAttempt],
    ) -> AttemptView:
        return await review.execute(principal, attempt_id, data)
