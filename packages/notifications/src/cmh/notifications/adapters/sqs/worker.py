"""Runs mail jobs from the SQS queue.

A message is deleted once its job returned. When the mail provider cannot take the mail
(``MailUnavailable``), the message is made invisible for a backoff that doubles with each
receive (``first_backoff_seconds`` up to ``max_backoff_seconds``): it comes back then, so an
outage delays mail and loses none. A job received before the transaction that queued it
committed comes back a second later. Any other failure leaves the message to reappear after
the queue's visibility timeout. After ``max_receive_count`` receives SQS moves it to the
dead-letter queue, where an operator finds it (as they find a message that is not a job).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from cmh.notifications.adapters.sqs.queues import MailQueues
from cmh.notifications.adapters.sqs.settings import MailQueueSettings
from cmh.notifications.application.ports import MailJob, MailUnavailable
from cmh.notifications.application.send_mail import DeliveriesNotYetStored

log = logging.getLogger(__name__)

JobHandler = Callable[[MailJob], Awaitable[None]]
NOT_YET_STORED_WAIT = 1
# SQS's longest visibility timeout.
MAX_VISIBILITY = 12 * 3600


def backoff_seconds(receives: int, settings: MailQueueSettings) -> int:
    wait = settings.first_backoff_seconds * 2 ** max(0, receives - 1)
    return int(min(wait, settings.max_backoff_seconds, MAX_VISIBILITY))


class SqsMailWorker:
    def __init__(
        self, sqs: Any, queues: MailQueues, handler: JobHandler, settings: MailQueueSettings
    ) -> None:
        self._sqs = sqs
        self._queues = queues
        self._handler = handler
        self._settings = settings

    def _receive(self) -> list[dict[str, Any]]:
        answer = self._sqs.receive_message(
            QueueUrl=self._queues.url,
            MaxNumberOfMessages=self._settings.batch_size,
            WaitTimeSeconds=self._settings.wait_seconds,
            MessageSystemAttributeNames=["ApproximateReceiveCount"],
        )
        messages: list[dict[str, Any]] = answer.get("Messages", [])
        return messages

    def _delete(self, receipt_handle: str) -> None:
        self._sqs.delete_message(QueueUrl=self._queues.url, ReceiptHandle=receipt_handle)

    def _later(self, receipt_handle: str, seconds: int) -> None:
        self._sqs.change_message_visibility(
            QueueUrl=self._queues.url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
        )

    async def _handle(self, message: dict[str, Any]) -> bool:
        receives = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
        try:
            job = msgspec.json.decode(message["Body"], type=MailJob)
        except msgspec.DecodeError:
            log.error("not a mail job, left for the dead-letter queue: %r", message["Body"][:200])
            return False
        try:
            await self._handler(job)
        except DeliveriesNotYetStored:
            # Received before the transaction that queued it committed (the consumer's):
            # again in a moment rather than after the whole visibility timeout.
            await asyncio.to_thread(self._later, message["ReceiptHandle"], NOT_YET_STORED_WAIT)
            return False
        except MailUnavailable as exc:
            wait = backoff_seconds(receives, self._settings)
            log.warning(
                "mail provider unavailable (receive %s), again in %ss: %s", receives, wait, exc
            )
            await asyncio.to_thread(self._later, message["ReceiptHandle"], wait)
            return False
        except Exception:
            log.exception("mail job %s failed (receive %s)", job.delivery_ids, receives)
            return False
        await asyncio.to_thread(self._delete, message["ReceiptHandle"])
        return True

    async def poll_once(self) -> int:
        """Waits up to the long-polling time for a batch and runs its jobs side by side;
        how many were done."""
        messages = await asyncio.to_thread(self._receive)
        done = await asyncio.gather(*(self._handle(m) for m in messages))
        return sum(done)

    async def run(self, stop: asyncio.Event) -> None:
        """Polls until ``stop`` is set (within one long-polling wait)."""
        while not stop.is_set():
            try:
                await self.poll_once()
            except Exception:
                log.exception("receiving mail jobs failed")
                await asyncio.sleep(1)
