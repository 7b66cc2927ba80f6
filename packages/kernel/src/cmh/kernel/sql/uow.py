"""SQLAlchemy unit of work: repositories share its session; events go to the outbox table
and consumer claims to the inbox table in the same transaction as the state change."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.contracts.events.base import IntegrationEvent, encode_envelope, wrap
from cmh.kernel import context
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.messaging.sources import EventSource, single_context
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.sql.tables import inbox, outbox
from cmh.kernel.telemetry.messaging import recording_events


class SqlUnitOfWork:
    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        ids: IdGenerator,
        source: str | EventSource,
        wakeup: OutboxWakeup,
    ) -> None:
        self._session = session
        self._clock = clock
        self._ids = ids
        # A name (one context per process) or, embedded, the producing context's source.
        self._source_of = single_context(source) if isinstance(source, str) else source
        self._wakeup = wakeup
        self._pending: list[tuple[IntegrationEvent, str]] = []

    async def __aenter__(self) -> Self:
        self._pending = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Anything not committed explicitly is undone, events included.
        self._pending = []
        await self._session.rollback()

    def publish(self, event: IntegrationEvent, *, subject: str) -> None:
        self._pending.append((event, subject))

    async def first_delivery(self, consumer: str, event_id: str) -> bool:
        seen = await self._session.scalar(
            select(inbox.c.event_id).where(
                inbox.c.consumer == consumer, inbox.c.event_id == event_id
            )
        )
        if seen is not None:
            return False
        # The primary key settles a race between two deliveries: the loser's commit fails
        # and its retry then sees the row.
        await self._session.execute(
            insert(inbox).values(
                consumer=consumer, event_id=event_id, processed_at=self._clock.now()
            )
        )
        return True

    async def commit(self) -> None:
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
        had_events = bool(self._pending)
        self._pending = []
        if had_events:
            self._wakeup.notify()
