"""The Notifications service's internal HTTP API (``/internal/v1/notifications``), used by
users: account mail (verify the email, reset the password) that carries a secret link.
The link travels only here and in the mail, never on the broker, in the delivery log or
in a log line. Notifications answers with these Structs; a client decodes these same
Structs.

Also Alertmanager's webhook (``/internal/v1/notifications/alerts``): the platform's
alerts, told to every administrator. The body is Alertmanager's webhook payload, version
4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config); fields this
service does not read are accepted and ignored."""

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


# Alertmanager sends at most ``max_alerts`` per request (the platform's config sets 50).
MAX_ALERTS = 100
_LABEL = Annotated[str, msgspec.Meta(max_length=2000)]


class AlertmanagerAlert(msgspec.Struct, frozen=True, kw_only=True):
    """One alert of the group: ``fingerprint`` names its label set; with ``startsAt`` and
    ``status`` it names one firing (or its end), so a resent webhook tells nobody twice."""

    status: Literal["firing", "resolved"]
    labels: Annotated[dict[str, _LABEL], msgspec.Meta(max_length=64)]
    annotations: Annotated[dict[str, _LABEL], msgspec.Meta(max_length=64)] = {}
    startsAt: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    endsAt: Annotated[str, msgspec.Meta(max_length=64)] = ""
    generatorURL: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    fingerprint: Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]


class AlertmanagerWebhook(msgspec.Struct, frozen=True, kw_only=True):
    """``POST /internal/v1/notifications/alerts`` with the webhook's bearer secret."""

    version: Literal["4"]
    status: Literal["firing", "resolved"]
    receiver: Annotated[str, msgspec.Meta(max_length=200)] = ""
    groupKey: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    externalURL: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    alerts: Annotated[list[AlertmanagerAlert], msgspec.Meta(min_length=1, max_length=MAX_ALERTS)]


class AlertsReceived(msgspec.Struct, frozen=True, kw_only=True):
    """How many alerts the webhook carried and how many administrators were told (an
    alert told before, on a resent webhook, counts in ``alerts`` only)."""

    alerts: int
    administrators: int
