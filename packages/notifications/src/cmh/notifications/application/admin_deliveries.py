"""Admins search the delivery log: by recipient, status and channel, newest first."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden
from cmh.notifications.application.ports import DeliveryRepository
from cmh.notifications.application.views import DeliveryView, delivery_view
from cmh.notifications.domain.channels import Channel
from cmh.notifications.domain.delivery import DeliveryStatus

LIMIT = 100


class SearchDeliveries:
    def __init__(self, deliveries: DeliveryRepository) -> None:
        self._deliveries = deliveries

    async def execute(
        self,
        principal: Principal,
        *,
        recipient_id: str | None = None,
        status: DeliveryStatus | None = None,
        channel: Channel | None = None,
    ) -> list[DeliveryView]:
        if not principal.is_admin:
            raise Forbidden("admins only", code="admins_only")
        found = await self._deliveries.search(
            recipient_id=recipient_id, status=status, channel=channel, limit=LIMIT
        )
        return [delivery_view(d) for d in found]
