"""Payments' stores as rows, on the request's session (the unit of work's transaction).
Saved aggregates are handed to the unit of work so what they recorded leaves with the
commit; a version column refuses a write over a change made meanwhile."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, delete, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.kernel.errors import Conflict
from cmh.kernel.uow import UnitOfWork
from cmh.payments.adapters.sql.tables import (
    customers,
    payments,
    refund_sagas,
    seats,
    stripe_events,
    subscriptions,
    tier_changes,
)
from cmh.payments.application.ports import StoredEvent, TierChange
from cmh.payments.domain.payment import Payment, PaymentKind, PaymentStatus, Refund
from cmh.payments.domain.plans import Tier
from cmh.payments.domain.refund_saga import RefundSaga, SagaStatus
from cmh.payments.domain.subscription import Subscription, SubscriptionStatus


def _insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT that skips a row whose key exists (PostgreSQL and SQLite alike)."""
    dialect = session.get_bind().dialect.name
    builder = pg_insert if dialect == "postgresql" else sqlite_insert
    return builder(table).on_conflict_do_nothing()


def _subscription_values(s: Subscription) -> dict[str, Any]:
    return {
        "user_id": s.user_id,
        "customer_id": s.customer_id,
        "plan_id": s.plan_id,
        "plan_tier": s.plan_tier.value,
        "status": s.status.value,
        "seats": s.seats,
        "cancel_at_period_end": s.cancel_at_period_end,
        "current_period_end": s.current_period_end,
        "grace_ends_at": s.grace_ends_at,
        "stripe_seen_at": s.stripe_seen_at,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
    }


