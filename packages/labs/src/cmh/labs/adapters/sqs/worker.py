"""Runs lab jobs from the SQS job queue.

A message is deleted only after its handler returned. When the handler raises, the
message stays: it reappears once its visibility timeout has passed, and after the queue's
``maxReceiveCount`` receives SQS moves it to the dead-letter queue. A message that is not
a job takes the same way, so an operator finds it there. While a handler runs, the
worker keeps extending its message's visibility, so a slow job is not handed to another
worker as well.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from cmh.labs.adapters.aws.clients import AwsClients
from cmh.labs.adapters.sqs.queues import JobQueues
from cmh.labs.adapters.sqs.settings import SqsJobSettings
from cmh.labs.application.ports import LabJob

log = logging.getLogger(__name__)

JobHandler = Callable[[LabJob], Awaitable[None]]


class SqsJobWorker:
    def __init__(
        self,
        clients: AwsClients,
        queues: JobQueues,
        handler: JobHandler,
        settings: SqsJobSettings,
    ) -> None:
        self._sqs = clients.client("sqs")
        self._queues = queues
        self._handler = handler
        self._settings = settings

    def _receive(self) -> list[dict[str, Any]]:
        answer = self._sqs.receive_message(
            QueueUrl=self._queues.url,
            MaxNumberOfMessages=self._settings.batch_size,
            WaitTimeSeconds=self._settings.wait_seconds,
            MessageSystemAttributeNames=["ApproximateReceiveCount", "MessageGroupId"],
        )
        messages: list[dict[str, Any]] = answer.get("Messages", [])
        return messages

    def _delete(self, receipt_handle: str) -> None:
        self._sqs.delete_message(QueueUrl=self._queues.url, ReceiptHandle=receipt_handle)

    def _extend(self, receipt_handle: str) -> None:
        self._sqs.change_message_visibility(
            QueueUrl=self._queues.url,
            ReceiptHandle=receipt_handle,
            VisibilityTimeout=self._settings.visibility_timeout_seconds,
        )

    async def _keep_invisible(self, receipt_handle: str) -> None:
        """Renews the visibility timeout at half its length until cancelled."""
        interval = self._settings.visibility_timeout_seconds / 2
        while True:
            await asyncio.sleep(interval)
            try:
                await asyncio.to_thread(self._extend, receipt_handle)
            except Exception:
                # The job goes on; at worst another worker runs it again, which jobs allow.
                log.exception("extending a lab job's visibility failed")
                return

    async def _run_handler(self, job: LabJob, receipt_handle: str) -> None:
        heartbeat = asyncio.create_task(self._keep_invisible(receipt_handle))
        try:
            await self._handler(job)
        finally:
            heartbeat.cancel()

    async def _handle(self, message: dict[str, Any]) -> bool:
        receives = message.get("Attributes", {}).get("ApproximateReceiveCount", "?")
        try:
            job = msgspec.json.decode(message["Body"], type=LabJob)
        except msgspec.DecodeError:
            log.error("not a lab job, left for the dead-letter queue: %r", message["Body"][:200])
            return False
        try:
            await self._run_handler(job, message["ReceiptHandle"])
        except Exception:
            log.exception(
                "%s job of session %s failed (receive %s)", job.kind, job.session_id, receives
            )
            return False
        await asyncio.to_thread(self._delete, message["ReceiptHandle"])
        return True

    async def _run_in_order(self, messages: list[dict[str, Any]]) -> int:
        """One session's jobs, one after the other; after a failure the later ones wait
        for its retry, so their order (provision before teardown) holds."""
        handled = 0
        for message in messages:
            if not await self._handle(message):
                break
            handled += 1
        return handled

    async def poll_once(self) -> int:
        """Waits up to the long-polling time for a batch and runs it, the sessions side
        by side; how many jobs ran."""
        messages = await asyncio.to_thread(self._receive)
        by_session: dict[str, list[dict[str, Any]]] = {}
        for message in messages:
            group = message.get("Attributes", {}).get("MessageGroupId", message["MessageId"])
            by_session.setdefault(group, []).append(message)
        done = await asyncio.gather(*(self._run_in_order(jobs) for jobs in by_session.values()))
        return sum(done)

    async def run(self, stop: asyncio.Event) -> None:
        """Polls until ``stop`` is set (within one long-polling wait)."""
        while not stop.is_set():
            try:
                await self.poll_once()
            except Exception:
                # The queue did not answer: wait a little rather than spin, then go on.
                log.exception("receiving lab jobs failed")
                await asyncio.sleep(1)
