"""Replaying a range of a service's outbox: the rows between two sequence numbers are
published again as the relay published them (same topic, key, payload, ``ce_id`` and
``ce_type``), marked ``x-replay: outbox``. The event ids are kept, so consumers that
handled an event already skip it (their inbox); a consumer that lost its effect (a
restored database, a fixed projection) gets it again.

Rows the relay has not published yet are left to it: a replay never races it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmh.apps.admin.dead_letters import ProgressCallback, no_progress
from cmh.apps.admin.ports import NotFound, OutboxRow, OutboxRows
from cmh.kernel.messaging import dead_letters
from cmh.kernel.messaging.ports import EventPublisher, OutgoingMessage
from cmh.kernel.telemetry.messaging import trace_headers


@dataclass(frozen=True, slots=True)
class OutboxReplayReport:
    replayed: int
    not_yet_published: int


class ReplayOutboxRange:
    def __init__(self, rows: OutboxRows, publisher: EventPublisher, batch_size: int = 500) -> None:
        self._rows = rows
        self._publisher = publisher
        self._batch_size = batch_size

    async def __call__(
        self, first: int, last: int, progress: ProgressCallback = no_progress
    ) -> OutboxReplayReport:
        if first > last:
            raise NotFound(f"--from {first} is after --to {last}: give the lower seq first")
        total = await self._rows.count(first, last)
        if total == 0:
            raise NotFound(f"the outbox has no row with a seq from {first} to {last}")
        replayed = pending = done = 0
        progress(0, total)
        at = first
        while at <= last:
            rows = await self._rows.read(at, last, self._batch_size)
            if not rows:
                break
            sent = [r for r in rows if r.published]
            if sent:
                await self._publisher.publish([outbox_replay_message(r) for r in sent])
            replayed += len(sent)
            pending += len(rows) - len(sent)
            done += len(rows)
            progress(done, total)
            at = rows[-1].seq + 1
        return OutboxReplayReport(replayed, pending)


def outbox_replay_message(row: OutboxRow) -> OutgoingMessage:
    return OutgoingMessage(
        topic=row.topic,
        key=row.key,
        payload=row.payload,
        headers={
            "ce_type": row.event_type,
            "ce_id": row.event_id,
            **trace_headers(row.payload),
            dead_letters.REPLAY: "outbox",
            dead_letters.REPLAY_OF: f"outbox:{row.seq}",
        },
    )
