from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from cmh.contracts.events.labs import LabSessionEndedV1, LabTaskValidatedV1
from cmh.labs.application.conftest import ADMIN, LEARNER, OTHER_LEARNER, Labs
from cmh.labs.application.end_session import EndSession
from cmh.labs.application.extend_session import ExtendSession
from cmh.labs.application.get_session import GetSession
from cmh.labs.application.lab_hours_spent import consumption_id
from cmh.labs.application.ports import JobKind, LabJob, SessionAccessRepository
from cmh.labs.application.run_lab_job import RunLabJob
from cmh.labs.application.validate_session import ValidateSession
from cmh.labs.domain.checks import ObservedResource
from cmh.labs.domain.errors import ExtensionNotAllowed, IllegalTransition, SessionNotFound
from cmh.labs.domain.lab_hours import Period, consume


def logs_bucket(versioning: bool) -> ObservedResource:
    return ObservedResource(
        "bucket", "logs-2026", "us-east-1", attributes={"versioning": versioning}
    )


async def test_validation_grades_the_live_resources_and_keeps_the_best(labs: Labs) -> None:
    _, session = await labs.ready_session()
    validate = await labs.use(ValidateSession)
    first = await validate.execute(LEARNER, session.id)
    assert (first.score, first.max_score, first.tasks[0].passed) == (0, 10, False)
    assert first.tasks[0].hint is not None
    labs.aws.create(session.id, logs_bucket(versioning=True))
    second = await validate.execute(LEARNER, session.id)
    assert (second.score, second.tasks[0].passed, second.tasks[0].hint) == (10, True, None)
    view = await (await labs.use(GetSession)).execute(LEARNER, session.id)
    assert (view.score, view.tasks[0].passed) == (10, True)
    scores = [e.score for e in labs.published(LabTaskValidatedV1)]
    assert scores == [0, 10]


async def test_only_its_learner_validates_and_only_when_ready(labs: Labs) -> None:
    template = await labs.template()
    session = await labs.launch(template.id)
    validate = await labs.use(ValidateSession)
    with pytest.raises(IllegalTransition):
        await validate.execute(LEARNER, session.id)
    await labs.jobs.drain()
    for stranger in (OTHER_LEARNER, ADMIN):
        with pytest.raises(SessionNotFound):
            await validate.execute(stranger, session.id)


async def test_extending_stays_within_the_template_s_limit(labs: Labs) -> None:
    _, session = await labs.ready_session()
    extend = await labs.use(ExtendSession)
    extended = await extend.execute(LEARNER, session.id, 20)
    assert extended.expires_at == labs.clock.now() + timedelta(minutes=60 + 20)
    with pytest.raises(ExtensionNotAllowed):
        await extend.execute(LEARNER, session.id, 11)
    with pytest.raises(SessionNotFound):
        await extend.execute(OTHER_LEARNER, session.id, 5)


async def test_ending_tears_down_verifies_and_charges_the_hours_once(labs: Labs) -> None:
    _, session = await labs.ready_session()
    labs.aws.create(session.id, logs_bucket(versioning=True))
    await (await labs.use(ValidateSession)).execute(LEARNER, session.id)
    labs.clock.advance(timedelta(minutes=30, seconds=5))
    ended = await (await labs.use(EndSession)).execute(LEARNER, session.id)
    assert ended.status == "tearing_down"
    assert labs.jobs.pending[-1] == LabJob(kind=JobKind.TEARDOWN, session_id=session.id)
    await labs.jobs.drain()
    assert labs.statuses(session.id)[-2:] == ["tearing_down", "ended"]
    assert await labs.aws.inventory(session.id) == ()
    [event] = labs.published(LabSessionEndedV1)
    assert isinstance(event, LabSessionEndedV1)
    assert (event.outcome, event.duration_seconds, event.tasks_passed) == (
        "completed",
        30 * 60 + 5,
        ["logs-bucket"],
    )
    [entry] = await labs.ledger.entries(LEARNER.user_id, Period.of(labs.clock.now()))
    assert (entry.id, entry.hours) == (consumption_id(session.id), Decimal("0.516667"))
    assert await (await labs.container.get(SessionAccessRepository)).get(session.id) is None


