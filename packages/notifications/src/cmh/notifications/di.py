"""dishka providers of the Notifications context, one per adapter family.

A composition root takes the kernel's providers (clock, SQL, bus, auth,
``PrincipalProvider``, dishka's ``LitestarProvider``) and adds:

- ``NotificationsSqlProvider`` or ``NotificationsMemoryProvider`` for the stores,
- users' profiles: ``UsersStandInProvider`` (memory; the embedded profile until the
  platform's in-process bridge replaces it) or ``UsersHttpProvider``,
- the mail provider: ``MemoryMailerProvider`` (tests read ``MemoryMailer.sent``) or
  ``ConfiguredMailerProvider`` (SMTP, SendGrid or the file sink, by
  ``NotificationsSettings.mail``),
- the mail job queue: ``RecordedMailJobsProvider`` (tests drain it),
  ``BackgroundMailJobsProvider`` (jobs run in the process) or ``SqsMailJobsProvider``,
- live push: ``InProcessPushProvider`` or ``RedisPushProvider`` (across instances),
- unsubscribe links: ``LocalLinksProvider`` (a key of its own unless configured) or
  ``KeyedLinksProvider`` (refuses to start without a key),
- ``NotificationsUseCasesProvider`` (use cases, event handlers, the mail renderer).

Context value: ``NotificationsSettings``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast

import httpx
from dishka import AsyncContainer, Provider, Scope, alias, provide, provide_all
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.kernel.event_mapping import EventMap
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork
from cmh.notifications.adapters.alerts.webhook_key import SharedSecretAlertKey
from cmh.notifications.adapters.mail.file_sink import FileMailSink
from cmh.notifications.adapters.mail.sendgrid_events import ProviderWebhooks, SendGridEventWebhook
from cmh.notifications.adapters.mail.sendgrid_mailer import SendGridMailer
from cmh.notifications.adapters.mail.settings import MailProvider
from cmh.notifications.adapters.mail.smtp import SmtpMailer
from cmh.notifications.adapters.mail.templates import HtmlAndTextRenderer
from cmh.notifications.adapters.mail.unsubscribe import HmacUnsubscribeLinks, unsubscribe_key
from cmh.notifications.adapters.memory.jobs import MemoryMailJobs, container_runner
from cmh.notifications.adapters.memory.repositories import (
    MemoryActivityRepository,
    MemoryDeliveryRepository,
    MemoryNotificationRepository,
    MemoryPreferencesRepository,
    MemoryRecipientDirectory,
)
from cmh.notifications.adapters.memory.services import (
    InProcessPush,
    MemoryAdministrators,
    MemoryMailer,
    MemoryUserProfiles,
)
from cmh.notifications.adapters.push.redis_push import RedisPush
from cmh.notifications.adapters.sql.repositories import (
    SqlActivityRepository,
    SqlDeliveryRepository,
    SqlNotificationRepository,
    SqlPreferencesRepository,
    SqlRecipientDirectory,
)
from cmh.notifications.adapters.sqs.mail_jobs import SqsMailJobs
from cmh.notifications.adapters.sqs.queues import (
    MailQueueClient,
    MailQueues,
    ensure_mail_queues,
    sqs_client,
)
from cmh.notifications.adapters.users.administrators import HttpAdministrators
from cmh.notifications.adapters.users.profiles import HttpUserProfiles
from cmh.notifications.application.admin_deliveries import SearchDeliveries
from cmh.notifications.application.handle_user_erasure import HandleUserErasure
from cmh.notifications.application.inbox import CountUnread, ListInbox
from cmh.notifications.application.learning_activity import (
    RecordActivity,
    RemindInactiveLearners,
)
from cmh.notifications.application.notify import Notify
from cmh.notifications.application.platform_alerts import TellAdministratorsOfAlerts
from cmh.notifications.application.ports import (
    ActivityRepository,
    Administrators,
    AlertWebhookKey,
    CommitHooks,
    DeliveryRepository,
    LivePush,
    Mailer,
    MailJobs,
    MailRenderer,
    NotificationRepository,
    PreferencesRepository,
    RecipientDirectory,
    UnsubscribeLinks,
    UserProfiles,
)
from cmh.notifications.application.preferences import (
    GetPreferences,
    Unsubscribe,
    UpdatePreferences,
)
from cmh.notifications.application.read_notifications import (
    DeleteNotification,
    MarkAllRead,
    MarkRead,
)
from cmh.notifications.application.record_provider_events import RecordProviderEvents
from cmh.notifications.application.release_mail import ReleaseMail
from cmh.notifications.application.send_mail import SendMail
from cmh.notifications.application.send_transactional import SendTransactionalMail
from cmh.notifications.consumers.handlers import (
    LearningActivityHandler,
    NotifyHandler,
    UserErasureHandler,
)
from cmh.notifications.settings import NotificationsSettings


class NotificationsSqlProvider(Provider):
    """Stores on the request's ``AsyncSession`` (kernel ``SqlProvider``), so they share
    the unit of work's transaction. Run ``NOTIFICATIONS_MIGRATIONS`` before serving."""

    scope = Scope.REQUEST

    @provide
    def notifications(self, session: AsyncSession) -> NotificationRepository:
        return SqlNotificationRepository(session)

    @provide
    def deliveries(self, session: AsyncSession) -> DeliveryRepository:
        return SqlDeliveryRepository(session)

    @provide
    def preferences(self, session: AsyncSession) -> PreferencesRepository:
        return SqlPreferencesRepository(session)

    @provide
    def recipients(self, session: AsyncSession) -> RecipientDirectory:
        return SqlRecipientDirectory(session)

    @provide
    def activities(self, session: AsyncSession) -> ActivityRepository:
        return SqlActivityRepository(session)


