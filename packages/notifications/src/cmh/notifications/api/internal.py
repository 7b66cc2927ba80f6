"""Notifications' internal API: account mail for users (a service token), and the
platform's alerts from Alertmanager (its webhook's shared bearer secret)."""

from __future__ import annotations

from typing import Any

from dishka import AsyncContainer
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, post
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import JSONBody

from cmh.contracts.http.notifications import (
    AlertmanagerWebhook,
    AlertsReceived,
    TransactionalMailRequest,
    TransactionalMailResponse,
)
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.guards import requires_role
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.notifications.application.platform_alerts import TellAdministratorsOfAlerts
from cmh.notifications.application.ports import AlertWebhookKey
from cmh.notifications.application.send_transactional import SERVICE_ROLE, SendTransactionalMail

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


def bearer_of(authorization: str) -> str:
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


async def alertmanager_only(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Before the body is read: a caller without the secret learns nothing of its schema."""
    container: AsyncContainer = connection.state.dishka_container
    key = await container.get(AlertWebhookKey)
    key.verify(bearer_of(connection.headers.get("authorization", "")))


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

    @post(
        "/alerts",
        operation_id="internal_notifications_alerts",
        status_code=200,
        guards=[alertmanager_only],
        responses=problem_responses(401, 404, 503),
        summary="Alertmanager's webhook: tell every administrator of the platform's alerts",
        description="Alertmanager's webhook payload, version 4, with the shared secret as "
        "`Authorization: Bearer <secret>` (401 `unauthenticated` without it or with another "
        "one; 404 `webhook_not_configured` where no secret is configured). Each alert, "
        "firing or resolved, becomes an in-app notification and a mail for every "
        "administrator, once per alert fingerprint, start and status: a webhook sent again "
        "answers 200 and tells nobody twice. 503 when users cannot name the administrators "
        "(Alertmanager retries).",
        security=BEARER,
    )
    @inject
    async def alerts(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[AlertmanagerWebhook],
        tell: FromDishka[TellAdministratorsOfAlerts],
    ) -> AlertsReceived:
        return await tell.execute(bearer_of(request.headers.get("authorization", "")), data)