async def test_a_replayed_or_duplicate_job_is_harmless(labs: Labs) -> None:
    template = await labs.template()
    session = await labs.launch(template.id)
    provision = LabJob(kind=JobKind.PROVISION, session_id=session.id)
    await labs.jobs.enqueue(provision)  # the queue delivered it twice
    await labs.jobs.drain()
    assert labs.aws.provisioned == [session.id]
    assert labs.statuses(session.id) == ["provisioning", "ready"]
    labs.clock.advance(timedelta(minutes=5))
    await (await labs.use(EndSession)).execute(LEARNER, session.id)
    await (await labs.use(EndSession)).execute(LEARNER, session.id)  # asked twice
    await labs.jobs.drain()
    run = await labs.use(RunLabJob)
    await run.execute(LabJob(kind=JobKind.TEARDOWN, session_id=session.id))
    await run.execute(provision)
    assert labs.statuses(session.id) == ["provisioning", "ready", "tearing_down", "ended"]
    assert len(labs.published(LabSessionEndedV1)) == 1
    assert len(labs.ledger.rows) == 1


async def test_a_failed_provisioning_is_torn_down_then_failed(labs: Labs) -> None:
    template = await labs.template()
    session = await labs.launch(template.id)
    labs.aws.failing.add(session.id)
    await labs.jobs.drain()
    stored = labs.stored(session.id)
    assert labs.statuses(session.id) == ["provisioning", "tearing_down", "failed"]
    assert stored.reason == "provisioning failed: the provider refused the account"
    [event] = labs.published(LabSessionEndedV1)
    assert isinstance(event, LabSessionEndedV1)
    assert (event.outcome, event.duration_seconds) == ("failed_platform", 0)
    assert labs.ledger.rows == {}  # never ready: no hours charged


async def test_leftovers_quarantine_the_session_until_a_clean_retry(labs: Labs) -> None:
    _, session = await labs.ready_session()
    labs.aws.create(session.id, logs_bucket(versioning=False))
    labs.aws.stick(session.id, "logs-2026")
    await (await labs.use(EndSession)).execute(LEARNER, session.id)
    await labs.jobs.drain()
    assert labs.statuses(session.id)[-1] == "quarantined"
    assert labs.published(LabSessionEndedV1) == []
    labs.aws.unstick(session.id, "logs-2026")
    # An admin forcing it down again queues the retried teardown.
    await (await labs.use(EndSession)).execute(ADMIN, session.id)
    await labs.jobs.drain()
    assert labs.statuses(session.id)[-2:] == ["tearing_down", "ended"]
    assert len(labs.published(LabSessionEndedV1)) == 1


async def test_an_admin_forces_a_ready_session_down(labs: Labs) -> None:
    _, session = await labs.ready_session()
    forced = await (await labs.use(EndSession)).execute(ADMIN, session.id)
    assert (forced.status, forced.reason) == ("expiring", "forced by an admin")
    await labs.jobs.drain()
    assert labs.statuses(session.id)[-3:] == ["expiring", "tearing_down", "ended"]
    assert labs.stored(session.id).outcome == "expired"


async def test_another_learner_cannot_end_a_session(labs: Labs) -> None:
    _, session = await labs.ready_session()
    with pytest.raises(SessionNotFound):
        await (await labs.use(EndSession)).execute(OTHER_LEARNER, session.id)
    assert labs.stored(session.id).status == "ready"


async def test_a_teardown_job_that_loses_the_race_to_another_gives_way(labs: Labs) -> None:
    """The learner and an admin both ended the session, so two teardown jobs ran side by
    side; the other one charged the hours first. This one gives way instead of failing
    (and being retried by the queue for nothing)."""
    _, session = await labs.ready_session()
    labs.clock.advance(timedelta(minutes=5))
    await (await labs.use(EndSession)).execute(LEARNER, session.id)
    async with labs.uow:  # committed by the other job meanwhile
        await labs.ledger.append(
            consume(
                consumption_id(session.id),
                user_id=LEARNER.user_id,
                session_id=session.id,
                used=timedelta(minutes=5),
                at=labs.clock.now(),
            )
        )
        await labs.uow.commit()
    await labs.jobs.drain()
    assert len(labs.ledger.rows) == 1
    assert labs.published(LabSessionEndedV1) == []  # the winner's commit tells of the end
