"""The course catalog: public reads (no token needed) and authoring by instructors (their
own courses) and admins. One controller, since reads and writes share their paths."""

from __future__ import annotations

from typing import Annotated, Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from cmh.courses.api.guards import AUTHORS_ONLY
from cmh.courses.api.schemas import (
    CourseCreate,
    CourseUpdate,
    LessonCreate,
    LessonOrder,
    ModuleCreate,
    ModuleOrder,
)
from cmh.courses.application.add_lesson import AddLesson
from cmh.courses.application.add_module import AddModule
from cmh.courses.application.archive_course import ArchiveCourse
from cmh.courses.application.authored_courses import AuthoredCourses
from cmh.courses.application.browse_catalog import BrowseCatalog, CatalogQuery
from cmh.courses.application.create_course import CreateCourse
from cmh.courses.application.get_course import GetCourse
from cmh.courses.application.publish_course import PublishCourse
from cmh.courses.application.reorder_lessons import ReorderLessons
from cmh.courses.application.reorder_modules import ReorderModules
from cmh.courses.application.update_course import UpdateCourse
from cmh.courses.application.views import CatalogPage, CourseView, LessonView, ModuleView
from cmh.courses.domain.values import CloudProvider, Level
from cmh.kernel.auth.authenticator import Authenticator, bearer_token
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


async def optional_principal(
    request: Request[Any, Any, Any], authenticator: Authenticator
) -> Principal | None:
    """A token, when sent, must be valid; without one the caller is anonymous."""
    header = request.headers.get("authorization")
    return await authenticator.authenticate(bearer_token(header)) if header else None


class CoursesController(Controller):
    path = "/api/v1/courses"
    tags = ["courses"]

    @get(
        "",
        operation_id="courses_browse",
        summary="Browse published courses (search, facets, cursor pages)",
        security=[{}],
    )
    @inject
    async def browse(
        self,
        browse: FromDishka[BrowseCatalog],
        q: Annotated[str | None, QueryParameter(max_length=200)] = None,
        provider: FromQuery[CloudProvider | None] = None,
        level: FromQuery[Level | None] = None,
        tag: Annotated[str | None, QueryParameter(max_length=32)] = None,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=50)] = 20,
    ) -> CatalogPage:
        return await browse.execute(
            CatalogQuery(
                text=q,
                provider=provider.value if provider else None,
                level=level.value if level else None,
                tag=tag,
                cursor=cursor,
                limit=limit,
            )
        )

    @get(
        "/authored",
        operation_id="courses_authored",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403),
        summary="The caller's own courses, drafts and archived ones included, newest change first",
        security=BEARER,
    )
    @inject
    async def authored(
        self, principal: FromDishka[Principal], authored: FromDishka[AuthoredCourses]
    ) -> list[CourseView]:
        return await authored.execute(principal)

    @get(
        "/{course_id:str}",
        operation_id="courses_get",
        summary="One course with its modules and lessons (drafts: owner and admins only)",
        security=[{}, {"BearerToken": []}],
    )
    @inject
    async def get_course(
        self,
        course_id: FromPath[str],
        request: Request[Any, Any, Any],
        authenticator: FromDishka[Authenticator],
        get_course: FromDishka[GetCourse],
    ) -> CourseView:
        principal = await optional_principal(request, authenticator)
        return await get_course.execute(principal, course_id)

    @post(
        "",
        operation_id="courses_create",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403),
        summary="Start a draft course",
        security=BEARER,
    )
    @inject
    async def create(
        self,
        data: JSONBody[CourseCreate],
        principal: FromDishka[Principal],
        create: FromDishka[CreateCourse],
    ) -> CourseView:
        return await create.execute(principal, data.command())

    @patch(
        "/{course_id:str}",
        operation_id="courses_update",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 409),
        summary="Revise a course's catalog data",
        security=BEARER,
    )
    @inject
    async def update(
        self,
        course_id: FromPath[str],
        data: JSONBody[CourseUpdate],
        principal: FromDishka[Principal],
        update: FromDishka[UpdateCourse],
    ) -> CourseView:
        return await update.execute(principal, course_id, data.command())

    @post(
        "/{course_id:str}/modules",
        operation_id="courses_add_module",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 409),
        summary="Append a module",
        security=BEARER,
    )
    @inject
    async def add_module(
        self,
        course_id: FromPath[str],
        data: JSONBody[ModuleCreate],
        principal: FromDishka[Principal],
        add: FromDishka[AddModule],
    ) -> ModuleView:
        return await add.execute(principal, course_id, data.title)

    @post(
        "/{course_id:str}/modules/{module_id:str}/lessons",
        operation_id="courses_add_lesson",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 409),
        summary="Append a lesson to a module",
        security=BEARER,
    )
    @inject
    async def add_lesson(
        self,
        course_id: FromPath[str],
        module_id: FromPath[str],
        data: JSONBody[LessonCreate],
        principal: FromDishka[Principal],
        add: FromDishka[AddLesson],
    ) -> LessonView:
        return await add.execute(principal, course_id, module_id, data.command())

    @put(
        "/{course_id:str}/modules/order",
        operation_id="courses_reorder_modules",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 409),
        summary="Put the modules in a new order (every module id, once each)",
        security=BEARER,
    )
    @inject
    async def reorder_modules(
        self,
        course_id: FromPath[str],
        data: JSONBody[ModuleOrder],
        principal: FromDishka[Principal],
        reorder: FromDishka[ReorderModules],
    ) -> CourseView:
        return await reorder.execute(principal, course_id, data.module_ids)

    @put(
        "/{course_id:str}/modules/{module_id:str}/lessons/order",
        operation_id="courses_reorder_lessons",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 409),
        summary="Put a module's lessons in a new order (every lesson id, once each)",
        security=BEARER,
    )
    @inject
    async def reorder_lessons(
        self,
        course_id: FromPath[str],
        module_id: FromPath[str],
        data: JSONBody[LessonOrder],
        principal: FromDishka[Principal],
        reorder: FromDishka[ReorderLessons],
    ) -> CourseView:
        return await reorder.execute(principal, course_id, module_id, data.lesson_ids)

    @post(
        "/{course_id:str}/publish",
        operation_id="courses_publish",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 409),
        summary="Publish a draft",
        status_code=200,
        security=BEARER,
    )
    @inject
    async def publish(
        self,
        course_id: FromPath[str],
        principal: FromDishka[Principal],
        publish: FromDishka[PublishCourse],
    ) -> CourseView:
        return await publish.execute(principal, course_id)

    @post(
        "/{course_id:str}/archive",
        operation_id="courses_archive",
        guards=[AUTHORS_ONLY],
        responses=problem_responses(403, 409),
        summary="Archive a course",
        status_code=200,
        security=BEARER,
    )
    @inject
    async def archive(
        self,
        course_id: FromPath[str],
        principal: FromDishka[Principal],
        archive: FromDishka[ArchiveCourse],
    ) -> CourseView:
        return await archive.execute(principal, course_id)
