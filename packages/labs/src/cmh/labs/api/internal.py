"""``/internal/v1/labs``: service-to-service routes for courses (a launch from a lab
lesson, a template's owner). Callers present a platform service's token, or the
learner's own relayed by courses; the gateway never routes ``/internal``."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from cmh.contracts.http.labs import (
    LabHoursRefundRequest,
    LabHoursRefundResponse,
    LabSessionResponse,
    LessonLabLaunchRequest,
    TemplateOwnerResponse,
)
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.labs.application.launch_for_learner import LaunchForLearner
from cmh.labs.application.refund_session_hours import RefundSessionHours
from cmh.labs.application.template_owner import TemplateOwner
from cmh.labs.application.views import SessionView

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
ACCEPTED = 202


def session_response(view: SessionView) -> LabSessionResponse:
    return LabSessionResponse(
        id=view.id,
        user_id=view.user_id,
        template_id=view.template_id,
        course_id=view.course_id,
        lesson_id=view.lesson_id,
        provider=view.provider,
        status=view.status,
        region=view.region,
        requested_at=view.requested_at,
        expires_at=view.expires_at,
        max_score=view.max_score,
    )


class InternalLabsController(Controller):
    path = "/internal/v1/labs"
    tags = ["labs-internal"]
    security = BEARER

    @post(
        "/sessions",
        operation_id="labs_internal_launch",
        status_code=ACCEPTED,
        responses=problem_responses(403, 404, 409, 503),
        summary="Launch a template's lab for a learner, from a course's lab lesson",
        description="403 `not_entitled` (tier, lab hours), 404 `lab_template_not_found`, "
        "409 `lab_already_running`.",
    )
    @inject
    async def launch(
        self,
        data: JSONBody[LessonLabLaunchRequest],
        caller: FromDishka[Principal],
        launch: FromDishka[LaunchForLearner],
    ) -> LabSessionResponse:
        return session_response(await launch.execute(caller, data))

    @get(
        "/templates/{template_id:str}/owner",
        operation_id="labs_internal_template_owner",
        responses=problem_responses(404),
        summary="Who owns a lab template (before a lesson may refer to it)",
    )
    @inject
    async def template_owner(
        self,
        template_id: FromPath[str],
        caller: FromDishka[Principal],
        owner: FromDishka[TemplateOwner],
    ) -> TemplateOwnerResponse:
        return await owner.execute(caller, template_id)

    @post(
        "/sessions/{session_id:str}/hours-refund",
        operation_id="labs_internal_refund_hours",
        status_code=200,
        responses=problem_responses(403),
        summary="Give a learner back the lab hours of a session the platform failed",
        description="For payments' refund saga; 0 hours when nothing is left to give back.",
    )
    @inject
    async def refund_hours(
        self,
        session_id: FromPath[str],
        data: JSONBody[LabHoursRefundRequest],
        caller: FromDishka[Principal],
        refund: FromDishka[RefundSessionHours],
    ) -> LabHoursRefundResponse:
        return await refund.execute(caller, session_id, data.reason)
