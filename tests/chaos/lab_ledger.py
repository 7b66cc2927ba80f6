"""What became of the lab launches: the labs database (sessions, outbox), the events on the
private broker's ``labs.session`` topic and what is left in the moto server's accounts."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from cmh.apps.labs.container import build_container
from cmh.apps.labs.settings import LabsServiceSettings
from cmh.contracts.events.labs import SESSION_TOPIC, LabSessionEndedV1
from cmh.labs.adapters.aws.cloud_lab import AwsCloudLab
from tests.chaos.ledger import topic_events

OVER = frozenset({"ended", "failed"})


async def _sessions_and_outbox(
    labs_db: str,
) -> tuple[
    dict[str, tuple[str, list[dict[str, str]]]], int, list[tuple[str, str, str]], dict[str, str]
]:
    """(session id -> (status, history), unsent outbox rows, (event id, type, key) of the
    session topic's rows, failed session id -> its outcome and reason)."""
    engine = create_async_engine(labs_db)
    try:
        async with engine.connect() as conn:
            found = (
                await conn.execute(
                    text("SELECT id, status, outcome, reason, history FROM labs_sessions")
                )
            ).all()
            pending = await conn.scalar(
                text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            )
            rows = [
                (r.event_id, r.event_type, r.key)
                for r in await conn.execute(
                    text("SELECT event_id, event_type, key FROM outbox WHERE topic = :t"),
                    {"t": SESSION_TOPIC},
                )
            ]
    finally:
        await engine.dispose()
    sessions = {row.id: (row.status, list(row.history)) for row in found}
    failed = {row.id: f"{row.outcome}: {row.reason}" for row in found if row.status == "failed"}
    return sessions, int(pending or 0), rows, failed


async def assert_every_lab_once(
    labs_db: str,
    bootstrap: str,
    labs_settings: LabsServiceSettings,
    launched: list[str],
    uncertain_launches: int,
    settle: float = 120.0,
) -> float:
    """Once every session is over and the outbox drained (waited for, at most ``settle``
    seconds without a change): every launch answered 202 is one session, and a session
    nobody was answered for comes only from a lost answer; each session was provisioned
    at most once, is ended, has one ``lab.session_ended``; every session event reached the
    topic and nothing else did; no account of the cloud holds anything. Returns the wait."""
    started = last_move = time.monotonic()
    seen: tuple[int, int] = (-1, -1)
    while True:
        sessions, pending, rows, failed = await _sessions_and_outbox(labs_db)
        live = sum(1 for status, _ in sessions.values() if status not in OVER)
        if (live, pending) == (0, 0):
            break
        if (live, pending) != seen:
            seen, last_move = (live, pending), time.monotonic()
        if time.monotonic() - last_move > settle:
            raise AssertionError(f"{live} sessions still live, {pending} events unsent")
        await asyncio.sleep(0.5)
    waited = time.monotonic() - started

    events = await topic_events(bootstrap, SESSION_TOPIC)
    statuses = Counter(status for status, _ in sessions.values())
    endings = Counter(key for _, kind, key in rows if kind == LabSessionEndedV1.TYPE)
    provisioned = {
        session: sum(
            1
            for move in history
            if (move["from_status"], move["to_status"]) == ("provisioning", "ready")
        )
        for session, (_, history) in sessions.items()
    }
    print(
        f"{len(launched)} lab launches accepted, {uncertain_launches} launch answers lost; "
        f"{len(sessions)} sessions: {dict(statuses)}; {len(rows)} session events, "
        f"{len(events)} on the topic; over {waited:.1f} s after the load",
        flush=True,
    )
    assert len(set(launched)) == len(launched)
    assert set(launched) <= set(sessions)  # none lost
    assert len(set(sessions) - set(launched)) <= uncertain_launches  # none made up
    assert not failed, {session: (why, sessions[session][1]) for session, why in failed.items()}
    assert all(count <= 1 for count in provisioned.values()), provisioned  # never twice
    assert all(endings[session] == 1 for session in sessions), endings  # once each
    assert {event_id for event_id, _ in events} == {event_id for event_id, _, _ in rows}
    container = build_container(labs_settings)
    try:
        cloud = await container.get(AwsCloudLab)
        assert await cloud.orphans(set()) == []  # nothing left behind
    finally:
        await container.close()
    return waited
