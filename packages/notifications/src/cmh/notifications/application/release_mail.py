"""The mail timer's pass: held mail whose time came is queued (a digest's entries of one
recipient as one mail), and queued mail no job has touched for a while is queued again,
so a job lost on the way (a crash before the queue took it) still goes."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.notifications.application.ports import DeliveryRepository, MailJob, MailJobs
from cmh.notifications.domain.delivery import DeliveryStatus

# Longer than the queue's own retries take, so a job still being retried is not doubled.
STALE_AFTER = timedelta(minutes=30)
BATCH = 500


class ReleaseMail:
    def __init__(
        self, deliveries: DeliveryRepository, jobs: MailJobs, uow: UnitOfWork, clock: Clock
    ) -> None:
        self._deliveries = deliveries
        self._jobs = jobs
        self._uow = uow
        self._clock = clock

    async def execute(self) -> int:
        """How many mail jobs were queued."""
        now = self._clock.now()
        jobs: list[MailJob] = []
        digests: dict[str, list[str]] = defaultdict(list)
        async with self._uow:
            for delivery in await self._deliveries.waiting(
                due_by=now, stale_before=now - STALE_AFTER, limit=BATCH
            ):
                if delivery.status is DeliveryStatus.HELD:
                    delivery.queue(now)
                    await self._deliveries.save(delivery)
                    if delivery.digest:
                        digests[delivery.recipient_id].append(delivery.id)
                        continue
                else:
                    delivery.requeued(now)
                    await self._deliveries.save(delivery)
                jobs.append(MailJob(delivery_ids=[delivery.id], queued_at=now))
            await self._uow.commit()
        jobs.extend(MailJob(delivery_ids=ids, queued_at=now) for ids in digests.values())
        for job in jobs:
            await self._jobs.enqueue(job)
        return len(jobs)
