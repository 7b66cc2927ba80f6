"""The Notifications service's internal HTTP API (``/internal/v1/notifications``), used by
users: account mail (verify the email, reset the password) that carries a secret link.
The link travels only here and in the mail, never on the broker, in the delivery log or
in a log line. Notifications answers with these Structs; a client decodes these same
Structs."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

TransactionalKind = Literal["email_verification", "password_reset"]


class TransactionalMailRequest(msgspec.Struct, frozen=True, kw_only=True):
    """``POST /internal/v1/notifications/transactional`` (a service token): one mail, sent
    now, in the recipient's language; ``action_url`` is the link with its secret,
    ``expires_in_seconds`` how long it works."""

    kind: TransactionalKind
    user_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    to: Annotated[str, msgspec.Meta(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
    display_name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    action_url: Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"^https?://")]
    expires_in_seconds: Annotated[int, msgspec.Meta(ge=60, le=30 * 24 * 3600)]
    locale: Annotated[str, msgspec.Meta(min_length=2, max_length=35)] = "en"


class TransactionalMailResponse(msgspec.Struct, frozen=True, kw_only=True):
    """The delivery log entry of the mail (``sent``: the provider took it)."""

    delivery_id: str
    status: str
