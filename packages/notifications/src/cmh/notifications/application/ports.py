"""What the notifications use cases need from the outside world, named for what it does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

import msgspec

from cmh.notifications.domain.activity import LearningActivity
from cmh.notifications.domain.channels import Category, Channel
from cmh.notifications.domain.delivery import Delivery, DeliveryStatus
from cmh.notifications.domain.notification import Notification
from cmh.notifications.domain.preferences import Preferences


class CommitHooks(Protocol):
    """The unit of work's after-commit actions (the kernel's SQL and in-memory units)."""

    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run ``action`` once the outermost transaction commits, never if it does not."""


# --- the context's own stores -----------------------------------------------------------


class InboxCursor(msgspec.Struct, frozen=True):
    """Where a page of the inbox ended: the last notification's time and id."""

    created_at: datetime
    id: str


class NotificationRepository(Protocol):
    async def get(self, notification_id: str) -> Notification | None: ...

    async def add(self, notification: Notification) -> None: ...

    async def save(self, notification: Notification) -> None: ...

    async def delete(self, notification_id: str) -> None: ...

    async def inbox(
        self, user_id: str, *, after: InboxCursor | None, unread_only: bool, limit: int
    ) -> list[Notification]:
        """The user's inbox entries, newest first (then by id), after ``after``."""

    async def unread_count(self, user_id: str) -> int: ...

    async def mark_all_read(self, user_id: str, now: datetime) -> int:
        """How many were unread."""

    async def erase(self, user_id: str) -> None: ...


class DeliveryRepository(Protocol):
    async def claim(self, delivery: Delivery) -> bool:
        """Adds ``delivery`` unless one with its key (event, channel, recipient) exists:
        False then, and nothing changes."""

    async def get(self, delivery_id: str) -> Delivery | None: ...

    async def save(self, delivery: Delivery) -> None: ...

    async def waiting(
        self, *, due_by: datetime, stale_before: datetime, limit: int
    ) -> list[Delivery]:
        """Held mail due by ``due_by`` and queued mail untouched since ``stale_before``,
        oldest first."""

    async def search(
        self,
        *,
        recipient_id: str | None,
        status: DeliveryStatus | None,
        channel: Channel | None,
        limit: int,
    ) -> list[Delivery]:
        """Newest first."""

    async def erase(self, user_id: str) -> None: ...

    async def sent_as(self, provider_message_id: str) -> list[Delivery]:
        """The deliveries the provider took as this message (several for a digest)."""


class PreferencesRepository(Protocol):
    async def get(self, user_id: str) -> Preferences | None: ...

    async def put(self, preferences: Preferences) -> None: ...

    async def delete(self, user_id: str) -> None: ...


class ActivityRepository(Protocol):
    async def get(self, user_id: str, course_id: str) -> LearningActivity | None: ...

    async def put(self, activity: LearningActivity) -> None: ...

    async def quiet_since(self, before: datetime, limit: int) -> list[LearningActivity]:
        """Courses not completed whose last activity is at or before ``before``, oldest
        first (reminded or not: the caller asks the domain)."""

    async def erase(self, user_id: str) -> None: ...


class Recipient(msgspec.Struct, frozen=True, kw_only=True):
    """Where a user's mail goes, kept from ``user.registered`` (the address is not in
    users' preferences answer)."""

    user_id: str
    email: str
    display_name: str


class RecipientDirectory(Protocol):
    async def get(self, user_id: str) -> Recipient | None: ...

    async def put(self, recipient: Recipient) -> None: ...

    async def delete(self, user_id: str) -> None: ...


# --- other contexts ---------------------------------------------------------------------


class Administrators(Protocol):
    """Who administers the platform, asked of users: each with where their mail goes.
    ``DependencyUnavailable`` when users does not answer."""

    async def all(self) -> list[Recipient]: ...


class AlertWebhookKey(Protocol):
    """Whether a caller of the alert webhook is the platform's Alertmanager (it presents
    a shared bearer secret): ``Unauthenticated`` otherwise, ``NotFound`` when no secret
    is configured (the webhook is off)."""

    def verify(self, presented: str) -> None: ...


class RecipientProfile(msgspec.Struct, frozen=True, kw_only=True):
    locale: str = "en"
    timezone: str = "UTC"


class UserProfiles(Protocol):
    """Asks users for a learner's locale and time zone; kernel ``NotFound`` for an
    unknown (or erased) user, ``DependencyUnavailable`` when users does not answer."""

    async def of(self, user_id: str) -> RecipientProfile: ...


# --- delivery ---------------------------------------------------------------------------


class MailMessage(msgspec.Struct, frozen=True, kw_only=True):
    to: str
    to_name: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = {}
    category: str = ""


class MailRejected(Exception):
    """The provider refused the message for good (a bad address, a malformed request)."""


class MailUnavailable(Exception):
    """The provider could not take the message now (an outage, a rate limit): try later."""


class Mailer(Protocol):
    async def send(self, message: MailMessage) -> str | None:
        """The provider's message id when it gives one; raises ``MailRejected`` or
        ``MailUnavailable``."""


class ProviderEvent(msgspec.Struct, frozen=True, kw_only=True):
    """What a mail provider later says of a message it took: ``delivered``, ``bounced``
    or ``failed`` (dropped), with its reason."""

    message_id: str
    outcome: str
    reason: str
    at: datetime


class MailJob(msgspec.Struct, frozen=True, kw_only=True):
    """Send these deliveries as one mail (several for a digest). Delivered at least once:
    a job whose deliveries went already does nothing."""

    delivery_ids: list[str]
    # When it was queued: a job whose deliveries are not found is retried for a while
    # (the transaction that queued it may not have committed yet), then dropped (they were
    # erased, or never committed: the event's redelivery queues them again).
    queued_at: datetime | None = None


class MailJobs(Protocol):
    async def enqueue(self, job: MailJob) -> None: ...


class PushMessage(msgspec.Struct, frozen=True, kw_only=True):
    """What an open tab receives: the notification and the unread count after it."""

    type: str = "notification"
    id: str
    category: str
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime


class LivePush(Protocol):
    async def publish(self, user_id: str, message: PushMessage) -> None:
        """To the user's open sockets on every API instance; nobody listening is fine."""

    def listen(self, user_id: str) -> AbstractAsyncContextManager[AsyncIterator[PushMessage]]:
        """The messages published for ``user_id`` while the context is open."""


class UnsubscribeLinks(Protocol):
    def token_for(self, user_id: str, category: Category) -> str: ...

    def read(self, token: str) -> tuple[str, Category]:
        """The user and category a token was made for; ``InvalidUnsubscribeToken`` for a
        token this platform did not sign."""

    def url_for(self, user_id: str, category: Category) -> str: ...


class MailRenderer(Protocol):
    def render(
        self,
        recipient: Recipient,
        locale: str,
        notifications: list[Notification],
        unsubscribe_url: str | None,
    ) -> MailMessage:
        """One mail telling of ``notifications`` (a digest when several)."""

    def render_account(
        self,
        kind: str,
        recipient: Recipient,
        locale: str,
        action_url: str,
        expires_in_seconds: int,
    ) -> MailMessage:
        """Account mail (``email_verification``, ``password_reset``) with its secret link;
        no unsubscribe link: it is not a mail one subscribes to."""