class NotificationsMemoryProvider(Provider):
    """In-memory stores whose writes are staged in the kernel ``InMemoryUnitOfWork`` this
    provider also gives as the ``UnitOfWork``."""

    scope = Scope.APP
    notifications = provide(MemoryNotificationRepository, provides=NotificationRepository)
    deliveries = provide(MemoryDeliveryRepository, provides=DeliveryRepository)
    preferences = provide(MemoryPreferencesRepository, provides=PreferencesRepository)
    recipients = provide(MemoryRecipientDirectory, provides=RecipientDirectory)
    activities = provide(MemoryActivityRepository, provides=ActivityRepository)
    uow = alias(source=InMemoryUnitOfWork, provides=UnitOfWork)

    @provide
    def memory_uow(self, events: EventMap) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork("cloudmastershub/notifications", events)


class UsersStandInProvider(Provider):
    """The stand-in for users (``MemoryUserProfiles``: everyone English, at UTC;
    ``MemoryAdministrators``: the administrators a test names)."""

    scope = Scope.APP
    profiles = alias(source=MemoryUserProfiles, provides=UserProfiles)
    administrators = alias(source=MemoryAdministrators, provides=Administrators)

    @provide
    def memory_administrators(self) -> MemoryAdministrators:
        return MemoryAdministrators()

    @provide
    def memory_profiles(self) -> MemoryUserProfiles:
        return MemoryUserProfiles()


class UsersHttpProvider(Provider):
    """Profiles from the users service over HTTP with a service token
    (``NotificationsSettings.users``, the kernel ``HttpClientProvider``'s client)."""

    scope = Scope.APP

    @provide
    def profiles(self, http: httpx.AsyncClient, settings: NotificationsSettings) -> UserProfiles:
        return HttpUserProfiles(http, settings.users)

    @provide
    def administrators(
        self, http: httpx.AsyncClient, settings: NotificationsSettings
    ) -> Administrators:
        return HttpAdministrators(http, settings.users)


class MemoryMailerProvider(Provider):
    scope = Scope.APP
    mailer = alias(source=MemoryMailer, provides=Mailer)

    @provide
    def memory_mailer(self) -> MemoryMailer:
        return MemoryMailer()


class ConfiguredMailerProvider(Provider):
    """SMTP (mailpit locally), SendGrid, or the file sink, as ``mail.provider`` says."""

    scope = Scope.APP

    @provide
    def mailer(self, settings: NotificationsSettings) -> Mailer:
        mail = settings.mail
        if mail.provider is MailProvider.SENDGRID:
            return SendGridMailer(mail)
        if mail.provider is MailProvider.FILE:
            return FileMailSink(Path(mail.file))
        return SmtpMailer(mail)


class RecordedMailJobsProvider(Provider):
    """Mail jobs wait until a test calls ``MemoryMailJobs.drain()``."""

    scope = Scope.APP
    jobs = alias(source=MemoryMailJobs, provides=MailJobs)

    @provide
    def memory_jobs(self, container: AsyncContainer) -> MemoryMailJobs:
        return MemoryMailJobs(container_runner(container))


class BackgroundMailJobsProvider(Provider):
    """Mail jobs run in this process as soon as they are queued, retried with backoff."""

    scope = Scope.APP
    jobs = alias(source=MemoryMailJobs, provides=MailJobs)

    @provide
    def memory_jobs(self, container: AsyncContainer) -> MemoryMailJobs:
        return MemoryMailJobs(container_runner(container), background=True)


