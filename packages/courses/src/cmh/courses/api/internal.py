"""``/internal/v1/courses``: service-to-service routes (assessments asks who owns a course
and whether a learner is enrolled). The gateway never routes ``/internal``."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get
from litestar.params import FromPath

from cmh.contracts.http.courses import CourseMembershipResponse
from cmh.courses.application.course_membership import CourseMembership
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class InternalCoursesController(Controller):
    path = "/internal/v1/courses"
    tags = ["courses-internal"]
    security = BEARER

    @get(
        "/{course_id:str}/members/{user_id:str}",
        operation_id="courses_internal_membership",
        responses=problem_responses(403),
        summary="A course's owner and title, and whether a user is enrolled in it",
    )
    @inject
    async def membership(
        self,
        course_id: FromPath[str],
        user_id: FromPath[str],
        caller: FromDishka[Principal],
        membership: FromDishka[CourseMembership],
    ) -> CourseMembershipResponse:
        return await membership.execute(caller, course_id, user_id)
