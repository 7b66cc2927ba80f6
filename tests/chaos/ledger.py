"""What became of the writes: the courses database (outbox, inbox, search index) and the
events on the private broker's topic."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from cmh.contracts.events.base import decode_envelope
from cmh.contracts.events.courses import (
    COURSE_TOPIC,
    LEARNING_TOPIC,
    CourseCompletedV1,
    CoursePublishedV1,
)
from cmh.courses.consumers import SEARCH_INDEXER


@dataclass(frozen=True)
class Ledger:
    pending: int  # outbox rows not yet published
    outbox_published: list[str]  # course ids of course.published rows in the outbox
    outbox_ids: set[str]  # every event recorded for the courses topic
    indexed: list[str]  # course ids in the search index
    inbox: list[str]  # event ids the search indexer took (at most once each: primary key)


async def read_ledger(courses_db: str) -> Ledger:
    engine = create_async_engine(courses_db)
    try:
        async with engine.connect() as conn:
            pending = await conn.scalar(
                text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            )
            rows = (
                await conn.execute(
                    text("SELECT event_id, event_type, key FROM outbox WHERE topic = :t"),
                    {"t": COURSE_TOPIC},
                )
            ).all()
            indexed = list(
                (await conn.execute(text("SELECT id FROM courses_search_documents"))).scalars()
            )
            inbox = list(
                (
                    await conn.execute(
                        text("SELECT event_id FROM inbox WHERE consumer = :c"),
                        {"c": SEARCH_INDEXER},
                    )
                ).scalars()
            )
    finally:
        await engine.dispose()
    return Ledger(
        pending=int(pending or 0),
        outbox_published=[r.key for r in rows if r.event_type == CoursePublishedV1.TYPE],
        outbox_ids={r.event_id for r in rows},
        indexed=indexed,
        inbox=inbox,
    )


async def outbox_backlog(courses_db: str, up_to_seq: int | None = None) -> tuple[int, int]:
    """(unsent rows with ``seq <= up_to_seq`` (all when None), the highest seq so far)."""
    engine = create_async_engine(courses_db)
    try:
        async with engine.connect() as conn:
            unsent = await conn.scalar(
                text(
                    "SELECT count(*) FROM outbox WHERE published_at IS NULL"
                    " AND (CAST(:s AS BIGINT) IS NULL OR seq <= :s)"
                ),
                {"s": up_to_seq},
            )
            highest = await conn.scalar(text("SELECT coalesce(max(seq), 0) FROM outbox"))
    finally:
        await engine.dispose()
    return int(unsent or 0), int(highest or 0)


async def outbox_rows(database: str) -> int:
    """Every event the database's outbox ever recorded (sent or not)."""
    engine = create_async_engine(database)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(text("SELECT count(*) FROM outbox")) or 0)
    finally:
        await engine.dispose()


async def wait_for_ledger(
    courses_db: str, accepted: list[str], stalled_after: float = 60.0
) -> tuple[Ledger, float]:
    """Until the outbox is empty, every accepted course is indexed and every published
    event was taken by the indexer, or nothing moved for ``stalled_after`` seconds; returns
    the ledger and the seconds it took. A backlog that drains slowly is waited for (with a
    progress line every 10 s); one that stopped moving is a failure to report."""
    started = last_move = last_line = time.monotonic()
    seen = (-1, -1, -1)
    while True:
        ledger = await read_ledger(courses_db)
        if (
            ledger.pending == 0
            and set(accepted) <= set(ledger.indexed)
            and set(ledger.outbox_ids) <= set(ledger.inbox)
        ):
            return ledger, time.monotonic() - started
        now = time.monotonic()
        state = (ledger.pending, len(ledger.indexed), len(ledger.inbox))
        if state != seen:
            seen, last_move = state, now
        if now - last_move > stalled_after:
            return ledger, now - started
        if now - last_line >= 10:
            last_line = now
            print(
                f"draining: {ledger.pending} unsent, {len(ledger.inbox)}/"
                f"{len(ledger.outbox_ids)} events taken by the indexer",
                flush=True,
            )
        await asyncio.sleep(0.5)


