from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from cmh.contracts.events.labs import LabSessionEndedV1, LabStatusChangedV1
from cmh.labs.application.conftest import EXPENSIVE, LEARNER, Labs
from cmh.labs.application.extend_session import ExtendSession
from cmh.labs.application.integration_events import EXPIRY_WARNING
from cmh.labs.application.reap_sessions import LabSessionReaper
from cmh.labs.application.template_specs import NetworkResource


async def reap(labs: Labs) -> tuple[list[str], list[str], list[str]]:
    report = await (await labs.use(LabSessionReaper)).execute()
    return report.warned, report.expired, report.capped


async def test_the_learner_is_warned_once_then_the_session_expires(labs: Labs) -> None:
    _, session = await labs.ready_session()
    labs.clock.advance(timedelta(minutes=49))
    assert await reap(labs) == ([], [], [])
    labs.clock.advance(timedelta(minutes=2))
    assert await reap(labs) == ([session.id], [], [])
    assert await reap(labs) == ([], [], [])  # once per expiry
    warnings = [e for e in labs.published(LabStatusChangedV1) if e.reason == EXPIRY_WARNING]
    assert len(warnings) == 1
    labs.clock.advance(timedelta(minutes=9))
    assert await reap(labs) == ([], [session.id], [])
    await labs.jobs.drain()
    assert labs.statuses(session.id)[-3:] == ["expiring", "tearing_down", "ended"]
    [ended] = labs.published(LabSessionEndedV1)
    assert isinstance(ended, LabSessionEndedV1)
    assert (ended.outcome, ended.reason, ended.duration_seconds) == (
        "expired",
        "time_limit",
        60 * 60,
    )


async def test_the_meter_bills_what_runs_and_the_budget_cap_stops_the_session(
    labs: Labs,
) -> None:
    # An unknown instance type is priced at 0.50 USD an hour; the cap is 1 USD.
    _, session = await labs.ready_session(
        resources=(NetworkResource(), EXPENSIVE),
        budget_cap_usd=Decimal("1.00"),
        time_limit_minutes=8 * 60,
        max_extension_minutes=0,
    )
    for _ in range(119):
        labs.clock.advance(timedelta(minutes=1))
        assert await reap(labs) == ([], [], [])
    assert labs.stored(session.id).cost_usd == Decimal("0.99")
    labs.clock.advance(timedelta(minutes=1))
    assert await reap(labs) == ([], [], [session.id])
    await labs.jobs.drain()
    stored = labs.stored(session.id)
    assert (stored.status, stored.reason, stored.cost_usd) == (
        "ended",
        "budget_cap",
        Decimal("1.00"),
    )


async def test_a_session_extended_in_time_is_not_expired(labs: Labs) -> None:
    _, session = await labs.ready_session()
    labs.clock.advance(timedelta(minutes=55))
    await (await labs.use(ExtendSession)).execute(LEARNER, session.id, 30)
    labs.clock.advance(timedelta(minutes=10))
    assert await reap(labs) == ([], [], [])
    assert labs.stored(session.id).status == "ready"


async def test_each_pass_reports_the_cost_it_metered_per_provider(labs: Labs) -> None:
    """What the operators' lab cost per hour adds up: the passes' sums are the session's cost."""
    _, session = await labs.ready_session(resources=(NetworkResource(), EXPENSIVE))
    metered: list[Decimal] = []
    for _ in range(30):
        labs.clock.advance(timedelta(minutes=1))
        report = await (await labs.use(LabSessionReaper)).execute()
        metered.append(report.metered_usd.get(str(session.provider), Decimal("0")))
    assert sum(metered) == labs.stored(session.id).cost_usd > 0
