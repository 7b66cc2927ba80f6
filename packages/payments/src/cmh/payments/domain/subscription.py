"""A learner's (or a team owner's) subscription: a state machine driven by what Stripe
reports, tolerant of reports arriving late or twice.

Stripe is the source of truth for the status, but its webhooks come in any order and
more than once. Every change carries the time Stripe stamped on it (the event's
``created``, epoch seconds): a report older than the newest one applied is ignored, so an
old ``customer.subscription.updated`` never overwrites a newer state; a tie is settled by
the lifecycle's order (a report never moves the subscription back within one second).
``canceled`` and ``incomplete_expired`` are final: Stripe never revives them.

Dunning: a failed payment makes it ``past_due``; access is kept until ``grace_ends_at``;
``settle`` after that makes it ``unpaid`` (access lost) unless a payment came first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from cmh.kernel.domain_events import recorded_events
from cmh.payments.domain.errors import (
    NoSeatLeft,
    NotASeatHolder,
    SubscriptionNotChangeable,
)
from cmh.payments.domain.events import SeatsChanged, SubscriptionChanged
from cmh.payments.domain.plans import Plan, PlanKind, Tier


class SubscriptionStatus(StrEnum):
    INCOMPLETE = "incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired"
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"  # a payment failed: access kept through the grace period
    UNPAID = "unpaid"
    CANCELED = "canceled"


FINAL = frozenset({SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED})
# The lifecycle's order, used only to settle two reports stamped the same second.
RANK = {
    SubscriptionStatus.INCOMPLETE: 0,
    SubscriptionStatus.TRIALING: 1,
    SubscriptionStatus.ACTIVE: 2,
    SubscriptionStatus.PAST_DUE: 3,
    SubscriptionStatus.UNPAID: 4,
    SubscriptionStatus.CANCELED: 5,
    SubscriptionStatus.INCOMPLETE_EXPIRED: 5,
}
WITH_ACCESS = frozenset(
    {SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE}
)
DEFAULT_GRACE = timedelta(days=7)


@dataclass(frozen=True)
class StripeSubscriptionState:
    """What a ``customer.subscription.*`` event says of the subscription."""

    status: SubscriptionStatus
    plan_id: str
    seats: int
    cancel_at_period_end: bool
    current_period_end: datetime | None


@dataclass
class Subscription:
    id: str  # Stripe's subscription id
    user_id: str  # the learner who pays (a team's owner)
    customer_id: str
    plan_id: str
    plan_tier: Tier
    status: SubscriptionStatus
    seats: int
    created_at: datetime
    updated_at: datetime
    cancel_at_period_end: bool = False
    current_period_end: datetime | None = None
    grace_ends_at: datetime | None = None
    stripe_seen_at: int = 0  # Stripe's stamp of the newest report applied
    seat_holders: list[str] = field(default_factory=list)
    version: int = 0
    events: list[object] = recorded_events()

    @classmethod
    def started(
        cls,
        *,
        subscription_id: str,
        user_id: str,
        customer_id: str,
        plan: Plan,
        state: StripeSubscriptionState,
        stripe_at: int,
        now: datetime,
    ) -> Subscription:
        subscription = cls(
            id=subscription_id,
            user_id=user_id,
            customer_id=customer_id,
            plan_id=plan.id,
            plan_tier=plan.tier,
            status=SubscriptionStatus.INCOMPLETE,
            seats=state.seats,
            created_at=now,
            updated_at=now,
        )
        subscription.observe(state, plan, stripe_at=stripe_at, now=now)
        if not subscription.events:  # reported incomplete: still a change worth telling
            subscription._changed(SubscriptionStatus.INCOMPLETE, now)
        return subscription

    # -- what Stripe reports --------------------------------------------------------

    def observe(
        self, state: StripeSubscriptionState, plan: Plan, *, stripe_at: int, now: datetime
    ) -> bool:
        """Apply a ``customer.subscription.*`` report unless a newer one was applied;
        True when it changed something."""
        if not self._is_newer(stripe_at, state.status):
            return False
        previous = self.status
        before = (self.status, self.plan_id, self.seats, self.cancel_at_period_end)
        self.stripe_seen_at = stripe_at
        self.status = state.status
        self.plan_id, self.plan_tier = plan.id, plan.tier
        self.seats = state.seats
        self.cancel_at_period_end = state.cancel_at_period_end
        self.current_period_end = state.current_period_end
        if state.status is not SubscriptionStatus.PAST_DUE:
            self.grace_ends_at = None
        elif self.grace_ends_at is None:
            self.grace_ends_at = now + DEFAULT_GRACE
        if len(self.seat_holders) >= self.seats:  # seats reduced: the newest go first
            self.seat_holders = self.seat_holders[: max(self.seats - 1, 0)]
        if before == (self.status, self.plan_id, self.seats, self.cancel_at_period_end):
            return False
        self._changed(previous, now)
        return True

    def payment_failed(self, *, stripe_at: int, now: datetime, grace: timedelta) -> bool:
        """An invoice of this subscription could not be paid: past due, access kept
        until the grace period ends (counted from the first failure)."""
        if self.status not in WITH_ACCESS or not self._is_newer(
            stripe_at, SubscriptionStatus.PAST_DUE
        ):
            return False
        self.stripe_seen_at = stripe_at
        previous = self.status
        if self.grace_ends_at is None:
            self.grace_ends_at = now + grace
        if previous is SubscriptionStatus.PAST_DUE:
            return False
        self.status = SubscriptionStatus.PAST_DUE
        self._changed(previous, now)
        return True

    def payment_succeeded(self, *, stripe_at: int, now: datetime) -> bool:
        """An invoice was paid: a past-due, unpaid or incomplete subscription is active
        again."""
        recoverable = {
            SubscriptionStatus.PAST_DUE,
            SubscriptionStatus.UNPAID,
            SubscriptionStatus.INCOMPLETE,
        }
        if self.status not in recoverable or stripe_at < self.stripe_seen_at:
            return False
        self.stripe_seen_at = stripe_at
        previous = self.status
        self.status = SubscriptionStatus.ACTIVE
        self.grace_ends_at = None
        self._changed(previous, now)
        return True

    def ended(self, *, stripe_at: int, now: datetime) -> bool:
        """``customer.subscription.deleted``: final, whatever arrives after it."""
        if self.status in FINAL:
            return False
        previous = self.status
        self.stripe_seen_at = max(self.stripe_seen_at, stripe_at)
        self.status = SubscriptionStatus.CANCELED
        self.cancel_at_period_end = False
        self.grace_ends_at = None
        self._changed(previous, now)
        return True

    # -- what happens here -------------------------------------------------------------

    def settle(self, now: datetime) -> bool:
        """Past due beyond the grace period: unpaid, access lost."""
        if (
            self.status is not SubscriptionStatus.PAST_DUE
            or self.grace_ends_at is None
            or now < self.grace_ends_at
        ):
            return False
        self.status = SubscriptionStatus.UNPAID
        self._changed(SubscriptionStatus.PAST_DUE, now)
        return True

    def schedule_cancel(self, cancel: bool, now: datetime) -> bool:
        """The learner asked to stop at the period's end (or to resume): told now; Stripe's
        report of the same confirms it later."""
        self.ensure_changeable()
        if self.cancel_at_period_end == cancel:
            return False
        self.cancel_at_period_end = cancel
        self._changed(self.status, now)
        return True

    def ensure_changeable(self) -> None:
        if self.status in FINAL or self.status is SubscriptionStatus.INCOMPLETE:
            raise SubscriptionNotChangeable(
                f"a subscription that is {self.status} cannot be changed"
            )

    def assign_seat(self, member_id: str, now: datetime) -> None:
        """Give a member of the owner's team one of the seats bought (the owner holds
        one)."""
        self.ensure_changeable()
        if member_id == self.user_id or member_id in self.seat_holders:
            return
        if self.plan_tier is not Tier.TEAM:
            raise NoSeatLeft("only a team subscription has seats to give")
        if len(self.seat_holders) + 1 >= self.seats:
            raise NoSeatLeft(f"all {self.seats} seats are taken")
        self.seat_holders.append(member_id)
        self.updated_at = now
        self.events.append(SeatsChanged(self.id, member_id, assigned=True, at=now))

    def release_seat(self, member_id: str, now: datetime) -> None:
        if member_id not in self.seat_holders:
            raise NotASeatHolder(f"{member_id} holds no seat of this subscription")
        self.seat_holders.remove(member_id)
        self.updated_at = now
        self.events.append(SeatsChanged(self.id, member_id, assigned=False, at=now))

    # -- what it gives -------------------------------------------------------------------

    def has_access(self, now: datetime) -> bool:
        if self.status is SubscriptionStatus.PAST_DUE:
            return self.grace_ends_at is None or now < self.grace_ends_at
        return self.status in WITH_ACCESS

    def tier(self, now: datetime) -> Tier:
        return self.plan_tier if self.has_access(now) else Tier.FREE

    def tiers(self, now: datetime) -> dict[str, Tier]:
        """The tier this subscription gives each account it covers: its owner and, on a
        team plan, the seat holders."""
        tier = self.tier(now)
        return {self.user_id: tier, **dict.fromkeys(self.seat_holders, tier)}

    @property
    def in_grace(self) -> bool:
        return self.status is SubscriptionStatus.PAST_DUE

    def _is_newer(self, stripe_at: int, status: SubscriptionStatus) -> bool:
        if self.status in FINAL:
            return False
        if stripe_at != self.stripe_seen_at:
            return stripe_at > self.stripe_seen_at
        return RANK[status] >= RANK[self.status]

    def _changed(self, previous: SubscriptionStatus, now: datetime) -> None:
        self.updated_at = now
        self.events.append(
            SubscriptionChanged(
                subscription_id=self.id,
                user_id=self.user_id,
                plan_id=self.plan_id,
                previous_status=previous.value,
                status=self.status.value,
                tier=self.tier(now).value,
                seats=self.seats,
                cancel_at_period_end=self.cancel_at_period_end,
                current_period_end=self.current_period_end,
                at=now,
            )
        )


def is_seat_plan(plan: Plan) -> bool:
    return plan.kind is PlanKind.SEATS


TIER_RANK = {Tier.FREE: 0, Tier.PRO: 1, Tier.TEAM: 2}


def best_tier(subscriptions: list[Subscription], user_id: str, now: datetime) -> Tier:
    """The highest tier any of ``subscriptions`` gives ``user_id`` (free when none)."""
    tiers = [s.tiers(now).get(user_id, Tier.FREE) for s in subscriptions]
    return max(tiers, key=TIER_RANK.__getitem__, default=Tier.FREE)
