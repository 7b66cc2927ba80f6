"""In-memory stores that keep state like the database does: copies in and out, writes
staged in the unit of work's transaction (``MemoryTable``), kept only when it commits.
Saved aggregates are handed to the unit of work, so what they recorded leaves with the
commit."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import TypeVar

import msgspec

from cmh.kernel.errors import Conflict
from cmh.kernel.memory_table import MemoryTable
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.payments.application.ports import StoredEvent, TierChange
from cmh.payments.domain.payment import Payment
from cmh.payments.domain.plans import Tier
from cmh.payments.domain.refund_saga import RefundSaga
from cmh.payments.domain.subscription import Subscription, SubscriptionStatus

A = TypeVar("A", Subscription, Payment)


def _stored(aggregate: A) -> A:
    kept = copy.deepcopy(aggregate)
    kept.events.clear()
    return kept


class _Aggregates:
    def __init__(self, uow: InMemoryUnitOfWork, kind: str) -> None:
        self._uow = uow
        self._kind = kind
        self._table: MemoryTable[str, Subscription | Payment] = MemoryTable(uow)

    async def _get(self, key: str) -> Subscription | Payment | None:
        found = self._table.get(key)
        return copy.deepcopy(found) if found is not None else None

    async def _add(self, aggregate: A) -> None:
        if aggregate.id in self._table:
            raise Conflict(f"{self._kind} {aggregate.id} exists", code="concurrent_update")
        self._uow.track(aggregate)
        aggregate.version = 1
        self._table.put(aggregate.id, _stored(aggregate))

    async def _save(self, aggregate: A) -> None:
        stored = self._table.get(aggregate.id)
        if stored is None or stored.version != aggregate.version:
            raise Conflict(
                f"{self._kind} {aggregate.id} changed meanwhile", code="concurrent_update"
            )
        self._uow.track(aggregate)
        aggregate.version += 1
        self._table.put(aggregate.id, _stored(aggregate))


class MemorySubscriptionRepository(_Aggregates):
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(uow, "subscription")

    def _all(self) -> list[Subscription]:
        return [copy.deepcopy(s) for s in self._table.values() if isinstance(s, Subscription)]

    async def get(self, subscription_id: str) -> Subscription | None:
        found = await self._get(subscription_id)
        return found if isinstance(found, Subscription) else None

    async def add(self, subscription: Subscription) -> None:
        await self._add(subscription)

    async def save(self, subscription: Subscription) -> None:
        await self._save(subscription)

    async def of_user(self, user_id: str) -> list[Subscription]:
        found = [s for s in self._all() if s.user_id == user_id]
        return sorted(found, key=lambda s: (s.created_at, s.id), reverse=True)

    async def covering(self, user_id: str) -> list[Subscription]:
        return [s for s in self._all() if s.user_id == user_id or user_id in s.seat_holders]

    async def with_status(
        self, status: SubscriptionStatus | None, limit: int
    ) -> list[Subscription]:
        found = [s for s in self._all() if status is None or s.status is status]
        return sorted(found, key=lambda s: (s.updated_at, s.id), reverse=True)[:limit]


class MemoryPaymentRepository(_Aggregates):
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        super().__init__(uow, "payment")

    def _all(self) -> list[Payment]:
        return [copy.deepcopy(p) for p in self._table.values() if isinstance(p, Payment)]

    async def get(self, payment_id: str) -> Payment | None:
        found = await self._get(payment_id)
        return found if isinstance(found, Payment) else None

    async def add(self, payment: Payment) -> None:
        await self._add(payment)

    async def save(self, payment: Payment) -> None:
        await self._save(payment)

    async def of_user(self, user_id: str) -> list[Payment]:
        found = [p for p in self._all() if p.user_id == user_id]
        return sorted(found, key=lambda p: (p.created_at, p.id), reverse=True)

    async def by_charge(self, charge_ref: str) -> Payment | None:
        return next((p for p in self._all() if p.charge_id == charge_ref), None)

    async def refunded(self, limit: int) -> list[Payment]:
        found = [p for p in self._all() if p.refunds]
        return sorted(found, key=lambda p: (p.created_at, p.id), reverse=True)[:limit]


class MemoryCustomerRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, str] = MemoryTable(uow)

    async def customer_of(self, user_id: str) -> str | None:
        return self._table.get(user_id)

    async def user_of(self, customer_id: str) -> str | None:
        return next((u for u, c in self._table.items() if c == customer_id), None)

    async def add(self, user_id: str, customer_id: str) -> None:
        if user_id in self._table:
            raise Conflict(f"user {user_id} has a customer", code="concurrent_update")
        self._table.put(user_id, customer_id)

    async def forget(self, user_id: str) -> None:
        self._table.delete(user_id)


class MemoryStripeEventStore:
    """Events by id: a second ``add`` of an id, committed or staged, is refused."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, StoredEvent] = MemoryTable(uow)

    @property
    def rows(self) -> dict[str, StoredEvent]:
        return self._table.committed

    async def add(self, event: StoredEvent) -> bool:
        if event.id in self._table:
            return False
        self._table.put(event.id, event)
        return True

    async def next_pending(self, now: datetime, max_attempts: int) -> StoredEvent | None:
        due = [
            e
            for e in self._table.values()
            if e.processed_at is None
            and e.attempts < max_attempts
            and (e.retry_at is None or e.retry_at <= now)
        ]
        return min(due, key=lambda e: (e.created, e.received_at), default=None)

    async def processed(self, event_id: str, at: datetime) -> None:
        self._update(event_id, processed_at=at)

    async def failed(self, event_id: str, error: str, retry_at: datetime) -> None:
        found = self._table.get(event_id)
        if found is not None:
            self._update(event_id, attempts=found.attempts + 1, last_error=error, retry_at=retry_at)

    async def get(self, event_id: str) -> StoredEvent | None:
        return self._table.get(event_id)

    async def unprocessed(self) -> list[StoredEvent]:
        return [e for e in self._table.values() if e.processed_at is None]

    def _update(self, event_id: str, **changes: object) -> None:
        found = self._table.get(event_id)
        if found is not None:
            self._table.put(event_id, msgspec.structs.replace(found, **changes))


