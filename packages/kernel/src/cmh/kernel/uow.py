"""The unit of work port: one transaction for a use case's state change, its outgoing
events (the outbox) and, for consumers, the record that an event was handled (the inbox).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from types import MappingProxyType, TracebackType
from typing import Any, Protocol, Self

from cmh.contracts.events.base import Envelope, IntegrationEvent
from cmh.kernel.domain_events import RecordsEvents
from cmh.kernel.event_mapping import EventMap, collect


class UnitOfWork(Protocol):
    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None:
        """Make the state change and the recorded events durable together. Inside a unit
        of work opened by someone else (the kernel's consumer runner), entering joins it and
        ``commit`` leaves the decision to the outer one."""

    def track(self, aggregate: RecordsEvents) -> None:
        """Collect the domain events ``aggregate`` records (repositories call it on add and
        save); at commit the context's ``EventMap`` turns them into ``contracts`` events
        for the outbox, in the same transaction."""

    def publish(self, event: IntegrationEvent, *, subject: str) -> None:
        """Record ``event`` about aggregate ``subject``; it leaves only if the commit does."""

    async def first_delivery(self, consumer: str, event_id: str) -> bool:
        """Claim ``event_id`` for ``consumer``; False when it was already handled."""


class StagedTable(Protocol):
    """What an in-memory store gives the unit of work to apply at commit (``MemoryTable``)."""

    def apply(self, writes: Mapping[Any, Any]) -> None: ...


class _Transaction:
    __slots__ = ("after", "claims", "events", "nested", "tracked", "writes")

    def __init__(self, nested: int = 0) -> None:
        self.nested = nested  # use cases joined into this transaction (the consumer runner's)
        self.tracked: dict[int, RecordsEvents] = {}
        self.events: list[IntegrationEvent] = []
        self.claims: set[tuple[str, str]] = set()
        self.writes: dict[StagedTable, dict[Any, Any]] = {}
        self.after: list[Callable[[], Awaitable[None]]] = []


# Per task, like a database connection: concurrent requests sharing one fake never see
# each other's pending writes.
_NONE_OPEN: Mapping[InMemoryUnitOfWork, _Transaction] = MappingProxyType({})
_open: ContextVar[Mapping[InMemoryUnitOfWork, _Transaction]] = ContextVar(
    "open_memory_transactions", default=_NONE_OPEN
)


class InMemoryUnitOfWork:
    """The fake used by use-case tests, transactional like a database: the events, inbox
    claims and ``MemoryTable`` writes of a transaction are staged until ``commit``, read
    back by that transaction, and dropped when it ends without one (an exception, or a
    use case that forgot to commit). ``committed`` and ``commits`` show what a real commit
    would have kept."""

    def __init__(self, source: str = "test", events: EventMap | None = None) -> None:
        self.source = source
        self._events = events or EventMap()
        self.committed: list[IntegrationEvent] = []
        self.commits = 0
        self._handled: set[tuple[str, str]] = set()

    async def __aenter__(self) -> Self:
        transaction = self._transaction()
        if transaction is not None:
            transaction.nested += 1  # joins the open transaction, as a SQL session would
            return self
        _open.set({**_open.get(), self: _Transaction()})
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        transaction = self._transaction()
        if transaction is not None and transaction.nested:
            transaction.nested -= 1  # the outer unit decides
            return
        # Whatever was not committed is undone, as a database rolls back at the end.
        _open.set({uow: t for uow, t in _open.get().items() if uow is not self})

    async def commit(self) -> None:
        done = self._required()
        if done.nested:
            return  # joined: the outer unit commits everything together
        done.events.extend(collect(done.tracked.values(), self._events))
        for table, writes in done.writes.items():
            table.apply(writes)
        self.committed.extend(done.events)
        self._handled |= done.claims
        self.commits += 1
        # The transaction goes on (as a SQL session's does) with nothing pending.
        _open.set({**_open.get(), self: _Transaction(done.nested)})
        for action in done.after:
            await action()

    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run ``action`` once the outermost transaction commits (never if it does not)."""
        self._required().after.append(action)

    def track(self, aggregate: RecordsEvents) -> None:
        self._required().tracked[id(aggregate)] = aggregate

    def publish(self, event: IntegrationEvent, *, subject: str) -> None:
        self._required().events.append(event)

    async def first_delivery(self, consumer: str, event_id: str) -> bool:
        claims = self._required().claims
        key = (consumer, event_id)
        if key in self._handled or key in claims:
            return False
        claims.add(key)
        return True

    def staged(self, table: StagedTable) -> dict[Any, Any] | None:
        """The writes to ``table`` pending in this task's transaction (None outside one)."""
        transaction = self._transaction()
        if transaction is None:
            return None
        return transaction.writes.setdefault(table, {})

    def events_of(self, kind: type[IntegrationEvent]) -> list[IntegrationEvent]:
        return [e for e in self.committed if isinstance(e, kind)]

    def _transaction(self) -> _Transaction | None:
        return _open.get().get(self)

    def _required(self) -> _Transaction:
        transaction = self._transaction()
        if transaction is None:
            raise RuntimeError(
                "used outside `async with uow:`: a real store would never commit this"
            )
        return transaction


__all__ = ["Envelope", "InMemoryUnitOfWork", "StagedTable", "UnitOfWork"]
