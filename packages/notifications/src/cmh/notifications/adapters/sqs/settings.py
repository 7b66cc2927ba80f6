"""Settings of the mail job queue on SQS (``CMH_NOTIFICATIONS__QUEUE__*``)."""

from __future__ import annotations

import msgspec


class MailQueueSettings(msgspec.Struct, frozen=True):
    queue_name: str = "cmh-mail-jobs"
    dead_letter_queue_name: str = "cmh-mail-jobs-dead"
    # AWS itself when empty; infra/local's moto server otherwise.
    endpoint_url: str | None = None
    region: str = "us-east-1"
    # The default credential chain when unset (moto accepts any).
    access_key_id: str | None = None
    secret_access_key: str | None = None
    # A job not deleted within this time reappears: the retry of a failed send. The
    # backoff grows with each receive (the worker changes the visibility).
    visibility_timeout_seconds: int = 60
    first_backoff_seconds: int = 5
    max_backoff_seconds: int = 900
    # Receives before a job is parked in the dead-letter queue: at the longest backoff,
    # about a day of provider outage.
    max_receive_count: int = 100
    wait_seconds: int = 20
    batch_size: int = 10
    dead_letter_retention_seconds: int = 14 * 24 * 3600

    def __repr__(self) -> str:
        return f"MailQueueSettings(queue_name={self.queue_name!r}, endpoint={self.endpoint_url!r})"

    __str__ = __repr__
