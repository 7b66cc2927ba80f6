"""The kernel's UnitOfWork on MongoDB, without multi-document transactions.

Why this design: FerretDB (and a MongoDB without a replica set) has no multi-document
transactions, but a single-document update is atomic. So an asset's outgoing events are
written *into the asset document* (its ``outbox`` array) by the same update that changes
its state, guarded by the ``version`` field (optimistic concurrency). The state change
and its events are durable together or not at all; ``MongoOutboxRelay`` later publishes
each document's ``outbox`` in order and pulls the published entries. No event is lost;
one may be published twice (relay crash between publish and pull), which consumers'
inboxes absorb.

Inbox claims (``first_delivery``) go to the ``inbox`` collection *after* the asset
writes. A crash between the two leaves the effect done but the event unclaimed; the
redelivery then runs the handler again, so handlers must also be idempotent by state
(content's are: processing skips a final asset, anonymising twice is the same).
Several assets changed in one commit are written one by one, each atomically.
"""

from __future__ import annotations

from collections import defaultdict
from types import TracebackType
from typing import Any, Self

from bson import Binary
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from cmh.content.adapters.asset_documents import to_document
from cmh.content.adapters.mongo.documents import ASSETS, INBOX
from cmh.content.domain.asset import Asset
from cmh.content.domain.errors import StaleAsset
from cmh.contracts.events.base import IntegrationEvent, encode_envelope, wrap
from cmh.kernel import context
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.domain_events import RecordsEvents
from cmh.kernel.event_mapping import EventMap, outgoing
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.telemetry.messaging import recording_events


class ContentOutboxWakeup(OutboxWakeup):
    """Wakes the Mongo outbox relay (a type of its own so it never clashes with the SQL one)."""


class MongoUnitOfWork:
    def __init__(
        self,
        db: AsyncDatabase[dict[str, Any]],
        clock: Clock,
        ids: IdGenerator,
        source: str,
        wakeup: ContentOutboxWakeup,
        events: EventMap | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._ids = ids
        self._source = source
        self._wakeup = wakeup
        self._event_map = events or EventMap()
        self._depth = 0
        self._reset()

    def _reset(self) -> None:
        self._new: dict[str, Asset] = {}
        self._changed: dict[str, Asset] = {}
        self._events: list[tuple[IntegrationEvent, str]] = []
        self._claims: set[tuple[str, str]] = set()
        self._tracked: dict[int, RecordsEvents] = {}

    def stage_new(self, asset: Asset) -> None:
        self._new[asset.id] = asset
        self.track(asset)

    def stage_change(self, asset: Asset) -> None:
        self.track(asset)
        if asset.id in self._new:
            self._new[asset.id] = asset
        else:
            self._changed[asset.id] = asset

    async def __aenter__(self) -> Self:
        if self._depth == 0:
            self._reset()
        self._depth += 1  # a use case inside the consumer runner's unit joins it
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._reset()

    def track(self, aggregate: RecordsEvents) -> None:
        self._tracked[id(aggregate)] = aggregate

    def publish(self, event: IntegrationEvent, *, subject: str) -> None:
        self._events.append((event, subject))

    async def first_delivery(self, consumer: str, event_id: str) -> bool:
        if (consumer, event_id) in self._claims:
            return False
        if await self._db[INBOX].find_one({"_id": f"{consumer}:{event_id}"}) is not None:
            return False
        self._claims.add((consumer, event_id))
        return True

    def _outbox_entries(self, traceparent: str | None) -> dict[str, list[dict[str, Any]]]:
        now = self._clock.now()
        entries: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for event, subject in self._events:
            if subject not in self._new and subject not in self._changed:
                raise ValueError(
                    f"event {event.TYPE} is about {subject!r}, which this unit of work did not "
                    "change: its outbox lives in that asset's document"
                )
            envelope = wrap(
                event,
                id=self._ids.new_id(),
                source=self._source,
                subject=subject,
                time=now,
                correlation_id=context.correlation_id.get(),
                causation_id=context.causation_id.get(),
                traceparent=traceparent,
            )
            entries[subject].append(
                {
                    "event_id": envelope.id,
                    "topic": event.TOPIC,
                    "key": subject,
                    "event_type": event.TYPE,
                    "payload": Binary(encode_envelope(envelope)),
                    "created_at": now,
                }
            )
        return entries

    async def commit(self) -> None:
        if self._depth > 1:
            return  # joined: the outer unit commits everything together
        self._events.extend(
            (o.event, o.subject) for o in outgoing(self._tracked.values(), self._event_map)
        )
        self._tracked = {}
        with recording_events([event.TYPE for event, _ in self._events]) as traceparent:
            entries = self._outbox_entries(traceparent)
        assets = self._db[ASSETS]
        for asset in self._new.values():
            doc = {"_id": asset.id, **to_document(asset), "version": 1, "outbox": entries[asset.id]}
            try:
                await assets.insert_one(doc)
            except DuplicateKeyError as exc:
                raise StaleAsset(f"asset {asset.id} already exists") from exc
            asset.version = 1
        for asset in self._changed.values():
            update: dict[str, Any] = {"$set": {**to_document(asset), "version": asset.version + 1}}
            if entries[asset.id]:
                update["$push"] = {"outbox": {"$each": entries[asset.id]}}
            result = await assets.update_one({"_id": asset.id, "version": asset.version}, update)
            if result.matched_count == 0:
                raise StaleAsset(f"asset {asset.id} was changed by someone else; reload and retry")
            asset.version += 1
        now = self._clock.now()
        for consumer, event_id in self._claims:
            try:
                await self._db[INBOX].insert_one(
                    {
                        "_id": f"{consumer}:{event_id}",
                        "consumer": consumer,
                        "event_id": event_id,
                        "processed_at": now,
                    }
                )
            except DuplicateKeyError:
                continue  # a concurrent delivery of the same event claimed it first
        had_events = bool(self._events)
        self._reset()
        if had_events:
            self._wakeup.notify()
