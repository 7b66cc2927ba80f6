"""What the mail provider later says of the mail it took (its event webhook): each
delivery it was sent as becomes ``delivered`` or ``bounced``, or ``failed`` when the
provider dropped it, with the provider's reason. Repeated or late events change nothing
once a delivery's story is over. Answers how many deliveries moved."""

from __future__ import annotations

from cmh.kernel.uow import UnitOfWork
from cmh.notifications.application.ports import DeliveryRepository, ProviderEvent
from cmh.notifications.application.views import ProviderEventsRecorded
from cmh.notifications.domain.delivery import DeliveryStatus


class RecordProviderEvents:
    def __init__(self, deliveries: DeliveryRepository, uow: UnitOfWork) -> None:
        self._deliveries = deliveries
        self._uow = uow

    async def execute(self, events: list[ProviderEvent]) -> ProviderEventsRecorded:
        moved = 0
        async with self._uow:
            for event in events:
                for delivery in await self._deliveries.sent_as(event.message_id):
                    if delivery.status is not DeliveryStatus.SENT:
                        continue
                    if event.outcome == "delivered":
                        delivery.delivered(event.at)
                    elif event.outcome == "bounced":
                        delivery.bounced(event.at, event.reason[:500])
                    else:
                        delivery.fail(event.at, f"dropped by the provider: {event.reason}"[:500])
                    await self._deliveries.save(delivery)
                    moved += 1
            await self._uow.commit()
        return ProviderEventsRecorded(recorded=moved)
