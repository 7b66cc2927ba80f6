"""The delivery log: one entry per notification and channel, moving through

    held -> queued -> sent -> delivered | bounced
    held | queued | sent -> failed (with the reason)

``held`` waits for the end of the recipient's quiet hours or for their digest (``due_at``);
``queued`` is a mail job on the queue; ``sent`` is accepted by the mail provider, and
``delivered``/``bounced`` are what the provider later says. Inbox and push entries are
written as ``delivered`` and ``sent``: the store and the socket are the platform's own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cmh.notifications.domain.channels import Channel
from cmh.notifications.domain.dedupe import DeliveryKey
from cmh.notifications.domain.errors import InvalidDeliveryMove


class DeliveryStatus(StrEnum):
    HELD = "held"
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    BOUNCED = "bounced"
    FAILED = "failed"


_NEXT: dict[DeliveryStatus, frozenset[DeliveryStatus]] = {
    DeliveryStatus.HELD: frozenset({DeliveryStatus.QUEUED, DeliveryStatus.FAILED}),
    DeliveryStatus.QUEUED: frozenset({DeliveryStatus.SENT, DeliveryStatus.FAILED}),
    DeliveryStatus.SENT: frozenset(
        {DeliveryStatus.DELIVERED, DeliveryStatus.BOUNCED, DeliveryStatus.FAILED}
    ),
    DeliveryStatus.DELIVERED: frozenset(),
    DeliveryStatus.BOUNCED: frozenset(),
    DeliveryStatus.FAILED: frozenset(),
}


@dataclass(frozen=True)
class DeliveryStep:
    status: DeliveryStatus
    at: datetime
    reason: str | None = None


@dataclass
class Delivery:
    id: str
    notification_id: str
    recipient_id: str
    channel: Channel
    source_event_id: str
    status: DeliveryStatus
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None = None  # when a held mail may go
    digest: bool = False  # held for the recipient's digest rather than quiet hours
    attempts: int = 0
    provider_message_id: str | None = None
    reason: str | None = None
    history: list[DeliveryStep] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        id: str,
        notification_id: str,
        key: DeliveryKey,
        status: DeliveryStatus,
        now: datetime,
        *,
        due_at: datetime | None = None,
        digest: bool = False,
    ) -> Delivery:
        return cls(
            id=id,
            notification_id=notification_id,
            recipient_id=key.recipient_id,
            channel=key.channel,
            source_event_id=key.source_event_id,
            status=status,
            created_at=now,
            updated_at=now,
            due_at=due_at,
            digest=digest,
            history=[DeliveryStep(status, now)],
        )

    @property
    def key(self) -> DeliveryKey:
        return DeliveryKey(self.source_event_id, self.channel, self.recipient_id)

    @property
    def is_over(self) -> bool:
        return not _NEXT[self.status]

    def is_due(self, now: datetime) -> bool:
        return self.status is DeliveryStatus.HELD and (self.due_at is None or self.due_at <= now)

    def queue(self, now: datetime) -> None:
        self._move(DeliveryStatus.QUEUED, now)

    def attempted(self, now: datetime, reason: str) -> None:
        """A try the provider did not take (an outage): the job is tried again later."""
        self.attempts += 1
        self.reason = reason
        self.updated_at = now

    def requeued(self, now: datetime) -> None:
        """Its job was queued again (the first one was lost on the way)."""
        self.updated_at = now

    def sent(self, now: datetime, provider_message_id: str | None) -> None:
        self.attempts += 1
        self.provider_message_id = provider_message_id
        self._move(DeliveryStatus.SENT, now)

    def delivered(self, now: datetime) -> None:
        self._move(DeliveryStatus.DELIVERED, now)

    def bounced(self, now: datetime, reason: str) -> None:
        self._move(DeliveryStatus.BOUNCED, now, reason)

    def fail(self, now: datetime, reason: str) -> None:
        self._move(DeliveryStatus.FAILED, now, reason)

    def _move(self, to: DeliveryStatus, now: datetime, reason: str | None = None) -> None:
        if to not in _NEXT[self.status]:
            raise InvalidDeliveryMove(f"a {self.status} delivery cannot become {to}")
        self.status = to
        self.updated_at = now
        if reason is not None:
            self.reason = reason
        self.history.append(DeliveryStep(to, now, reason))
