"""Publishes the events embedded in asset documents (see ``unit_of_work.py``).

Each document's entries are published in order and then removed by exact value, so an
entry appended meanwhile stays for the next round. At least once: a crash between publish and
pull republishes; consumers' inboxes make that harmless. Run one relay per database
(the worker); a second one only duplicates deliveries, it loses nothing.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from pymongo.asynchronous.database import AsyncDatabase

from cmh.content.adapters.mongo.documents import ASSETS
from cmh.content.adapters.mongo.unit_of_work import ContentOutboxWakeup
from cmh.kernel.messaging.ports import EventPublisher, OutgoingMessage
from cmh.kernel.telemetry.messaging import trace_headers

log = structlog.get_logger("cmh.content.outbox")


class MongoOutboxRelay:
    def __init__(
        self,
        db: AsyncDatabase[dict[str, Any]],
        publisher: EventPublisher,
        wakeup: ContentOutboxWakeup,
        *,
        batch_size: int = 100,
        poll_interval: float = 0.5,
    ) -> None:
        self._assets = db[ASSETS]
        self._publisher = publisher
        self._wakeup = wakeup
        self._batch_size = batch_size
        self._poll_interval = poll_interval

    async def run_once(self) -> int:
        """Publish the pending events of up to ``batch_size`` assets; returns how many."""
        sent = 0
        cursor = self._assets.find({"outbox": {"$ne": []}}, {"outbox": 1, "version": 1}).limit(
            self._batch_size
        )
        async for doc in cursor:
            entries = doc.get("outbox") or []
            if not entries:
                continue
            await self._publisher.publish(
                [
                    OutgoingMessage(
                        topic=e["topic"],
                        key=e["key"],
                        payload=bytes(e["payload"]),
                        headers={
                            "ce_type": e["event_type"],
                            "ce_id": e["event_id"],
                            **trace_headers(bytes(e["payload"])),
                        },
                    )
                    for e in entries
                ]
            )
            # $pullAll with the exact entries read (FerretDB ignores $pull with a condition),
            # only from the version read: FerretDB applies an update by reading and writing
            # the whole document, so a pull from an asset saved meanwhile would write the
            # older asset back over it. Changed meanwhile: the entries stay and go out
            # again next round (duplicates, which inboxes skip; nothing lost).
            removed = await self._assets.update_one(
                {"_id": doc["_id"], "version": doc.get("version")},
                {"$pullAll": {"outbox": entries}},
            )
            if removed.modified_count == 0:
                log.info("content.outbox.changed_meanwhile", asset_id=doc["_id"])
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
                log.warning("content.outbox.publish_failed", error=repr(exc))
                sent, backoff = 0, min(backoff * 2, 10.0)
            if not sent:
                await self._wakeup.wait(backoff)
