"""Run a mail job: render the mail of its queued deliveries (one, or a digest of several)
in the recipient's language, hand it to the mail provider and log the answer. A job whose
deliveries went already does nothing (jobs arrive at least once). When the provider cannot
take it now, the attempt is logged and ``MailUnavailable`` raised, so the queue tries again
later with backoff: an outage delays mail, never loses it. A refusal for good fails the
deliveries with the provider's reason."""

from __future__ import annotations

from datetime import timedelta

from cmh.kernel.clock import Clock
from cmh.kernel.errors import NotFound
from cmh.kernel.uow import UnitOfWork
from cmh.notifications.application.ports import (
    DeliveryRepository,
    Mailer,
    MailJob,
    MailRejected,
    MailRenderer,
    MailUnavailable,
    NotificationRepository,
    RecipientDirectory,
    UnsubscribeLinks,
    UserProfiles,
)
from cmh.notifications.application.recipient_profile import profile_of
from cmh.notifications.domain.delivery import Delivery, DeliveryStatus
from cmh.notifications.domain.notification import Notification

# Longer than any transaction that queues a job takes to commit.
COMMIT_GRACE = timedelta(minutes=2)


class DeliveriesNotYetStored(Exception):
    """The job arrived before the transaction that queued it committed: try again."""


class SendMail:
    def __init__(
        self,
        deliveries: DeliveryRepository,
        notifications: NotificationRepository,
        recipients: RecipientDirectory,
        profiles: UserProfiles,
        mailer: Mailer,
        renderer: MailRenderer,
        unsubscribe: UnsubscribeLinks,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._deliveries = deliveries
        self._notifications = notifications
        self._recipients = recipients
        self._profiles = profiles
        self._mailer = mailer
        self._renderer = renderer
        self._unsubscribe = unsubscribe
        self._uow = uow
        self._clock = clock

    async def execute(self, job: MailJob) -> None:
        async with self._uow:
            found = [await self._deliveries.get(i) for i in job.delivery_ids]
            if not any(found):
                if job.queued_at and self._clock.now() - job.queued_at > COMMIT_GRACE:
                    return  # erased meanwhile, or never committed
                raise DeliveriesNotYetStored(f"no delivery of {job.delivery_ids} is stored yet")
            pending = [d for d in found if d is not None and d.status is DeliveryStatus.QUEUED]
            if not pending:
                return
            user_id = pending[0].recipient_id
            told: list[Notification] = []
            for delivery in pending:
                notification = await self._notifications.get(delivery.notification_id)
                if notification is not None:
                    told.append(notification)
            recipient = await self._recipients.get(user_id)
            if recipient is None or not told:
                await self._fail(pending, "the recipient has no address any more")
                return
            try:
                profile = await profile_of(self._profiles, user_id)
            except NotFound:
                await self._fail(pending, "the recipient's account is gone")
                return
            # A digest's link unsubscribes from the category of its first entry; a single
            # mail's from its own.
            unsubscribe_url = self._unsubscribe.url_for(user_id, told[0].category)
            message = self._renderer.render(recipient, profile.locale, told, unsubscribe_url)
            try:
                message_id = await self._mailer.send(message)
            except MailRejected as exc:
                await self._fail(pending, f"refused by the provider: {exc}"[:500])
                return
            except MailUnavailable as exc:
                now = self._clock.now()
                for delivery in pending:
                    delivery.attempted(now, f"provider unavailable: {exc}"[:500])
                    await self._deliveries.save(delivery)
                await self._uow.commit()
                raise
            now = self._clock.now()
            for delivery in pending:
                delivery.sent(now, message_id)
                await self._deliveries.save(delivery)
            await self._uow.commit()

    async def _fail(self, deliveries: list[Delivery], reason: str) -> None:
        now = self._clock.now()
        for delivery in deliveries:
            delivery.fail(now, reason)
            await self._deliveries.save(delivery)
        await self._uow.commit()


__all__ = ["DeliveriesNotYetStored", "MailUnavailable", "SendMail"]
