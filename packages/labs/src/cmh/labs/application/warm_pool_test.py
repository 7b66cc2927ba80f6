"""The warm pool on the memory profile: kept at its size, claimed by launches (one learner
per environment), replaced, discarded when the template changes, never an orphan."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from cmh.kernel.auth.principal import Principal
from cmh.labs.application.conftest import LEARNER, OTHER_LEARNER, Labs
from cmh.labs.application.keep_warm_pools import WarmPoolKeeper
from cmh.labs.application.ports import WarmPoolRepository
from cmh.labs.application.reconcile_orphans import Reconciler
from cmh.labs.application.revise_template import ReviseTemplate, TemplateRevision
from cmh.labs.application.views import WarmPoolReport
from cmh.labs.domain.session import SessionStatus
from cmh.labs.domain.warm_pool import WarmEnvironment, WarmStatus

INSTRUCTOR = Principal(user_id="teacher", roles=frozenset({"instructor"}))


async def keep(labs: Labs) -> WarmPoolReport:
    report = await (await labs.use(WarmPoolKeeper)).execute()
    await labs.jobs.drain()
    return report


async def pool(labs: Labs, status: WarmStatus | None = None) -> list[WarmEnvironment]:
    repository = await labs.container.get(WarmPoolRepository)
    found = await repository.waiting()
    return [e for e in found if status is None or e.status is status]


async def test_a_pool_is_provisioned_verified_and_kept_at_its_size(labs: Labs) -> None:
    template = await labs.template(warm_pool_size=2)
    report = await keep(labs)
    assert len(report.provisioning) == 2
    ready = await pool(labs, WarmStatus.READY)
    assert sorted(e.id for e in ready) == sorted(report.provisioning)
    assert all(labs.aws.environments[e.id] for e in ready)  # made in the cloud
    assert all(e.template_id == template.id for e in ready)
    # A second pass has nothing to do.
    assert await keep(labs) == WarmPoolReport(provisioning=[], discarded=[])


async def test_a_launch_claims_a_ready_environment_and_the_pool_is_replenished(
    labs: Labs,
) -> None:
    template = await labs.template(warm_pool_size=1)
    await keep(labs)
    (warm,) = await pool(labs, WarmStatus.READY)

    session = await labs.launch(template.id)
    assert session.id == warm.id  # the session is the environment
    await labs.jobs.drain()
    assert labs.stored(session.id).status is SessionStatus.READY
    assert await pool(labs) == []  # claimed: no longer waiting

    report = await keep(labs)
    assert len(report.provisioning) == 1
    # Another learner gets the new environment, never the first one's.
    other = await labs.launch(template.id, OTHER_LEARNER)
    assert other.id == report.provisioning[0] != session.id


async def test_two_learners_launching_at_once_never_share_an_environment(labs: Labs) -> None:
    template = await labs.template(warm_pool_size=1)
    await keep(labs)
    first, second = await asyncio.gather(
        labs.launch(template.id, LEARNER), labs.launch(template.id, OTHER_LEARNER)
    )
    assert first.id != second.id
    await labs.jobs.drain()
    assert {labs.stored(first.id).status, labs.stored(second.id).status} == {SessionStatus.READY}


async def test_without_a_ready_environment_a_launch_provisions_as_usual(labs: Labs) -> None:
    template = await labs.template(warm_pool_size=1)
    session = await labs.launch(template.id)  # the pool was never filled
    await labs.jobs.drain()
    assert labs.stored(session.id).status is SessionStatus.READY


async def test_a_revised_template_discards_its_environments_and_tears_them_down(
    labs: Labs,
) -> None:
    template = await labs.template(warm_pool_size=1)
    await keep(labs)
    (old,) = await pool(labs, WarmStatus.READY)
    labs.clock.advance(timedelta(minutes=5))
    revise = await labs.use(ReviseTemplate)
    await revise.execute(INSTRUCTOR, template.id, TemplateRevision(title="S3 versioning, revised"))

    report = await keep(labs)
    assert report.discarded == [old.id]
    assert len(report.provisioning) == 1
    assert await labs.aws.inventory(old.id) == ()
    (fresh,) = await pool(labs, WarmStatus.READY)
    assert fresh.id != old.id


async def test_a_failed_environment_is_discarded_and_retried_at_the_next_pass(
    labs: Labs,
) -> None:
    await labs.template(warm_pool_size=1)
    original = labs.aws.provision

    async def refuse(session_id, template, region):  # type: ignore[no-untyped-def]
        raise RuntimeError("the provider refused the account")

    labs.aws.provision = refuse  # type: ignore[method-assign]
    first = await keep(labs)
    assert await pool(labs) == []
    labs.aws.provision = original  # type: ignore[method-assign]
    second = await keep(labs)
    assert second.provisioning != first.provisioning
    assert len(await pool(labs, WarmStatus.READY)) == 1


async def test_waiting_environments_are_not_orphans(labs: Labs) -> None:
    await labs.template(warm_pool_size=2)
    await keep(labs)
    report = await (await labs.use(Reconciler)).execute()
    assert report.torn_down == []
    assert len(await pool(labs, WarmStatus.READY)) == 2
