"""The ``MailJobs`` port on SQS: a job is one message in the mail job queue."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec

from cmh.notifications.adapters.sqs.queues import MailQueues
from cmh.notifications.application.ports import MailJob


class SqsMailJobs:
    def __init__(self, sqs: Any, queues: MailQueues) -> None:
        self._sqs = sqs
        self._queues = queues

    def _send(self, job: MailJob) -> None:
        self._sqs.send_message(
            QueueUrl=self._queues.url, MessageBody=msgspec.json.encode(job).decode()
        )

    async def enqueue(self, job: MailJob) -> None:
        await asyncio.to_thread(self._send, job)
