"""What the Payments use cases need from the outside: stores, Stripe, the users service.

Data crossing a port is a msgspec Struct (or a domain aggregate for the repositories).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, Protocol

import msgspec

from cmh.payments.domain.payment import Payment
from cmh.payments.domain.plans import Tier
from cmh.payments.domain.refund_saga import RefundSaga
from cmh.payments.domain.subscription import Subscription, SubscriptionStatus


class InvalidSignature(Exception):
    """A webhook whose ``Stripe-Signature`` is missing, wrong or too old."""


class StripeEvent(msgspec.Struct, frozen=True, kw_only=True):
    """A verified Stripe event: ``created`` is Stripe's stamp (epoch seconds), ``object``
    the ``data.object`` it carries, ``payload`` the raw body it came in."""

    id: str
    type: str
    created: int
    object: dict[str, Any]
    payload: bytes


class StoredEvent(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    type: str
    created: int
    payload: bytes
    received_at: datetime
    processed_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
    retry_at: datetime | None = None


class CheckoutRequest(msgspec.Struct, frozen=True, kw_only=True):
    customer_id: str
    user_id: str
    plan_id: str  # also the Stripe Price's lookup key
    mode: Literal["subscription", "payment"]
    quantity: int
    success_url: str
    cancel_url: str
    idempotency_key: str


class CheckoutSession(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    url: str


class WebhookVerifier(Protocol):
    def verify(self, payload: bytes, signature: str | None) -> StripeEvent:
        """The event ``payload`` holds when ``signature`` is Stripe's over it with the
        endpoint secret, made within the tolerance; else ``InvalidSignature``."""


class StripeGateway(Protocol):
    """Stripe's API. Every call carries an idempotency key: a retried call acts once."""

    async def create_customer(self, user_id: str, *, idempotency_key: str) -> str: ...

    async def checkout(self, request: CheckoutRequest) -> CheckoutSession: ...

    async def change_plan(
        self, subscription_id: str, plan_id: str, quantity: int, *, idempotency_key: str
    ) -> None:
        """Move the subscription to ``plan_id`` now, prorated."""

    async def cancel_at_period_end(
        self, subscription_id: str, cancel: bool, *, idempotency_key: str
    ) -> None:
        """``cancel``: stop at the period's end; False: resume (undo that)."""

    async def portal(self, customer_id: str, return_url: str, *, idempotency_key: str) -> str: ...

    async def refund(
        self, payment_ref: str, amount_cents: int, *, reason: str, idempotency_key: str
    ) -> str:
        """Refund ``amount_cents`` of a charge (``ch_``) or payment intent (``pi_``)."""

    async def erase_customer(self, customer_id: str, *, idempotency_key: str) -> None: ...


class StripeEventStore(Protocol):
    async def add(self, event: StoredEvent) -> bool:
        """Store ``event`` unless its id is stored already (then False)."""

    async def next_pending(self, now: datetime, max_attempts: int) -> StoredEvent | None:
        """The oldest unprocessed event due by ``now`` and tried fewer than
        ``max_attempts`` times, held by this transaction (another processor skips it)."""

    async def processed(self, event_id: str, at: datetime) -> None: ...

    async def failed(self, event_id: str, error: str, retry_at: datetime) -> None: ...

    async def unprocessed(self) -> list[StoredEvent]: ...

    async def get(self, event_id: str) -> StoredEvent | None: ...


class SubscriptionRepository(Protocol):
    async def get(self, subscription_id: str) -> Subscription | None: ...

    async def add(self, subscription: Subscription) -> None: ...

    async def save(self, subscription: Subscription) -> None: ...

    async def of_user(self, user_id: str) -> list[Subscription]:
        """Those the user pays for, newest first."""

    async def covering(self, user_id: str) -> list[Subscription]:
        """Those the user pays for or holds a seat of."""

    async def with_status(
        self, status: SubscriptionStatus | None, limit: int
    ) -> list[Subscription]: ...


class PaymentRepository(Protocol):
    async def get(self, payment_id: str) -> Payment | None: ...

    async def add(self, payment: Payment) -> None: ...

    async def save(self, payment: Payment) -> None: ...

    async def of_user(self, user_id: str) -> list[Payment]:
        """Newest first."""

    async def by_charge(self, charge_ref: str) -> Payment | None: ...

    async def refunded(self, limit: int) -> list[Payment]: ...


class CustomerRepository(Protocol):
    """Which Stripe customer is which learner: one each."""

    async def customer_of(self, user_id: str) -> str | None: ...

    async def user_of(self, customer_id: str) -> str | None: ...

    async def add(self, user_id: str, customer_id: str) -> None: ...

    async def forget(self, user_id: str) -> None: ...


class TierChange(msgspec.Struct, frozen=True, kw_only=True):
    user_id: str
    tier: Tier
    reason: str
    attempts: int = 0
    due_at: datetime | None = None


class TierChanges(Protocol):
    """The tier each learner should have, until users has it (a durable queue: a users
    outage delays a tier, never loses it)."""

    async def want(self, user_id: str, tier: Tier, reason: str) -> None:
        """Replaces what was wanted before for the user."""

    async def next_due(self, now: datetime) -> TierChange | None: ...

    async def done(self, change: TierChange) -> None:
        """Delivered; kept pending when something newer is wanted meanwhile."""

    async def postpone(self, change: TierChange, until: datetime) -> None: ...

    async def pending(self) -> list[TierChange]: ...


class UsersTiers(Protocol):
    """The users service's tier endpoint, as a platform service."""

    async def set_tier(self, user_id: str, tier: Tier, reason: str) -> None:
        """``DependencyUnavailable`` when users did not take it (try again later)."""


class RefundSagaRepository(Protocol):
    async def get(self, session_id: str) -> RefundSaga | None: ...

    async def add(self, saga: RefundSaga) -> bool:
        """False when a saga of this session exists already."""

    async def save(self, saga: RefundSaga) -> None: ...

    async def open(self, limit: int) -> list[RefundSaga]:
        """Unfinished sagas, oldest first."""

    async def newest(self, limit: int) -> list[RefundSaga]: ...


class HoursBack(msgspec.Struct, frozen=True, kw_only=True):
    """What labs gave back of a session: ``hours`` in all, of which ``pack_hours`` the
    session had taken from lab-hour packs (the rest came from the monthly allowance)."""

    hours: Decimal
    pack_hours: Decimal = Decimal(0)


class LabHours(Protocol):
    """Labs' ledger, through its port: give back what is left of a session's hours."""

    async def refund_session(self, session_id: str, reason: str) -> HoursBack:
        """The hours given back now (0 when none are left); ``DependencyUnavailable``
        when labs did not answer."""
