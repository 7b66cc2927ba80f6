"""The ``LabJobs`` port on SQS: a job is one message in the FIFO job queue."""

from __future__ import annotations

import asyncio

import msgspec

from cmh.labs.adapters.aws.clients import AwsClients
from cmh.labs.adapters.sqs.queues import JobQueues
from cmh.labs.application.ports import LabJob


def deduplication_id(job: LabJob) -> str:
    """The same job enqueued twice within SQS's five-minute window is delivered once (a
    retried request, two replicas reacting to one event); later it is a new job, which
    is harmless since every job may run again."""
    return f"{job.kind}-{job.session_id}"


class SqsLabJobs:
    def __init__(self, clients: AwsClients, queues: JobQueues) -> None:
        self._sqs = clients.client("sqs")
        self._queues = queues

    def _send(self, job: LabJob) -> None:
        fifo = {}
        if self._queues.url.endswith(".fifo"):
            # One group per session: its teardown waits until its provisioning is done.
            fifo = {
                "MessageGroupId": job.session_id,
                "MessageDeduplicationId": deduplication_id(job),
            }
        self._sqs.send_message(
            QueueUrl=self._queues.url, MessageBody=msgspec.json.encode(job).decode(), **fifo
        )

    async def enqueue(self, job: LabJob) -> None:
        await asyncio.to_thread(self._send, job)
