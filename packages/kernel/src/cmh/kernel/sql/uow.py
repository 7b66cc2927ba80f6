"""SQLAlchemy unit of work: repositories share its session; events go to the outbox table
and consumer claims to the inbox table in the same transaction as the state change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import Self

import structlog
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.contracts.events.base import IntegrationEvent, encode_envelope, wrap
from cmh.kernel import context
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.domain_events import RecordsEvents
from cmh.kernel.event_mapping import EventMap, outgoing
from cmh.kernel.messaging.sources import EventSource, single_context
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.sql.tables import inbox, outbox
from cmh.kernel.telemetry.messaging import recording_events

log = structlog.get_logger("cmh.uow")
AfterCommit = Callable[[], Awaitable[None]]
Committed = Callable[[AsyncSession], Awaitable[None]]


class SqlUnitOfWork:
    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        ids: IdGenerator,
        source: str | EventSource,
        wakeup: OutboxWakeup,
        events: EventMap | None = None,
        committed: Committed | None = None,
    ) -> None:
        self._session = session
        # Told of each commit before anything else runs (a read replica's read-your-writes).
        self._committed = committed
        self._clock = clock
        self._ids = ids
        # A name (one context per process) or, embedded, the producing context's source.
        self._source_of = single_context(source) if isinstance(source, str) else source
        self._wakeup = wakeup
        self._events = events or EventMap()
        self._tracked: dict[int, RecordsEvents] = {}
        self._pending: list[tuple[IntegrationEvent, str]] = []
        self._claims: list[tuple[str, str]] = []
        self._after: list[AfterCommit] = []
        self._depth = 0

    async def __aenter__(self) -> Self:
        if self._depth == 0:
            self._pending = []
            self._claims = []
            self._tracked = {}
            self._after = []
        self._depth += 1  # a use case inside the consumer runner's unit joins it
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth:
            return  # joined: the outer unit commits or rolls back
        # Anything not committed explicitly is undone, events and claims included.
        self._pending = []
        self._claims = []
        self._tracked = {}
        self._after = []
        await self._session.rollback()

    def track(self, aggregate: RecordsEvents) -> None:
        self._tracked[id(aggregate)] = aggregate

    def publish(self, event: IntegrationEvent, *, subject: str) -> None:
        self._pending.append((event, subject))

    def after_commit(self, action: AfterCommit) -> None:
        """Run ``action`` once the outermost unit commits (never if it does not): what
        others may only see once the state is durable (a live push, a job)."""
        self._after.append(action)

    async def first_delivery(self, consumer: str, event_id: str) -> bool:
        seen = await self._session.scalar(
            select(inbox.c.event_id).where(
                inbox.c.consumer == consumer, inbox.c.event_id == event_id
            )
        )
        if seen is not None or (consumer, event_id) in self._claims:
            return False
        # Written at commit, so a long handler holds no write lock. The primary key settles
        # a race between two deliveries: the loser's commit fails and its retry then sees
        # the row.
        self._claims.append((consumer, event_id))
        return True

    async def first_deliveries(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        """``first_delivery`` for many events in one query: the ids not handled yet (each
        claimed once, whatever repeats ``event_ids`` holds)."""
        seen = set(
            await self._session.scalars(
                select(inbox.c.event_id).where(
                    inbox.c.consumer == consumer, inbox.c.event_id.in_(set(event_ids))
                )
            )
        )
        seen |= {e for c, e in self._claims if c == consumer}
        fresh: set[str] = set()
        for event_id in event_ids:
            if event_id not in seen and event_id not in fresh:
                fresh.add(event_id)
                self._claims.append((consumer, event_id))
        return fresh

    async def commit(self) -> None:
        if self._depth > 1:
            return  # joined: the outer unit commits everything together
        self._pending.extend(
            (o.event, o.subject) for o in outgoing(self._tracked.values(), self._events)
        )
        self._tracked = {}
        if self._claims:
            now = self._clock.now()
            await self._session.execute(
                insert(inbox),
                [{"consumer": c, "event_id": e, "processed_at": now} for c, e in self._claims],
            )
        if self._pending:
            now = self._clock.now()
            rows = []
            with recording_events([event.TYPE for event, _ in self._pending]) as traceparent:
                for event, subject in self._pending:
                    envelope = wrap(
                        event,
                        id=self._ids.new_id(),
                        source=self._source_of(event),
                        subject=subject,
                        time=now,
                        correlation_id=context.correlation_id.get(),
                        causation_id=context.causation_id.get(),
                        traceparent=traceparent,
                    )
                    rows.append(
                        {
                            "event_id": envelope.id,
                            "topic": event.TOPIC,
                            "key": subject,
                            "event_type": event.TYPE,
                            "payload": encode_envelope(envelope),
                            "created_at": now,
                            "attempts": 0,
                        }
                    )
                await self._session.execute(insert(outbox), rows)
        await self._session.commit()
        if self._committed is not None:
            await self._committed(self._session)
        had_events = bool(self._pending)
        self._pending = []
        self._claims = []
        if had_events:
            self._wakeup.notify()
        await run_after_commit(self._after)
        self._after = []


async def run_after_commit(actions: list[AfterCommit]) -> None:
    """The committed state stands whatever an action does: a failing one is logged."""
    for action in list(actions):
        try:
            await action()
        except Exception as exc:
            log.error("uow.after_commit_failed", error=repr(exc))
