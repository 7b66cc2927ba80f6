"""The kernel's UnitOfWork on MongoDB without multi-document transactions (FerretDB has
none), as the content service does it: a thread's outgoing events are written into the
thread document (its ``outbox`` array) by the same single-document update that changes it,
guarded by ``version``; ``MongoOutboxRelay`` publishes them later and pulls them. Boards
record no outgoing events. Inbox claims are written after the documents: a crash between
the two runs the handler again on redelivery, so the forum's handlers are idempotent by
state too (a board opens once, an index entry is rewritten, anonymising twice is the same).
"""

from __future__ import annotations

from collections import defaultdict
from types import TracebackType
from typing import Any, Self

from bson import Binary
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from cmh.contracts.events.base import IntegrationEvent, encode_envelope, wrap
from cmh.forum.adapters.mongo.documents import (
    BOARDS,
    INBOX,
    THREADS,
    board_document,
    thread_document,
)
from cmh.forum.domain.board import Board
from cmh.forum.domain.thread import Thread
from cmh.kernel import context
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.domain_events import RecordsEvents
from cmh.kernel.errors import Conflict
from cmh.kernel.event_mapping import EventMap, outgoing
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.telemetry.messaging import recording_events


class ForumOutboxWakeup(OutboxWakeup):
    """Wakes the forum's Mongo outbox relay (a type of its own)."""


class StaleDocument(Conflict):
    code = "forum_changed_meanwhile"


class MongoForumUnitOfWork:
    def __init__(
        self,
        db: AsyncDatabase[dict[str, Any]],
        clock: Clock,
        ids: IdGenerator,
        source: str,
        wakeup: ForumOutboxWakeup,
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
        self._threads: dict[str, Thread] = {}
        self._boards: dict[str, Board] = {}
        self._events: list[tuple[IntegrationEvent, str]] = []
        self._claims: set[tuple[str, str]] = set()
        self._tracked: dict[int, RecordsEvents] = {}

    def stage(self, aggregate: Thread | Board) -> None:
        if isinstance(aggregate, Thread):
            self._threads[aggregate.id] = aggregate
        else:
            self._boards[aggregate.id] = aggregate
        self.track(aggregate)

    async def __aenter__(self) -> Self:
        if self._depth == 0:
            self._reset()
        self._depth += 1
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
            if subject not in self._threads:
                raise ValueError(
                    f"event {event.TYPE} is about {subject!r}, which this unit of work did not "
                    "change: its outbox lives in that thread's document"
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

    async def _write(
        self, collection: str, key: str, aggregate: Thread | Board, doc: dict[str, Any],
        entries: list[dict[str, Any]],
    ) -> None:  # fmt: skip
        if aggregate.version == 0:
            try:
                await self._db[collection].insert_one(
                    {"_id": key, **doc, "version": 1, "outbox": entries}
                )
            except DuplicateKeyError as exc:
                raise StaleDocument(f"{key} already exists; reload and retry") from exc
            aggregate.version = 1
            return
        update: dict[str, Any] = {"$set": {**doc, "version": aggregate.version + 1}}
        if entries:
            update["$push"] = {"outbox": {"$each": entries}}
        result = await self._db[collection].update_one(
            {"_id": key, "version": aggregate.version}, update
        )
        if result.matched_count == 0:
            raise StaleDocument(f"{key} was changed by someone else; reload and retry")
        aggregate.version += 1

    async def commit(self) -> None:
        if self._depth > 1:
            return  # joined: the outer unit commits everything together
        self._events.extend(
            (o.event, o.subject) for o in outgoing(self._tracked.values(), self._event_map)
        )
        self._tracked = {}
        with recording_events([event.TYPE for event, _ in self._events]) as traceparent:
            entries = self._outbox_entries(traceparent)
        for board in self._boards.values():
            await self._write(BOARDS, board.id, board, board_document(board), [])
        for thread in self._threads.values():
            await self._write(
                THREADS, thread.id, thread, thread_document(thread), entries[thread.id]
            )
        now = self._clock.now()
        for consumer, event_id in self._claims:
            try:
                await self._db[INBOX].insert_one(
                    {"_id": f"{consumer}:{event_id}", "consumer": consumer, "processed_at": now}
                )
            except DuplicateKeyError:
                continue  # a concurrent delivery of the same event claimed it first
        had_events = bool(self._events)
        self._reset()
        if had_events:
            self._wakeup.notify()
