from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmh.labs.domain.checks import BucketCheck
from cmh.labs.domain.errors import IllegalTransition
from cmh.labs.domain.template import CloudProvider, LabTemplate, Level, TaskSpec
from cmh.labs.domain.warm_pool import WAITING, WarmEnvironment, WarmStatus, plan_pool

T0 = datetime(2026, 1, 1, 9, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def template(pool: int = 2, **changes: object) -> LabTemplate:
    made = LabTemplate.create(
        "t-1",
        owner_id="teacher",
        title="S3 basics",
        provider=CloudProvider.AWS,
        level=Level.BEGINNER,
        allowed_regions=("eu-west-1", "us-east-1"),
        allowed_services=("s3",),
        tasks=(TaskSpec("logs", "Logs bucket", "Create logs-...", 10, BucketCheck("logs-")),),
        time_limit=timedelta(hours=1),
        budget_cap_usd=Decimal("1.00"),
        warm_pool_size=pool,
        now=T0,
    )
    return replace(made, **changes)  # type: ignore[arg-type]


def environment(n: int, of: LabTemplate, status: WarmStatus = WarmStatus.READY) -> WarmEnvironment:
    made = WarmEnvironment.plan(f"w-{n}", of, T0 + n * MINUTE)
    made.status = status
    return made


def test_an_environment_is_planned_in_the_templates_first_region_from_its_revision() -> None:
    made = WarmEnvironment.plan("w-1", template(), T0)
    assert (made.region, made.template_revision, made.status) == (
        "eu-west-1",
        T0,
        WarmStatus.PROVISIONING,
    )


def test_ready_then_claimed_once() -> None:
    made = WarmEnvironment.plan("w-1", template(), T0)
    with pytest.raises(IllegalTransition):
        made.claim(T0)  # still provisioning
    made.mark_ready(T0 + MINUTE)
    made.claim(T0 + 2 * MINUTE)
    assert (made.status, made.closed_at) == (WarmStatus.CLAIMED, T0 + 2 * MINUTE)
    with pytest.raises(IllegalTransition):
        made.claim(T0 + 3 * MINUTE)
    with pytest.raises(IllegalTransition):
        made.discard(T0 + 3 * MINUTE, "late")  # a claimed one belongs to its session


def test_a_revised_template_or_another_region_no_longer_fits() -> None:
    current = template()
    made = WarmEnvironment.plan("w-1", current, T0)
    assert made.fits(current)
    assert not made.fits(replace(current, updated_at=T0 + MINUTE))
    assert not made.fits(replace(current, allowed_regions=("us-east-1",)))
    assert not made.fits(None)


def test_the_pool_is_topped_up_to_its_size() -> None:
    current = template(pool=3)
    plan = plan_pool(
        current, [environment(1, current), environment(2, current, WarmStatus.CLAIMED)]
    )
    assert (plan.discard, plan.provision) == ((), 2)


def test_what_no_longer_fits_is_discarded_and_replaced() -> None:
    old = template(pool=1)
    revised = replace(old, updated_at=T0 + MINUTE)
    stale = environment(1, old)
    plan = plan_pool(revised, [stale])
    assert plan.discard == ((stale, "template revised or removed"),)
    assert plan.provision == 1


def test_a_shrunk_pool_discards_the_newest_still_provisioning_first() -> None:
    current = template(pool=1)
    ready = environment(2, current)
    younger_provisioning = environment(3, current, WarmStatus.PROVISIONING)
    older_provisioning = environment(1, current, WarmStatus.PROVISIONING)
    plan = plan_pool(current, [older_provisioning, ready, younger_provisioning])
    assert {e.id for e, _ in plan.discard} == {"w-1", "w-3"}
    assert plan.provision == 0


@given(
    size=st.integers(0, 10),
    statuses=st.lists(st.sampled_from(list(WarmStatus)), max_size=15),
    revised=st.lists(st.booleans(), max_size=15),
)
def test_after_a_plan_the_pool_holds_exactly_its_size(
    size: int, statuses: list[WarmStatus], revised: list[bool]
) -> None:
    current = template(pool=size)
    older = replace(current, updated_at=T0 - MINUTE)
    environments = [
        environment(n, older if n < len(revised) and revised[n] else current, status)
        for n, status in enumerate(statuses)
    ]
    plan = plan_pool(current, environments)
    discarded = {e.id for e, _ in plan.discard}
    kept = [e for e in environments if e.status in WAITING and e.id not in discarded]
    assert all(e.fits(current) for e in kept)
    assert len(kept) + plan.provision == size
    assert all(e.status in WAITING for e, _ in plan.discard)