async def topic_events(bootstrap: str, topic: str = COURSE_TOPIC) -> list[tuple[str, str]]:
    """Every (event id, key) on the topic, read from the beginning (at most 60 s)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    events: list[tuple[str, str]] = []
    try:
        partitions = [
            TopicPartition(topic, p) for p in (consumer.partitions_for_topic(topic) or {0})
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(
            [await consumer.position(tp) < end[tp] for tp in partitions]
        ):
            batches = await consumer.getmany(timeout_ms=1000)
            for records in batches.values():
                for record in records:
                    headers = {k: v.decode() for k, v in record.headers}
                    key = record.key.decode() if record.key else ""
                    events.append((headers.get("ce_id", ""), key))
    finally:
        await consumer.stop()
    return events


async def assert_nothing_lost_or_doubled(
    courses_db: str,
    bootstrap: str,
    accepted: list[str],
    at_least: int,
    uncertain: list[str] | None = None,
) -> float:
    """Once the outbox drained: every accepted course is one ``course.published`` row and one
    indexed course (nothing else is indexed); every course event of the outbox reached the
    topic (nothing else did) and was taken by the search indexer exactly once. A course in
    ``uncertain`` (its publish answer was lost) may be published, once, or not at all.
    Returns the seconds the drain took."""
    ledger, waited = await wait_for_ledger(courses_db, accepted)
    events = await topic_events(bootstrap)
    lost_answers = set(uncertain or ())
    print(
        f"{len(accepted)} courses accepted, {len(ledger.indexed)} indexed, "
        f"{ledger.pending} pending after {waited:.1f} s; {len(events)} events on the topic; "
        f"{len(lost_answers)} publish answers lost on the way, "
        f"{len(lost_answers & set(ledger.outbox_published))} of those courses published",
        flush=True,
    )
    committed = sorted(ledger.outbox_published)
    assert len(accepted) >= at_least
    assert ledger.pending == 0
    assert len(set(committed)) == len(committed)  # one event per write
    assert set(accepted) <= set(committed)  # none lost
    assert set(committed) - set(accepted) <= lost_answers  # none made up
    assert sorted(ledger.indexed) == committed  # each indexed once, nothing else
    assert {event_id for event_id, _ in events} == ledger.outbox_ids
    assert sorted(ledger.inbox) == sorted(ledger.outbox_ids)  # one row per event id
    return waited


async def assert_each_completion_once(
    courses_db: str,
    bootstrap: str,
    completed: Sequence[tuple[str, str]],
    uncertain: Sequence[tuple[str, str]],
) -> None:
    """Every (course, learner) completed with a 2xx is one ``course.completed`` event; a
    completion whose answer was lost is one or none; every learning event of the outbox
    reached the topic, and nothing else did."""
    engine = create_async_engine(courses_db)
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text("SELECT event_id, event_type, payload FROM outbox WHERE topic = :t"),
                    {"t": LEARNING_TOPIC},
                )
            ).all()
    finally:
        await engine.dispose()
    completions = [
        (event.course_id, event.user_id)
        for event in (
            decode_envelope(bytes(r.payload)).decode(CourseCompletedV1)
            for r in rows
            if r.event_type == CourseCompletedV1.TYPE
        )
    ]
    events = await topic_events(bootstrap, LEARNING_TOPIC)
    print(
        f"{len(completed)} completions accepted, {len(completions)} course.completed events, "
        f"{len(uncertain)} completion answers lost; {len(rows)} learning events, "
        f"{len(events)} on the topic",
        flush=True,
    )
    assert len(completions) == len(set(completions))  # never twice
    assert set(completed) <= set(completions)  # none lost
    assert set(completions) - set(completed) <= set(uncertain)  # none made up
    assert {event_id for event_id, _ in events} == {r.event_id for r in rows}
