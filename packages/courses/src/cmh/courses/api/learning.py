"""Enrollment, progress and playback: what a learner does inside a course."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from cmh.courses.api.schemas import VideoPosition
from cmh.courses.application.complete_lesson import CompleteLesson
from cmh.courses.application.enroll_learner import EnrollLearner
from cmh.courses.application.get_progress import GetProgress
from cmh.courses.application.launch_lesson_lab import LaunchLessonLab
from cmh.courses.application.lesson_playback import LessonPlayback
from cmh.courses.application.my_enrollments import MyEnrollments
from cmh.courses.application.ports import LabSessionSummary, PlaybackUrl
from cmh.courses.application.save_video_position import SaveVideoPosition
from cmh.courses.application.unenroll import Unenroll
from cmh.courses.application.views import EnrollmentList, EnrollmentView, ProgressView
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class EnrollmentController(Controller):
    path = "/api/v1"
    tags = ["enrollments"]
    security = BEARER

    @post(
        "/courses/{course_id:str}/enrollments",
        operation_id="courses_enroll",
        responses=problem_responses(403, 409),
        summary="Enroll in a course",
    )
    @inject
    async def enroll(
        self,
        course_id: FromPath[str],
        principal: FromDishka[Principal],
        enroll: FromDishka[EnrollLearner],
    ) -> EnrollmentView:
        return await enroll.execute(principal, course_id)

    @delete(
        "/courses/{course_id:str}/enrollments/me",
        operation_id="courses_unenroll",
        responses=problem_responses(403),
        summary="Leave a course",
    )
    @inject
    async def unenroll(
        self,
        course_id: FromPath[str],
        principal: FromDishka[Principal],
        unenroll: FromDishka[Unenroll],
    ) -> None:
        await unenroll.execute(principal, course_id)

    @get(
        "/enrollments/me", operation_id="courses_my_enrollments", summary="My courses with progress"
    )
    @inject
    async def mine(
        self, principal: FromDishka[Principal], mine: FromDishka[MyEnrollments]
    ) -> EnrollmentList:
        return await mine.execute(principal)


class LearningController(Controller):
    path = "/api/v1/courses/{course_id:str}"
    tags = ["progress"]
    security = BEARER

    @post(
        "/lessons/{lesson_id:str}/complete",
        operation_id="courses_complete_lesson",
        responses=problem_responses(403, 409),
        summary="Mark a lesson done",
        status_code=200,
    )
    @inject
    async def complete(
        self,
        course_id: FromPath[str],
        lesson_id: FromPath[str],
        principal: FromDishka[Principal],
        complete: FromDishka[CompleteLesson],
    ) -> ProgressView:
        return await complete.execute(principal, course_id, lesson_id)

    @put(
        "/lessons/{lesson_id:str}/position",
        operation_id="courses_save_position",
        responses=problem_responses(403, 409),
        summary="Save a video position",
    )
    @inject
    async def position(
        self,
        course_id: FromPath[str],
        lesson_id: FromPath[str],
        data: JSONBody[VideoPosition],
        principal: FromDishka[Principal],
        save: FromDishka[SaveVideoPosition],
    ) -> ProgressView:
        return await save.execute(principal, course_id, lesson_id, data.seconds)

    @get(
        "/progress",
        operation_id="courses_get_progress",
        responses=problem_responses(403),
        summary="Progress in a course",
    )
    @inject
    async def progress(
        self,
        course_id: FromPath[str],
        principal: FromDishka[Principal],
        get_progress: FromDishka[GetProgress],
        user_id: FromQuery[str | None] = None,
    ) -> ProgressView:
        return await get_progress.execute(principal, course_id, user_id)

    @get(
        "/lessons/{lesson_id:str}/playback",
        operation_id="courses_lesson_playback",
        responses=problem_responses(403, 409),
        summary="Video URL",
    )
    @inject
    async def playback(
        self,
        course_id: FromPath[str],
        lesson_id: FromPath[str],
        principal: FromDishka[Principal],
        playback: FromDishka[LessonPlayback],
    ) -> PlaybackUrl:
        return await playback.execute(principal, course_id, lesson_id)

    @post(
        "/lessons/{lesson_id:str}/lab",
        operation_id="courses_lesson_lab_launch",
        status_code=202,
        responses=problem_responses(403, 404, 409, 503),
        summary="Launch the lab of a lab lesson (enrolled learners; provisioning is queued)",
        description="403 `not_enrolled` outside the course, `not_entitled` when the tier or "
        "the lab hours left do not allow it; 404 `lab_lesson_not_found` when the lesson has "
        "no lab; 409 `lab_already_running` when a session of the template is live.",
    )
    @inject
    async def launch_lab(
        self,
        course_id: FromPath[str],
        lesson_id: FromPath[str],
        principal: FromDishka[Principal],
        launch: FromDishka[LaunchLessonLab],
    ) -> LabSessionSummary:
        return await launch.execute(principal, course_id, lesson_id)
