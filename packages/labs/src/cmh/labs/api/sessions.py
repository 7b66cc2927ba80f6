"""Lab sessions: launched from a template (courses launches a lab lesson's), seen, validated,
extended and ended by their learner; seen and forced down by admins. Another learner's session
answers 404."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.labs.api.schemas import SessionCreate, SessionExtension
from cmh.labs.application.end_session import EndSession
from cmh.labs.application.extend_session import ExtendSession
from cmh.labs.application.get_session import GetSession
from cmh.labs.application.launch_lab import LaunchLab
from cmh.labs.application.my_sessions import MySessions
from cmh.labs.application.validate_session import ValidateSession
from cmh.labs.application.views import SessionSummary, SessionView, ValidationView

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
ACCEPTED = 202


class SessionsController(Controller):
    path = "/api/v1/labs/sessions"
    tags = ["labs"]

    @post(
        "",
        operation_id="labs_sessions_launch",
        status_code=ACCEPTED,
        responses=problem_responses(403, 404, 409, 503),
        summary="Launch a lab from a template (provisioning is queued)",
        description="403 `not_entitled` when the tier or the lab hours left do not allow "
        "it; 409 `lab_already_running` when a session of the template is live.",
        security=BEARER,
    )
    @inject
    async def launch(
        self,
        data: JSONBody[SessionCreate],
        principal: FromDishka[Principal],
        launch: FromDishka[LaunchLab],
    ) -> SessionView:
        return await launch.execute(principal, data.command())

    @get("/me", operation_id="labs_sessions_mine", summary="My lab sessions", security=BEARER)
    @inject
    async def mine(
        self, principal: FromDishka[Principal], sessions: FromDishka[MySessions]
    ) -> list[SessionSummary]:
        return await sessions.execute(principal)

    @get(
        "/{session_id:str}",
        operation_id="labs_sessions_get",
        summary="A session: status, expiry, cost, tasks, history; credentials for its "
        "learner while it is ready",
        security=BEARER,
    )
    @inject
    async def get_session(
        self,
        session_id: FromPath[str],
        principal: FromDishka[Principal],
        session: FromDishka[GetSession],
    ) -> SessionView:
        return await session.execute(principal, session_id)

    @post(
        "/{session_id:str}/validate",
        operation_id="labs_sessions_validate",
        status_code=200,
        responses=problem_responses(409, 503),
        summary="Check the tasks against the session's live resources",
        security=BEARER,
    )
    @inject
    async def validate(
        self,
        session_id: FromPath[str],
        principal: FromDishka[Principal],
        validate: FromDishka[ValidateSession],
    ) -> ValidationView:
        return await validate.execute(principal, session_id)

    @post(
        "/{session_id:str}/extend",
        operation_id="labs_sessions_extend",
        status_code=200,
        responses=problem_responses(409),
        summary="Add time to a ready session, within the template's limit",
        security=BEARER,
    )
    @inject
    async def extend(
        self,
        session_id: FromPath[str],
        data: JSONBody[SessionExtension],
        principal: FromDishka[Principal],
        extend: FromDishka[ExtendSession],
    ) -> SessionSummary:
        return await extend.execute(principal, session_id, data.minutes)

    @delete(
        "/{session_id:str}",
        operation_id="labs_sessions_end",
        status_code=ACCEPTED,
        summary="End a session (its learner) or force it down (an admin); teardown is queued",
        security=BEARER,
    )
    @inject
    async def end(
        self,
        session_id: FromPath[str],
        principal: FromDishka[Principal],
        end: FromDishka[EndSession],
    ) -> SessionSummary:
        return await end.execute(principal, session_id)
