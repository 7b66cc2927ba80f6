from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from cmh.contracts.events.labs import LabSessionEndedV1
from cmh.kernel.errors import Forbidden
from cmh.labs.application.admin_costs import AdminCosts, CostGrouping
from cmh.labs.application.admin_list_sessions import AdminListSessions
from cmh.labs.application.conftest import ADMIN, EXPENSIVE, LEARNER, OTHER_LEARNER, Labs
from cmh.labs.application.end_session import EndSession
from cmh.labs.application.handle_user_erasure import HandleUserErasure
from cmh.labs.application.ports import SessionAccessRepository
from cmh.labs.application.reap_sessions import LabSessionReaper
from cmh.labs.application.reconcile_orphans import Reconciler
from cmh.labs.application.template_specs import NetworkResource
from cmh.labs.domain.checks import ObservedResource
from cmh.labs.domain.session import SessionStatus


async def test_the_reconciler_removes_a_planted_orphan_and_spares_live_sessions(
    labs: Labs,
) -> None:
    _, live = await labs.ready_session()
    labs.aws.create("ghost-session", ObservedResource("bucket", "left-behind", "us-east-1"))
    report = await (await labs.use(Reconciler)).execute()
    assert report.torn_down == ["ghost-session"]
    assert await labs.aws.inventory("ghost-session") == ()
    assert await labs.aws.inventory(live.id) != ()


async def test_the_reconciler_retries_a_quarantined_teardown(labs: Labs) -> None:
    _, session = await labs.ready_session()
    labs.aws.stick(session.id, f"data-{session.id[:8]}")
    await (await labs.use(EndSession)).execute(LEARNER, session.id)
    await labs.jobs.drain()
    assert labs.stored(session.id).status == "quarantined"
    labs.aws.unstick(session.id, f"data-{session.id[:8]}")
    await (await labs.use(Reconciler)).execute()
    await labs.jobs.drain()
    assert labs.stored(session.id).status == "ended"


async def test_admins_list_sessions_by_status(labs: Labs) -> None:
    _, ready = await labs.ready_session()
    other_template = await labs.template(title="Other")
    requested = await labs.launch(other_template.id, OTHER_LEARNER)
    listing = await labs.use(AdminListSessions)
    assert [s.id for s in await listing.execute(ADMIN, SessionStatus.READY)] == [ready.id]
    assert {s.id for s in await listing.execute(ADMIN)} == {ready.id, requested.id}
    with pytest.raises(Forbidden):
        await listing.execute(LEARNER)


async def test_admins_see_costs_per_template_and_course(labs: Labs) -> None:
    template, session = await labs.ready_session(
        resources=(NetworkResource(), EXPENSIVE), course_id="course-9"
    )
    for _ in range(60):
        labs.clock.advance(timedelta(minutes=1))
        await (await labs.use(LabSessionReaper)).execute()
    costs = await labs.use(AdminCosts)
    by_template = await costs.execute(ADMIN, CostGrouping.TEMPLATE)
    assert [(line.key, line.sessions, line.cost_usd) for line in by_template.lines] == [
        (template.id, 1, Decimal("0.50"))
    ]
    by_course = await costs.execute(ADMIN, CostGrouping.COURSE)
    # Launched from the template, not a lesson: the session belongs to no course.
    assert [line.key for line in by_course.lines] == [None]
    assert by_course.total_usd == Decimal("0.50")
    with pytest.raises(Forbidden):
        await costs.execute(LEARNER, CostGrouping.COURSE)
    assert session.id in labs.sessions.rows


async def test_erasure_stops_the_user_s_sessions_and_drops_credentials(
    labs: Labs,
) -> None:
    _, ready = await labs.ready_session()
    second = await labs.template(title="Second")
    requested = await labs.launch(second.id)
    erase = await labs.use(HandleUserErasure)
    await erase.execute(LEARNER.user_id)
    access = await labs.container.get(SessionAccessRepository)
    assert await access.get(ready.id) is None
    assert labs.stored(ready.id).status == "expiring"
    assert labs.stored(requested.id).status == "tearing_down"
    await erase.execute(LEARNER.user_id)  # again (the runner's inbox keeps it to once): harmless
    await labs.jobs.drain()
    assert {labs.stored(s).status for s in (ready.id, requested.id)} == {"ended", "failed"}
    assert len(labs.published(LabSessionEndedV1)) == 2
