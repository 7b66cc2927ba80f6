"""Settings of the lab job queue (``CMH_LABS__JOBS__*``)."""

from __future__ import annotations

import msgspec


class SqsJobSettings(msgspec.Struct, frozen=True):
    # A FIFO queue: jobs of one session run in the order they were enqueued.
    queue_name: str = "cmh-lab-jobs.fifo"
    dead_letter_queue_name: str = "cmh-lab-jobs-dead.fifo"
    # Longer than the slowest job (provisioning an account takes minutes): a message
    # reappears only when its worker has died or failed.
    visibility_timeout_seconds: int = 900
    # Receives before a job is given up and parked in the dead-letter queue.
    max_receive_count: int = 5
    # Long polling: a receive waits this long for a message (SQS allows 0 to 20 seconds).
    wait_seconds: int = 20
    batch_size: int = 10
    # How long the dead-letter queue keeps a job for an operator to look at (14 days).
    dead_letter_retention_seconds: int = 14 * 24 * 3600
