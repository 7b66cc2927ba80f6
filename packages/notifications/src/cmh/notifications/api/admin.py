"""Admins search the delivery log."""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get
from litestar.params import FromQuery, Parameter

from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.web.guards import requires_role
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.notifications.application.admin_deliveries import SearchDeliveries
from cmh.notifications.application.views import DeliveryView
from cmh.notifications.domain.channels import Channel
from cmh.notifications.domain.delivery import DeliveryStatus

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
UserId = Annotated[str | None, Parameter(min_length=1, max_length=64)]


class AdminNotificationsController(Controller):
    path = "/api/v1/admin/notifications"
    tags = ["notifications", "admin"]
    guards = [requires_role(Role.ADMIN, code="admins_only")]

    @get(
        "/deliveries",
        operation_id="notifications_admin_deliveries",
        responses=problem_responses(403),
        summary="The delivery log, newest first (100 at most)",
        security=BEARER,
    )
    @inject
    async def deliveries(
        self,
        principal: FromDishka[Principal],
        search: FromDishka[SearchDeliveries],
        recipient_id: FromQuery[UserId] = None,
        status: FromQuery[DeliveryStatus | None] = None,
        channel: FromQuery[Channel | None] = None,
    ) -> list[DeliveryView]:
        return await search.execute(
            principal, recipient_id=recipient_id, status=status, channel=channel
        )
