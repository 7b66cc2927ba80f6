"""The relay of an outbox kept inside the aggregates' own documents (MongoDB, FerretDB):
each document carries its pending events in an ``outbox`` array, written with the
document under its ``version`` check, so a change and its events are durable together.

Each document's entries are published in order, then removed by exact value, so an entry
appended meanwhile stays for the next round. At least once: a crash between publish and
pull republishes; consumers' inboxes make that harmless. Run one relay per database (the
worker); a second one only duplicates deliveries, it loses nothing.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from pymongo.asynchronous.collection import AsyncCollection

from cmh.kernel.messaging.ports import EventPublisher, OutgoingMessage
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.telemetry.messaging import trace_headers

log = structlog.get_logger("cmh.outbox")


class DocumentOutboxRelay:
    def __init__(
        self,
        documents: AsyncCollection[dict[str, Any]],
        publisher: EventPublisher,
        wakeup: OutboxWakeup,
        *,
        batch_size: int = 100,
        poll_interval: float = 0.5,
    ) -> None:
        self._documents = documents
        self._publisher = publisher
        self._wakeup = wakeup
        self._batch_size = batch_size
        self._poll_interval = poll_interval

    async def run_once(self) -> int:
        """Publish the pending events of up to ``batch_size`` documents; returns how many."""
        sent = 0
        cursor = self._documents.find({"outbox": {"$ne": []}}, {"outbox": 1, "version": 1}).limit(
            self._batch_size
        )
        async for doc in cursor:
            entries = doc.get("outbox") or []
            if not entries:
                continue
            await self._publisher.publish([_message(e) for e in entries])
            # $pullAll with the exact entries read (FerretDB ignores $pull with a condition),
            # only from the version read: FerretDB applies an update by reading and writing
            # the whole document, so a pull from a document saved meanwhile (a forum reply)
            # would write the older document back over it. Changed meanwhile: the entries
            # stay and go out again next round (duplicates, which inboxes skip).
            removed = await self._documents.update_one(
                {"_id": doc["_id"], "version": doc.get("version")},
                {"$pullAll": {"outbox": entries}},
            )
            if removed.modified_count == 0:
                log.info(
                    "outbox.changed_meanwhile",
                    collection=self._documents.name,
                    document_id=doc["_id"],
                )
                continue
            sent += len(entries)
        return sent

    async def drain(self) -> int:
        total = 0
        while sent := await self.run_once():
            total += sent
        return total

    async def run(self, stop: asyncio.Event) -> None:
        backoff = self._poll_interval
        while not stop.is_set():
            try:
                sent = await self.run_once()
                backoff = self._poll_interval
            except Exception as exc:
                log.warning(
                    "outbox.publish_failed", collection=self._documents.name, error=repr(exc)
                )
                sent, backoff = 0, min(backoff * 2, 10.0)
            if not sent:
                await self._wakeup.wait(backoff)


def _message(entry: dict[str, Any]) -> OutgoingMessage:
    payload = bytes(entry["payload"])
    return OutgoingMessage(
        topic=entry["topic"],
        key=entry["key"],
        payload=payload,
        headers={
            "ce_type": entry["event_type"],
            "ce_id": entry["event_id"],
            **trace_headers(payload),
        },
    )
