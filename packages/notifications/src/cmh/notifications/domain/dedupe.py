"""One notification per event per channel per recipient, ever: the key a store keeps unique,
so a redelivered event or a restarted consumer finds its earlier delivery and sends nothing."""

from __future__ import annotations

from dataclasses import dataclass

from cmh.notifications.domain.channels import Channel


@dataclass(frozen=True)
class DeliveryKey:
    source_event_id: str
    channel: Channel
    recipient_id: str

    def __str__(self) -> str:
        return f"{self.source_event_id}:{self.channel}:{self.recipient_id}"
