"""Notifications' internal API: account mail for users (a service token)."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, post
from litestar.params import JSONBody

from cmh.contracts.http.notifications import TransactionalMailRequest, TransactionalMailResponse
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.guards import requires_role
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.notifications.application.send_transactional import SERVICE_ROLE, SendTransactionalMail

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class InternalNotificationsController(Controller):
    path = "/internal/v1/notifications"
    tags = ["internal"]

    @post(
        "/transactional",
        operation_id="internal_notifications_transactional",
        status_code=200,
        # Before the body is read; the use case checks again.
        guards=[requires_role(SERVICE_ROLE, code="service_only")],
        responses=problem_responses(403, 503),
        summary="Send account mail with its secret link now (users only)",
        security=BEARER,
    )
    @inject
    async def transactional(
        self,
        data: JSONBody[TransactionalMailRequest],
        caller: FromDishka[Principal],
        send: FromDishka[SendTransactionalMail],
    ) -> TransactionalMailResponse:
        sent = await send.execute(caller, data)
        return TransactionalMailResponse(delivery_id=sent.delivery_id, status=sent.status)
