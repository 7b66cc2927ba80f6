from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from cmh.contracts.events.labs import LabSessionRequestedV1, LabStatusChangedV1
from cmh.contracts.http.labs import LessonLabLaunchRequest
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden, NotFound
from cmh.labs.application.conftest import ADMIN, LEARNER, OTHER_LEARNER, Labs
from cmh.labs.application.get_session import GetSession
from cmh.labs.application.launch_for_learner import LaunchForLearner
from cmh.labs.application.my_sessions import MySessions
from cmh.labs.application.ports import JobKind, LabJob, SessionAccessRepository
from cmh.labs.application.template_owner import TemplateOwner
from cmh.labs.domain.errors import AlreadyRunning, NotEntitled, SessionNotFound
from cmh.labs.domain.lab_hours import consume
from cmh.labs.domain.template import Level

COURSES = Principal(user_id="service:courses", roles=frozenset({"service"}))


async def test_a_launch_is_requested_and_its_provisioning_queued(labs: Labs) -> None:
    template = await labs.template()
    session = await labs.launch(template.id)
    assert (session.status, session.region, session.credentials) == (
        "requested",
        "us-east-1",
        None,
    )
    assert labs.jobs.enqueued == [LabJob(kind=JobKind.PROVISION, session_id=session.id)]
    [requested] = labs.published(LabSessionRequestedV1)
    assert isinstance(requested, LabSessionRequestedV1)
    assert (requested.session_id, requested.user_id) == (session.id, LEARNER.user_id)


async def test_the_job_makes_it_ready_and_only_its_learner_sees_the_credentials(
    labs: Labs,
) -> None:
    template, launched = await labs.ready_session()
    assert labs.statuses(launched.id) == ["provisioning", "ready"]
    get = await labs.use(GetSession)
    mine = await get.execute(LEARNER, launched.id)
    assert mine.status == "ready"
    assert mine.expires_at == labs.clock.now() + timedelta(minutes=template.time_limit_minutes)
    assert mine.credentials is not None
    assert mine.credentials.secret_access_key == f"secret-{launched.id}"
    assert [(t.id, t.passed, t.hint is not None) for t in mine.tasks] == [
        ("logs-bucket", False, True)
    ]
    as_admin = await get.execute(ADMIN, launched.id)
    assert as_admin.credentials is None
    assert as_admin.account_id == mine.account_id is not None
    with pytest.raises(SessionNotFound):
        await get.execute(OTHER_LEARNER, launched.id)
    moves = [(e.from_status, e.to_status) for e in labs.published(LabStatusChangedV1)]
    assert moves == [("requested", "provisioning"), ("provisioning", "ready")]


async def test_credentials_are_kept_sealed(labs: Labs) -> None:
    _, launched = await labs.ready_session()
    stored = await (await labs.container.get(SessionAccessRepository)).get(launched.id)
    assert stored is not None
    assert f"secret-{launched.id}".encode() not in stored.sealed_credentials


async def test_one_live_session_per_template(labs: Labs) -> None:
    template = await labs.template()
    await labs.launch(template.id)
    with pytest.raises(AlreadyRunning):
        await labs.launch(template.id)
    other = await labs.launch(template.id, OTHER_LEARNER)
    assert other.status == "requested"


async def test_a_free_learner_gets_beginner_labs_only(labs: Labs) -> None:
    advanced = await labs.template(level=Level.ADVANCED)
    with pytest.raises(NotEntitled):
        await labs.launch(advanced.id)
    labs.entitlements.grant(LEARNER.user_id)
    assert (await labs.launch(advanced.id)).status == "requested"


async def test_no_launch_once_the_month_s_hours_are_used(labs: Labs) -> None:
    template = await labs.template()
    labs.entitlements.grant(LEARNER.user_id, hours=Decimal(1))
    async with labs.uow:
        await labs.ledger.append(
            consume(
                "earlier",
                user_id=LEARNER.user_id,
                session_id="s-0",
                used=timedelta(hours=1),
                at=labs.clock.now(),
            )
        )
        await labs.uow.commit()
    with pytest.raises(NotEntitled):
        await labs.launch(template.id)
    labs.clock.advance(timedelta(days=31))  # a new month, a new allowance
    assert (await labs.launch(template.id)).status == "requested"


async def test_an_inactive_account_launches_nothing(labs: Labs) -> None:
    template = await labs.template()
    labs.entitlements.grant(LEARNER.user_id, active=False)
    with pytest.raises(NotEntitled):
        await labs.launch(template.id)
    assert labs.sessions.rows == {}


async def test_courses_launches_a_lesson_lab_for_a_learner(labs: Labs) -> None:
    template = await labs.template()
    request = LessonLabLaunchRequest(
        user_id=LEARNER.user_id, template_id=template.id, course_id="course-1", lesson_id="lesson-1"
    )
    launch = await labs.use(LaunchForLearner)
    with pytest.raises(Forbidden):  # a learner never launches for another one
        await launch.execute(OTHER_LEARNER, request)
    session = await launch.execute(COURSES, request)
    assert session.user_id == LEARNER.user_id
    assert (session.course_id, session.lesson_id, session.template_id) == (
        "course-1",
        "lesson-1",
        template.id,
    )


async def test_a_templates_owner_is_told_to_services_and_authors(labs: Labs) -> None:
    template = await labs.template()
    owner = await labs.use(TemplateOwner)
    assert (await owner.execute(COURSES, template.id)).owner_id == template.owner_id
    with pytest.raises(Forbidden):
        await owner.execute(LEARNER, template.id)
    with pytest.raises(NotFound):
        await owner.execute(COURSES, "no-such-template")


async def test_my_sessions_are_mine_newest_first(labs: Labs) -> None:
    first = await labs.template(title="First")
    second = await labs.template(title="Second")
    a = await labs.launch(first.id)
    labs.clock.advance(timedelta(minutes=1))
    b = await labs.launch(second.id)
    await labs.launch(first.id, OTHER_LEARNER)
    mine = await (await labs.use(MySessions)).execute(LEARNER)
    assert [s.id for s in mine] == [b.id, a.id]