class SqsMailJobsProvider(Provider):
    """Mail jobs on the SQS queue of ``NotificationsSettings.queue`` (made when missing,
    with its dead-letter queue); a notifications worker runs them."""

    scope = Scope.APP

    @provide
    def sqs(self, settings: NotificationsSettings) -> MailQueueClient:
        return MailQueueClient(sqs_client(settings.queue))

    @provide
    def queues(self, sqs: MailQueueClient, settings: NotificationsSettings) -> MailQueues:
        return ensure_mail_queues(sqs.client, settings.queue)

    @provide
    def jobs(self, sqs: MailQueueClient, queues: MailQueues) -> MailJobs:
        return SqsMailJobs(sqs.client, queues)


class InProcessPushProvider(Provider):
    scope = Scope.APP
    push = alias(source=InProcessPush, provides=LivePush)

    @provide
    def in_process(self) -> InProcessPush:
        return InProcessPush()


class RedisPushProvider(Provider):
    """Push through Redis Pub/Sub (the kernel ``RedisProvider``'s client): every API
    instance's sockets get what any instance publishes."""

    scope = Scope.APP

    @provide
    async def redis_push(
        self, redis: Redis, settings: NotificationsSettings
    ) -> AsyncIterator[RedisPush]:
        push = RedisPush(redis, settings.push)
        yield push
        await push.close()

    push = alias(source=RedisPush, provides=LivePush)


class LocalLinksProvider(Provider):
    """Unsubscribe links under the configured key; without one, a key of this process."""

    scope = Scope.APP

    @provide
    def links(self, settings: NotificationsSettings) -> UnsubscribeLinks:
        key = unsubscribe_key(settings.unsubscribe_key, required=False)
        return HmacUnsubscribeLinks(key, settings.public_url)


class KeyedLinksProvider(Provider):
    """Unsubscribe links under the configured key; no key, no start."""

    scope = Scope.APP

    @provide
    def links(self, settings: NotificationsSettings) -> UnsubscribeLinks:
        key = unsubscribe_key(settings.unsubscribe_key, required=True)
        return HmacUnsubscribeLinks(key, settings.public_url)


class NotificationsUseCasesProvider(Provider):
    """Every use case and event handler (request scope) and the mail renderer. Needs
    ``UnitOfWork``, ``Clock``, ``IdGenerator`` from the kernel and the ports above."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def renderer(self, settings: NotificationsSettings) -> MailRenderer:
        return HtmlAndTextRenderer(settings.public_url)

    @provide
    def commit_hooks(self, uow: UnitOfWork) -> CommitHooks:
        if not callable(getattr(uow, "after_commit", None)):
            raise TypeError(f"{type(uow).__name__} runs no after-commit actions")
        return cast(CommitHooks, uow)

    @provide(scope=Scope.APP)
    def webhooks(self, settings: NotificationsSettings) -> ProviderWebhooks:
        key = settings.mail.sendgrid_webhook_key
        return ProviderWebhooks(SendGridEventWebhook(key) if key else None)

    @provide(scope=Scope.APP)
    def alert_webhook_key(self, settings: NotificationsSettings) -> AlertWebhookKey:
        return SharedSecretAlertKey(settings.alerts_webhook_secret)

    commands = provide_all(
        Notify,
        TellAdministratorsOfAlerts,
        SendMail,
        SendTransactionalMail,
        ReleaseMail,
        MarkRead,
        MarkAllRead,
        DeleteNotification,
        UpdatePreferences,
        Unsubscribe,
        HandleUserErasure,
        RecordActivity,
        RemindInactiveLearners,
        RecordProviderEvents,
    )
    queries = provide_all(ListInbox, CountUnread, GetPreferences, SearchDeliveries)
    handlers = provide_all(NotifyHandler, UserErasureHandler, LearningActivityHandler)


__all__ = [
    "BackgroundMailJobsProvider",
    "ConfiguredMailerProvider",
    "InProcessPushProvider",
    "KeyedLinksProvider",
    "LocalLinksProvider",
    "MemoryMailerProvider",
    "NotificationsMemoryProvider",
    "NotificationsSqlProvider",
    "NotificationsUseCasesProvider",
    "RecordedMailJobsProvider",
    "RedisPushProvider",
    "SqsMailJobsProvider",
    "UsersHttpProvider",
    "UsersStandInProvider",
]
