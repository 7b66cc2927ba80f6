"""Tell a recipient of an event on every channel their preferences allow for its category,
once per event and channel ever (the delivery log's key is unique): the inbox entry is
stored, the open tabs get it live, and the mail is queued now, or held for the end of quiet
hours or for the digest."""

from __future__ import annotations

import structlog

from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.errors import NotFound
from cmh.kernel.uow import UnitOfWork
from cmh.notifications.application.ports import (
    CommitHooks,
    DeliveryRepository,
    LivePush,
    MailJob,
    MailJobs,
    NotificationRepository,
    PreferencesRepository,
    RecipientDirectory,
    UserProfiles,
)
from cmh.notifications.application.push import push_message
from cmh.notifications.application.recipient_profile import profile_of
from cmh.notifications.application.requests import NotifyRequest
from cmh.notifications.domain.channels import Channel
from cmh.notifications.domain.dedupe import DeliveryKey
from cmh.notifications.domain.delivery import Delivery, DeliveryStatus
from cmh.notifications.domain.messages import KINDS, text_for
from cmh.notifications.domain.notification import Notification
from cmh.notifications.domain.preferences import Preferences
from cmh.notifications.domain.timing import mail_timing, zone_of

log = structlog.get_logger("cmh.notifications")

# What each channel's log entry starts as: the inbox is the platform's own store, a push
# is handed to the sockets, a mail waits for its job.
_FIRST = {Channel.INBOX: DeliveryStatus.DELIVERED, Channel.PUSH: DeliveryStatus.SENT}


class Notify:
    def __init__(
        self,
        notifications: NotificationRepository,
        deliveries: DeliveryRepository,
        preferences: PreferencesRepository,
        recipients: RecipientDirectory,
        profiles: UserProfiles,
        jobs: MailJobs,
        push: LivePush,
        uow: UnitOfWork,
        hooks: CommitHooks,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._hooks = hooks
        self._notifications = notifications
        self._deliveries = deliveries
        self._preferences = preferences
        self._recipients = recipients
        self._profiles = profiles
        self._jobs = jobs
        self._push = push
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, request: NotifyRequest) -> None:
        user_id = request.recipient_id
        category = KINDS[request.kind].category
        try:
            profile = await profile_of(self._profiles, user_id)
        except NotFound:
            log.info("notifications.unknown_recipient", user_id=user_id, kind=request.kind)
            return
        now = self._clock.now()
        async with self._uow:
            if request.recipient is not None:
                await self._recipients.put(request.recipient)
            preferences = await self._preferences.get(user_id) or Preferences(user_id)
            has_address = await self._recipients.get(user_id) is not None
            text = text_for(request.kind, profile.locale, request.variables)
            notification = Notification(
                id=self._ids.new_id(),
                recipient_id=user_id,
                category=category,
                kind=request.kind,
                title=text.title,
                body=text.body,
                link=request.link,
                source_event_id=request.source_event_id,
                created_at=now,
            )
            claimed: list[Delivery] = []
            for channel in Channel:
                if not preferences.allows(category, channel):
                    continue
                if channel is Channel.EMAIL and not has_address:
                    continue
                key = DeliveryKey(request.source_event_id, channel, user_id)
                if channel is Channel.EMAIL:
                    timing = mail_timing(preferences, category, now, zone_of(profile.timezone))
                    status = DeliveryStatus.HELD if timing.held else DeliveryStatus.QUEUED
                    delivery = Delivery.start(
                        self._ids.new_id(),
                        notification.id,
                        key,
                        status,
                        now,
                        due_at=timing.due_at,
                        digest=timing.digest,
                    )
                else:
                    delivery = Delivery.start(
                        self._ids.new_id(), notification.id, key, _FIRST[channel], now
                    )
                if await self._deliveries.claim(delivery):
                    claimed.append(delivery)
            if not claimed:
                return  # told before on every channel: a redelivered event
            notification.channels = frozenset(d.channel for d in claimed)
            await self._notifications.add(notification)

            async def deliver() -> None:
                for delivery in claimed:
                    if delivery.channel is Channel.PUSH:
                        await self._push.publish(user_id, push_message(notification))
                    elif delivery.status is DeliveryStatus.QUEUED:
                        await self._jobs.enqueue(MailJob(delivery_ids=[delivery.id], queued_at=now))

            # Once stored for good (a consumer's transaction commits after its handler): a
            # tab fetching its inbox on the push finds the entry, a job finds its delivery.
            self._hooks.after_commit(deliver)
            await self._uow.commit()
