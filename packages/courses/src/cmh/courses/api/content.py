"""Lesson content documents: written by the course's managers, read by its learners."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, put
from litestar.params import FromPath, JSONBody

from cmh.courses.api.guards import AUTHORS_ONLY
from cmh.courses.api.schemas import LessonContentPut
from cmh.courses.application.get_lesson_content import GetLessonContent
from cmh.courses.application.ports import LessonContent
from cmh.courses.application.put_lesson_content import PutLessonContent
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses


class LessonContentController(Controller):
    path = "/api/v1/courses/{course_id:str}/lessons/{lesson_id:str}/content"
    tags = ["courses", "content"]
    security = [{"BearerToken": []}]

    @put(
        "",
        operation_id="courses_put_lesson_content",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 409),
        summary="Write a lesson's content document",
    )
    @inject
    async def put_content(
        self,
        course_id: FromPath[str],
        lesson_id: FromPath[str],
        data: JSONBody[LessonContentPut],
        principal: FromDishka[Principal],
        put_content: FromDishka[PutLessonContent],
    ) -> LessonContent:
        return await put_content.execute(principal, course_id, lesson_id, data.command())

    @get(
        "",
        operation_id="courses_get_lesson_content",
        responses=problem_responses(403),
        summary="Read a lesson's content document",
    )
    @inject
    async def get_content(
        self,
        course_id: FromPath[str],
        lesson_id: FromPath[str],
        principal: FromDishka[Principal],
        get_content: FromDishka[GetLessonContent],
    ) -> LessonContent:
        return await get_content.execute(principal, course_id, lesson_id)