class SqlSubscriptionRepository:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow

    async def get(self, subscription_id: str) -> Subscription | None:
        found = await self._select(subscriptions.c.id == subscription_id)
        return found[0] if found else None

    async def add(self, subscription: Subscription) -> None:
        self._uow.track(subscription)
        try:
            await self._session.execute(
                insert(subscriptions).values(
                    id=subscription.id, version=1, **_subscription_values(subscription)
                )
            )
        except IntegrityError as exc:
            raise Conflict(
                "subscription stored meanwhile; retry", code="concurrent_update"
            ) from exc
        subscription.version = 1
        await self._write_seats(subscription)

    async def save(self, subscription: Subscription) -> None:
        self._uow.track(subscription)
        result = await self._session.execute(
            update(subscriptions)
            .where(
                subscriptions.c.id == subscription.id,
                subscriptions.c.version == subscription.version,
            )
            .values(version=subscription.version + 1, **_subscription_values(subscription))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("subscription changed meanwhile; retry", code="concurrent_update")
        subscription.version += 1
        await self._write_seats(subscription)

    async def of_user(self, user_id: str) -> list[Subscription]:
        found = await self._select(subscriptions.c.user_id == user_id)
        return sorted(found, key=lambda s: (s.created_at, s.id), reverse=True)

    async def covering(self, user_id: str) -> list[Subscription]:
        held = select(seats.c.subscription_id).where(seats.c.member_id == user_id)
        return await self._select(
            or_(subscriptions.c.user_id == user_id, subscriptions.c.id.in_(held))
        )

    async def with_status(
        self, status: SubscriptionStatus | None, limit: int
    ) -> list[Subscription]:
        condition = subscriptions.c.status == status.value if status else None
        found = await self._select(condition, limit=limit)
        return found

    async def _select(self, condition: Any, limit: int | None = None) -> list[Subscription]:
        query = select(subscriptions).order_by(
            subscriptions.c.updated_at.desc(), subscriptions.c.id
        )
        if condition is not None:
            query = query.where(condition)
        if limit is not None:
            query = query.limit(limit)
        rows = (await self._session.execute(query)).all()
        if not rows:
            return []
        held = (
            await self._session.execute(
                select(seats)
                .where(seats.c.subscription_id.in_([r.id for r in rows]))
                .order_by(seats.c.position)
            )
        ).all()
        holders: dict[str, list[str]] = {}
        for seat in held:
            holders.setdefault(seat.subscription_id, []).append(seat.member_id)
        return [_subscription(row, holders.get(row.id, [])) for row in rows]

    async def _write_seats(self, subscription: Subscription) -> None:
        await self._session.execute(delete(seats).where(seats.c.subscription_id == subscription.id))
        if subscription.seat_holders:
            await self._session.execute(
                insert(seats),
                [
                    {"subscription_id": subscription.id, "member_id": member, "position": i}
                    for i, member in enumerate(subscription.seat_holders)
                ],
            )


def _subscription(row: Row[Any], holders: list[str]) -> Subscription:
    return Subscription(
        id=row.id,
        user_id=row.user_id,
        customer_id=row.customer_id,
        plan_id=row.plan_id,
        plan_tier=Tier(row.plan_tier),
        status=SubscriptionStatus(row.status),
        seats=row.seats,
        created_at=row.created_at,
        updated_at=row.updated_at,
        cancel_at_period_end=row.cancel_at_period_end,
        current_period_end=row.current_period_end,
        grace_ends_at=row.grace_ends_at,
        stripe_seen_at=row.stripe_seen_at,
        seat_holders=holders,
        version=row.version,
    )


def _payment_values(p: Payment) -> dict[str, Any]:
    return {
        "user_id": p.user_id,
        "plan_id": p.plan_id,
        "kind": p.kind.value,
        "amount_cents": p.amount_cents,
        "currency": p.currency,
        "status": p.status.value,
        "created_at": p.created_at,
        "subscription_id": p.subscription_id,
        "charge_id": p.charge_id,
        "paid_at": p.paid_at,
        "failed_attempts": p.failed_attempts,
        "lab_hours": p.lab_hours,
        "refunds": [
            {"id": r.id, "amount_cents": r.amount_cents, "reason": r.reason, "at": r.at.isoformat()}
            for r in p.refunds
        ],
    }


def _payment(row: Row[Any]) -> Payment:
    return Payment(
        id=row.id,
        user_id=row.user_id,
        plan_id=row.plan_id,
        kind=PaymentKind(row.kind),
        amount_cents=row.amount_cents,
        currency=row.currency,
        status=PaymentStatus(row.status),
        created_at=row.created_at,
        subscription_id=row.subscription_id,
        charge_id=row.charge_id,
        paid_at=row.paid_at,
        failed_attempts=row.failed_attempts,
        lab_hours=row.lab_hours,
        refunds=[
            Refund(r["id"], r["amount_cents"], r["reason"], datetime.fromisoformat(r["at"]))
            for r in row.refunds
        ],
        version=row.version,
    )


class SqlPaymentRepository:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow

    async def get(self, payment_id: str) -> Payment | None:
        row = (
            await self._session.execute(select(payments).where(payments.c.id == payment_id))
        ).first()
        return _payment(row) if row else None

    async def add(self, payment: Payment) -> None:
        self._uow.track(payment)
        try:
            await self._session.execute(
                insert(payments).values(id=payment.id, version=1, **_payment_values(payment))
            )
        except IntegrityError as exc:
            raise Conflict("payment stored meanwhile; retry", code="concurrent_update") from exc
        payment.version = 1

    async def save(self, payment: Payment) -> None:
        self._uow.track(payment)
        result = await self._session.execute(
            update(payments)
            .where(payments.c.id == payment.id, payments.c.version == payment.version)
            .values(version=payment.version + 1, **_payment_values(payment))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("payment changed meanwhile; retry", code="concurrent_update")
        payment.version += 1

    async def of_user(self, user_id: str) -> list[Payment]:
        rows = (
            await self._session.execute(
                select(payments)
                .where(payments.c.user_id == user_id)
                .order_by(payments.c.created_at.desc(), payments.c.id.desc())
            )
        ).all()
        return [_payment(row) for row in rows]

    async def by_charge(self, charge_ref: str) -> Payment | None:
        row = (
            await self._session.execute(select(payments).where(payments.c.charge_id == charge_ref))
        ).first()
        return _payment(row) if row else None

    async def refunded(self, limit: int) -> list[Payment]:
        rows = (
            await self._session.execute(
                select(payments)
                .where(payments.c.status.in_(["refunded", "partially_refunded"]))
                .order_by(payments.c.created_at.desc())
                .limit(limit)
            )
        ).all()
        return [_payment(row) for row in rows]


class SqlCustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def customer_of(self, user_id: str) -> str | None:
        found = await self._session.scalar(
            select(customers.c.customer_id).where(customers.c.user_id == user_id)
        )
        return str(found) if found else None

    async def user_of(self, customer_id: str) -> str | None:
        found = await self._session.scalar(
            select(customers.c.user_id).where(customers.c.customer_id == customer_id)
        )
        return str(found) if found else None

    async def add(self, user_id: str, customer_id: str) -> None:
        try:
            await self._session.execute(
                insert(customers).values(user_id=user_id, customer_id=customer_id)
            )
        except IntegrityError as exc:
            raise Conflict("customer stored meanwhile; retry", code="concurrent_update") from exc

    async def forget(self, user_id: str) -> None:
        await self._session.execute(delete(customers).where(customers.c.user_id == user_id))


def _event(row: Row[Any]) -> StoredEvent:
    return StoredEvent(
        id=row.id,
        type=row.type,
        created=row.created,
        payload=bytes(row.payload),
        received_at=row.received_at,
        processed_at=row.processed_at,
        attempts=row.attempts,
        last_error=row.last_error,
        retry_at=row.retry_at,
    )


class SqlStripeEventStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, event: StoredEvent) -> bool:
        result = await self._session.execute(
            _insert(self._session, stripe_events).values(
                id=event.id,
                type=event.type,
                created=event.created,
                payload=event.payload,
                received_at=event.received_at,
                attempts=0,
            )
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def next_pending(self, now: datetime, max_attempts: int) -> StoredEvent | None:
        query = (
            select(stripe_events)
            .where(
                stripe_events.c.processed_at.is_(None),
                stripe_events.c.attempts < max_attempts,
                or_(stripe_events.c.retry_at.is_(None), stripe_events.c.retry_at <= now),
            )
            .order_by(stripe_events.c.created, stripe_events.c.received_at)
            .limit(1)
            # PostgreSQL: another processor skips the row this one holds (SQLite has one
            # writer anyway and ignores the clause).
            .with_for_update(skip_locked=True)
        )
        row = (await self._session.execute(query)).first()
        return _event(row) if row else None

    async def processed(self, event_id: str, at: datetime) -> None:
        await self._session.execute(
            update(stripe_events).where(stripe_events.c.id == event_id).values(processed_at=at)
        )

    async def failed(self, event_id: str, error: str, retry_at: datetime) -> None:
        await self._session.execute(
            update(stripe_events)
            .where(stripe_events.c.id == event_id)
            .values(attempts=stripe_events.c.attempts + 1, last_error=error, retry_at=retry_at)
        )

    async def get(self, event_id: str) -> StoredEvent | None:
        row = (
            await self._session.execute(select(stripe_events).where(stripe_events.c.id == event_id))
        ).first()
        return _event(row) if row else None

    async def unprocessed(self) -> list[StoredEvent]:
        rows = (
            await self._session.execute(
                select(stripe_events).where(stripe_events.c.processed_at.is_(None))
            )
        ).all()
        return [_event(row) for row in rows]


def _change(row: Row[Any]) -> TierChange:
    return TierChange(
        user_id=row.user_id,
        tier=Tier(row.tier),
        reason=row.reason,
        attempts=row.attempts,
        due_at=row.due_at,
    )


class SqlTierChanges:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def want(self, user_id: str, tier: Tier, reason: str) -> None:
        await self._session.execute(delete(tier_changes).where(tier_changes.c.user_id == user_id))
        await self._session.execute(
            insert(tier_changes).values(
                user_id=user_id, tier=tier.value, reason=reason[:200], attempts=0, due_at=None
            )
        )

    async def next_due(self, now: datetime) -> TierChange | None:
        row = (
            await self._session.execute(
                select(tier_changes)
                .where(or_(tier_changes.c.due_at.is_(None), tier_changes.c.due_at <= now))
                .order_by(tier_changes.c.attempts, tier_changes.c.user_id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
        ).first()
        return _change(row) if row else None

    async def done(self, change: TierChange) -> None:
        await self._session.execute(delete(tier_changes).where(*self._same(change)))

    async def postpone(self, change: TierChange, until: datetime) -> None:
        await self._session.execute(
            update(tier_changes)
            .where(*self._same(change))
            .values(attempts=change.attempts + 1, due_at=until)
        )

    async def pending(self) -> list[TierChange]:
        rows = (await self._session.execute(select(tier_changes))).all()
        return [_change(row) for row in rows]

    @staticmethod
    def _same(change: TierChange) -> list[Any]:
        return [
            tier_changes.c.user_id == change.user_id,
            tier_changes.c.tier == change.tier.value,
            tier_changes.c.attempts == change.attempts,
        ]


def _saga_values(saga: RefundSaga) -> dict[str, Any]:
    return {
        "user_id": saga.user_id,
        "status": saga.status.value,
        "hours_restored": str(saga.hours_restored) if saga.hours_restored is not None else None,
        "payment_id": saga.payment_id,
        "refund_cents": saga.refund_cents,
        "refund_id": saga.refund_id,
        "attempts": saga.attempts,
        "last_error": saga.last_error,
        "created_at": saga.created_at,
        "updated_at": saga.updated_at,
    }


def _saga(row: Row[Any]) -> RefundSaga:
    return RefundSaga(
        session_id=row.session_id,
        user_id=row.user_id,
        status=SagaStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        hours_restored=Decimal(row.hours_restored) if row.hours_restored is not None else None,
        payment_id=row.payment_id,
        refund_cents=row.refund_cents,
        refund_id=row.refund_id,
        attempts=row.attempts,
        last_error=row.last_error,
        version=row.version,
    )


class SqlRefundSagaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, session_id: str) -> RefundSaga | None:
        row = (
            await self._session.execute(
                select(refund_sagas).where(refund_sagas.c.session_id == session_id)
            )
        ).first()
        return _saga(row) if row else None

    async def add(self, saga: RefundSaga) -> bool:
        result = await self._session.execute(
            _insert(self._session, refund_sagas).values(
                session_id=saga.session_id, version=1, **_saga_values(saga)
            )
        )
        saga.version = 1
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def save(self, saga: RefundSaga) -> None:
        result = await self._session.execute(
            update(refund_sagas)
            .where(
                refund_sagas.c.session_id == saga.session_id,
                refund_sagas.c.version == saga.version,
            )
            .values(version=saga.version + 1, **_saga_values(saga))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("refund saga changed meanwhile; retry", code="concurrent_update")
        saga.version += 1

    async def open(self, limit: int) -> list[RefundSaga]:
        rows = (
            await self._session.execute(
                select(refund_sagas)
                .where(refund_sagas.c.status != SagaStatus.COMPLETED.value)
                .order_by(refund_sagas.c.created_at)
                .limit(limit)
            )
        ).all()
        return [_saga(row) for row in rows]

    async def newest(self, limit: int) -> list[RefundSaga]:
        rows = (
            await self._session.execute(
                select(refund_sagas).order_by(refund_sagas.c.updated_at.desc()).limit(limit)
            )
        ).all()
        return [_saga(row) for row in rows]
