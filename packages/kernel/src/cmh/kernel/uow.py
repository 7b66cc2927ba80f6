"""The unit of work port: one transaction for a use case's state change, its outgoing
events (the outbox) and, for consumers, the record that an event was handled (the inbox).
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from cmh.contracts.events.base import Envelope, IntegrationEvent


class UnitOfWork(Protocol):
    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None:
        """Make the state change and the recorded events durable together."""

    def publish(self, event: IntegrationEvent, *, subject: str) -> None:
        """Record ``event`` about aggregate ``subject``; it leaves only if the commit does."""

    async def first_delivery(self, consumer: str, event_id: str) -> bool:
        """Claim ``event_id`` for ``consumer``; False when it was already handled."""


class InMemoryUnitOfWork:
    """The fake used by use-case tests: keeps what a real commit would have kept."""

    def __init__(self, source: str = "test") -> None:
        self.source = source
        self.committed: list[IntegrationEvent] = []
        self.commits = 0
        self._pending: list[IntegrationEvent] = []
        self._handled: set[tuple[str, str]] = set()
        self._claimed: set[tuple[str, str]] = set()

    async def __aenter__(self) -> Self:
        self._pending = []
        self._claimed = set()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pending = []
        self._claimed = set()

    async def commit(self) -> None:
        self.committed.extend(self._pending)
        self._handled |= self._claimed
        self._pending = []
        self._claimed = set()
        self.commits += 1

    def publish(self, event: IntegrationEvent, *, subject: str) -> None:
        self._pending.append(event)

    async def first_delivery(self, consumer: str, event_id: str) -> bool:
        key = (consumer, event_id)
        if key in self._handled or key in self._claimed:
            return False
        self._claimed.add(key)
        return True

    def events_of(self, kind: type[IntegrationEvent]) -> list[IntegrationEvent]:
        return [e for e in self.committed if isinstance(e, kind)]


__all__ = ["Envelope", "InMemoryUnitOfWork", "UnitOfWork"]
