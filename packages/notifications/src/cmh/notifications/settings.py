"""Settings of the Notifications context (``CMH_NOTIFICATIONS__...`` when loaded with the
kernel's ``load_settings``)."""

from __future__ import annotations

import msgspec

from cmh.notifications.adapters.mail.settings import MailSettings
from cmh.notifications.adapters.push.settings import PushSettings
from cmh.notifications.adapters.sqs.settings import MailQueueSettings
from cmh.notifications.adapters.users.settings import UsersClientSettings


class NotificationsSettings(msgspec.Struct, frozen=True):
    """``public_url``: where learners reach the platform (links in mail, the unsubscribe
    link); ``unsubscribe_key``: the HMAC key of unsubscribe links, 32 bytes or more in
    base64 (without one only the memory and embedded profiles start, with a key of their
    own); ``mail``: the provider; ``queue``: the SQS mail job queue (distributed);
    ``push``: the Redis channel of live push (distributed); ``users``: the users service
    (distributed)."""

    public_url: str = "http://127.0.0.1:8000"
    unsubscribe_key: str | None = None
    mail: MailSettings = MailSettings()
    queue: MailQueueSettings = MailQueueSettings()
    push: PushSettings = PushSettings()
    users: UsersClientSettings = UsersClientSettings()
    # How often the worker (or the embedded platform) releases held and stale mail.
    mail_timer_seconds: float = 30.0
    # The bearer secret Alertmanager presents at /internal/v1/notifications/alerts (32
    # characters or more); none: the webhook answers 404.
    alerts_webhook_secret: str | None = None

    def __repr__(self) -> str:
        # The key must never reach a log line or a traceback.
        key = "<set>" if self.unsubscribe_key else None
        alerts = "<set>" if self.alerts_webhook_secret else None
        return (
            f"NotificationsSettings(public_url={self.public_url!r}, unsubscribe_key={key}, "
            f"alerts_webhook_secret={alerts})"
        )

    __str__ = __repr__
