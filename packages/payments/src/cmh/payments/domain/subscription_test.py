from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmh.payments.domain.errors import NoSeatLeft, SubscriptionNotChangeable
from cmh.payments.domain.events import SubscriptionChanged
from cmh.payments.domain.plans import PRO_MONTHLY, TEAM_MONTHLY, Plan, Tier
from cmh.payments.domain.subscription import (
    DEFAULT_GRACE,
    StripeSubscriptionState,
    Subscription,
    SubscriptionStatus,
)

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
S = SubscriptionStatus


def state(
    status: SubscriptionStatus, *, seats: int = 1, cancel: bool = False
) -> StripeSubscriptionState:
    return StripeSubscriptionState(
        status=status,
        plan_id=PRO_MONTHLY.id,
        seats=seats,
        cancel_at_period_end=cancel,
        current_period_end=NOW + timedelta(days=30),
    )


def started(
    status: SubscriptionStatus = S.ACTIVE, plan: Plan = PRO_MONTHLY, seats: int = 1
) -> Subscription:
    return Subscription.started(
        subscription_id="sub_1",
        user_id="u1",
        customer_id="cus_1",
        plan=plan,
        state=state(status, seats=seats),
        stripe_at=100,
        now=NOW,
    )


def test_an_active_subscription_gives_its_plan_tier_and_tells_the_change() -> None:
    subscription = started()
    assert subscription.tier(NOW) is Tier.PRO
    changed = subscription.events[-1]
    assert isinstance(changed, SubscriptionChanged)
    assert (changed.previous_status, changed.status, changed.tier) == (
        "incomplete",
        "active",
        "pro",
    )


def test_an_older_update_never_overwrites_a_newer_state() -> None:
    subscription = started()
    assert subscription.observe(state(S.CANCELED), PRO_MONTHLY, stripe_at=300, now=NOW)
    assert not subscription.observe(state(S.ACTIVE), PRO_MONTHLY, stripe_at=200, now=NOW)
    assert subscription.status is S.CANCELED
    assert subscription.tier(NOW) is Tier.FREE


def test_a_tie_in_the_same_second_never_moves_the_lifecycle_back() -> None:
    subscription = started(S.INCOMPLETE)
    assert subscription.observe(state(S.ACTIVE), PRO_MONTHLY, stripe_at=100, now=NOW)
    assert not subscription.observe(state(S.INCOMPLETE), PRO_MONTHLY, stripe_at=100, now=NOW)
    assert subscription.status is S.ACTIVE


def test_a_failed_payment_keeps_access_through_the_grace_period_then_downgrades() -> None:
    subscription = started()
    grace = timedelta(days=3)
    assert subscription.payment_failed(stripe_at=200, now=NOW, grace=grace)
    assert subscription.status is S.PAST_DUE
    assert subscription.tier(NOW + grace - timedelta(seconds=1)) is Tier.PRO
    assert not subscription.settle(NOW + grace - timedelta(seconds=1))
    assert subscription.tier(NOW + grace) is Tier.FREE
    assert subscription.settle(NOW + grace)
    assert subscription.status.value == "unpaid"
    assert subscription.payment_succeeded(stripe_at=400, now=NOW + grace)
    assert subscription.status.value == "active"
    assert subscription.tier(NOW + grace) is Tier.PRO


def test_a_payment_recovered_before_the_grace_ends_keeps_the_tier() -> None:
    subscription = started()
    subscription.payment_failed(stripe_at=200, now=NOW, grace=DEFAULT_GRACE)
    # A second failed attempt does not restart the grace period.
    first_end = subscription.grace_ends_at
    subscription.payment_failed(stripe_at=250, now=NOW + timedelta(days=2), grace=DEFAULT_GRACE)
    assert subscription.grace_ends_at == first_end
    assert subscription.payment_succeeded(stripe_at=300, now=NOW + timedelta(days=3))
    assert not subscription.settle(NOW + timedelta(days=30))
    assert subscription.status is S.ACTIVE


def test_deleted_is_final() -> None:
    subscription = started()
    assert subscription.ended(stripe_at=500, now=NOW)
    assert not subscription.observe(state(S.ACTIVE), PRO_MONTHLY, stripe_at=900, now=NOW)
    assert not subscription.payment_succeeded(stripe_at=900, now=NOW)
    with pytest.raises(SubscriptionNotChangeable):
        subscription.ensure_changeable()


def test_team_seats_give_members_the_team_tier_within_what_was_bought() -> None:
    team = started(plan=TEAM_MONTHLY, seats=3)
    team.assign_seat("m1", NOW)
    team.assign_seat("m2", NOW)
    with pytest.raises(NoSeatLeft):
        team.assign_seat("m3", NOW)
    assert team.tiers(NOW) == {"u1": Tier.TEAM, "m1": Tier.TEAM, "m2": Tier.TEAM}
    team.release_seat("m1", NOW)
    assert "m1" not in team.tiers(NOW)
    with pytest.raises(NoSeatLeft):
        started().assign_seat("m1", NOW)


# A subscription's real story: each step a status Stripe may move to next, one per second
# or more apart.
NEXT = {
    S.INCOMPLETE: [S.ACTIVE, S.TRIALING, S.INCOMPLETE_EXPIRED],
    S.TRIALING: [S.ACTIVE, S.PAST_DUE, S.CANCELED],
    S.ACTIVE: [S.PAST_DUE, S.CANCELED, S.ACTIVE],
    S.PAST_DUE: [S.ACTIVE, S.UNPAID, S.CANCELED],
    S.UNPAID: [S.ACTIVE, S.CANCELED],
    S.CANCELED: [],
    S.INCOMPLETE_EXPIRED: [],
}


@st.composite
def stories(draw: st.DrawFn) -> list[tuple[SubscriptionStatus, int]]:
    status, at = S.INCOMPLETE, 100
    story = [(status, at)]
    for _ in range(draw(st.integers(0, 8))):
        if not NEXT[status]:
            break
        status = draw(st.sampled_from(NEXT[status]))
        at += draw(st.integers(1, 3600))
        story.append((status, at))
    return story


@given(stories(), st.randoms(use_true_random=False))
def test_whatever_order_the_reports_arrive_in_the_newest_wins(
    story: list[tuple[SubscriptionStatus, int]], shuffler: random.Random
) -> None:
    delivered = story + story[: len(story) // 2]  # some of them twice
    shuffler.shuffle(delivered)
    first_status, first_at = delivered[0]
    subscription = Subscription.started(
        subscription_id="sub_1",
        user_id="u1",
        customer_id="cus_1",
        plan=PRO_MONTHLY,
        state=state(first_status),
        stripe_at=first_at,
        now=NOW,
    )
    for status, at in delivered[1:]:
        subscription.observe(state(status), PRO_MONTHLY, stripe_at=at, now=NOW)
    newest_status, newest_at = story[-1]
    assert subscription.status is newest_status
    assert subscription.stripe_seen_at == newest_at
    assert subscription.tier(NOW) is (
        Tier.PRO if newest_status in (S.ACTIVE, S.TRIALING, S.PAST_DUE) else Tier.FREE
    )
    for event in subscription.events:
        assert isinstance(event, SubscriptionChanged)
        assert event.status != event.previous_status or event.status == "incomplete"
