"""What the event handlers ask of the notifications use cases."""

from __future__ import annotations

import msgspec

from cmh.notifications.application.ports import Recipient


class NotifyRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Tell ``recipient_id`` of the event ``source_event_id`` as a ``kind`` notification
    (see ``cmh.notifications.domain.messages``). ``recipient`` comes with the event that
    introduces the user (``user.registered``): where their mail goes from now on."""

    recipient_id: str
    kind: str
    source_event_id: str
    variables: dict[str, str] = {}
    link: str | None = None
    recipient: Recipient | None = None