class MemoryTierChanges:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, TierChange] = MemoryTable(uow)

    async def want(self, user_id: str, tier: Tier, reason: str) -> None:
        self._table.put(user_id, TierChange(user_id=user_id, tier=tier, reason=reason))

    async def next_due(self, now: datetime) -> TierChange | None:
        due = [c for c in self._table.values() if c.due_at is None or c.due_at <= now]
        return due[0] if due else None

    async def done(self, change: TierChange) -> None:
        if self._table.get(change.user_id) == change:
            self._table.delete(change.user_id)

    async def postpone(self, change: TierChange, until: datetime) -> None:
        if self._table.get(change.user_id) == change:
            self._table.put(
                change.user_id,
                msgspec.structs.replace(change, attempts=change.attempts + 1, due_at=until),
            )

    async def pending(self) -> list[TierChange]:
        return self._table.values()


class MemoryRefundSagaRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, RefundSaga] = MemoryTable(uow)

    async def get(self, session_id: str) -> RefundSaga | None:
        found = self._table.get(session_id)
        return copy.deepcopy(found) if found is not None else None

    async def add(self, saga: RefundSaga) -> bool:
        if saga.session_id in self._table:
            return False
        saga.version = 1
        self._table.put(saga.session_id, copy.deepcopy(saga))
        return True

    async def save(self, saga: RefundSaga) -> None:
        stored = self._table.get(saga.session_id)
        if stored is None or stored.version != saga.version:
            raise Conflict(
                f"refund saga {saga.session_id} changed meanwhile", code="concurrent_update"
            )
        saga.version += 1
        self._table.put(saga.session_id, copy.deepcopy(saga))

    async def open(self, limit: int) -> list[RefundSaga]:
        found = [copy.deepcopy(s) for s in self._table.values() if s.open]
        return sorted(found, key=lambda s: s.created_at)[:limit]

    async def newest(self, limit: int) -> list[RefundSaga]:
        found = [copy.deepcopy(s) for s in self._table.values()]
        return sorted(found, key=lambda s: s.updated_at, reverse=True)[:limit]
