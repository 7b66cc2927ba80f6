"""A lab worker SIGKILLed in the middle of provisioning, then in the middle of a teardown,
and started again: the session still ends up ready once, then ended once, with one account,
one of each template resource, an empty inventory at the end and one ``lab.session_ended``.

The real worker process (``cmh.apps.labs.worker``) on its own moto server, Kafka broker and
database (``tests/chaos/lab_worker.py``): the jobs come from SQS, a killed worker's job
reappears after its visibility timeout and the restarted worker finishes it."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest
from dishka import AsyncContainer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.kernel.clock import Clock
from cmh.kernel.sql.tables import outbox
from cmh.kernel.uow import UnitOfWork
from cmh.labs.adapters.aws.accounts import account_name
from cmh.labs.adapters.aws.cloud_lab import AwsCloudLab
from cmh.labs.application.ports import (
    JobKind,
    LabJob,
    LabJobs,
    SessionRepository,
    TemplateRepository,
)
from cmh.labs.domain.checks import BucketCheck, ObservedResource
from cmh.labs.domain.session import LabSession, SessionStatus
from cmh.labs.domain.template import (
    BucketSpec,
    CloudProvider,
    InstanceSpec,
    LabTemplate,
    Level,
    NetworkSpec,
    TaskSpec,
)
from tests.chaos.lab_worker import PrivateLabs, private_lab_worker
from tests.chaos.stack import progress

pytestmark = pytest.mark.integration

T = TypeVar("T")
# Every wait is bounded; the killed job waits out its visibility timeout first.
WAIT = 120.0
ATTEMPTS = 5
SETTLE = 0.3  # seconds for a stopped worker's requests already sent to land
RESOURCES = (NetworkSpec(), BucketSpec(name_prefix="data-"), InstanceSpec(instance_type="t3.micro"))


async def _until(what: str, probe: Callable[[], Awaitable[T | None]], labs: PrivateLabs) -> T:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = await probe()
        if found is not None:
            return found
        if labs.worker is not None and not labs.worker_alive():
            raise AssertionError(f"the lab worker died: {labs.worker_log()}")
        await asyncio.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {WAIT}s: {labs.worker_log()}")


async def _session(container: AsyncContainer, session_id: str) -> LabSession:
    async with container() as request:
        sessions: SessionRepository = await request.get(SessionRepository)
        found = await sessions.get(session_id)
    assert found is not None
    return found


async def _store(container: AsyncContainer, session_id: str) -> None:
    """A template with a network, a bucket and an instance, and one requested session."""
    async with container() as request:
        uow = await request.get(UnitOfWork)
        now = (await request.get(Clock)).now()
        template = LabTemplate.create(
            f"kill-{session_id}",
            owner_id="instructor",
            title="Killed mid-way",
            provider=CloudProvider.AWS,
            level=Level.BEGINNER,
            allowed_regions=("us-east-1",),
            allowed_services=("s3", "ec2"),
            resources=RESOURCES,
            tasks=(
                TaskSpec(
                    id="logs",
                    title="A logs bucket",
                    hint="Create logs-<anything>.",
                    points=10,
                    check=BucketCheck(name_prefix="logs-"),
                ),
            ),
            time_limit=timedelta(minutes=60),
            budget_cap_usd=Decimal("5.00"),
            now=now,
        )
        session = LabSession.request(
            session_id, user_id="learner", template=template, region="us-east-1", now=now
        )
        async with uow:
            await (await request.get(TemplateRepository)).add(template)
            await (await request.get(SessionRepository)).add(session)
            await uow.commit()
        await (await request.get(LabJobs)).enqueue(
            LabJob(kind=JobKind.PROVISION, session_id=session_id)
        )


async def _end(container: AsyncContainer, session_id: str) -> None:
    async with container() as request:
        uow = await request.get(UnitOfWork)
        sessions = await request.get(SessionRepository)
        async with uow:
            session = await sessions.get(session_id)
            assert session is not None
            session.end_by_learner((await request.get(Clock)).now())
            await sessions.save(session)
            await uow.commit()
        await (await request.get(LabJobs)).enqueue(
            LabJob(kind=JobKind.TEARDOWN, session_id=session_id)
        )


async def _outbox_count(container: AsyncContainer, event_type: str, session_id: str) -> int:
    async with container() as request:
        db = await request.get(AsyncSession)
        count = await db.scalar(
            select(func.count())
            .select_from(outbox)
            .where(outbox.c.event_type == event_type, outbox.c.key == session_id)
        )
    return int(count or 0)


def _accounts_named(cloud: AwsCloudLab, name: str) -> list[str]:
    organizations = cloud.operator.client("organizations")
    return [
        account["Id"]
        for page in organizations.get_paginator("list_accounts").paginate()
        for account in page["Accounts"]
        if account["Name"] == name
    ]


def _kinds(resources: tuple[ObservedResource, ...]) -> Counter[str]:
    return Counter(resource.kind for resource in resources)


def _partly_provisioned(
    container: AsyncContainer, cloud: AwsCloudLab, session_id: str
) -> Callable[[], Awaitable[tuple[ObservedResource, ...] | None]]:
    """What the session's account holds while it provisions; ``()`` once it is ready
    (the kill came too late)."""

    async def probe() -> tuple[ObservedResource, ...] | None:
        status = (await _session(container, session_id)).status
        if status is SessionStatus.READY:
            return ()
        if status is not SessionStatus.PROVISIONING:
            return None
        made = await cloud.inventory(session_id)
        return made or None

    return probe


def _over(container: AsyncContainer, session_id: str) -> Callable[[], Awaitable[LabSession | None]]:
    async def probe() -> LabSession | None:
        session = await _session(container, session_id)
        return session if session.is_over else None

    return probe


def _ready(
    container: AsyncContainer, session_id: str
) -> Callable[[], Awaitable[LabSession | None]]:
    async def probe() -> LabSession | None:
        session = await _session(container, session_id)
        return session if session.status is SessionStatus.READY else None

    return probe


def _partly_torn_down(
    container: AsyncContainer, cloud: AwsCloudLab, session_id: str, before: int
) -> Callable[[], Awaitable[int | None]]:
    """How many resources are left while the teardown runs; ``-1`` once it is over (the
    kill came too late)."""

    async def probe() -> int | None:
        if (await _session(container, session_id)).status is not SessionStatus.TEARING_DOWN:
            return -1
        left = len(await cloud.inventory(session_id))
        return left if left < before else None

    return probe


async def _killed_while(
    labs: PrivateLabs, container: AsyncContainer, session_id: str, status: SessionStatus
) -> bool:
    """Stops the worker where it stands; kills it when the session is still ``status``
    (mid-way, for certain), else lets it go on. Whether it was killed."""
    labs.pause_worker()
    await asyncio.sleep(SETTLE)  # what it had already sent lands before the status is read
    if (await _session(container, session_id)).status is status:
        labs.kill_worker()
        return True
    labs.resume_worker()
    return False


async def test_a_worker_killed_mid_provision_and_mid_teardown_leaks_and_doubles_nothing(
    tmp_path: Path,
) -> None:
    async with private_lab_worker(tmp_path / "labs") as labs:
        container = labs.container()
        cloud = await container.get(AwsCloudLab)
        labs.start_worker()

        # 1. Provisioning: killed once the session's account holds something, before ready.
        # A provisioning quicker than the probe (a busy machine) is ended and tried again.
        for attempt in range(1, ATTEMPTS + 1):
            session_id = f"kill{uuid.uuid4().hex[:12]}"
            await _store(container, session_id)
            made = await _until(
                "a partial provisioning", _partly_provisioned(container, cloud, session_id), labs
            )
            if made and await _killed_while(
                labs, container, session_id, SessionStatus.PROVISIONING
            ):
                break
            progress(f"attempt {attempt}: provisioning finished before the kill; again")
            await _until("the missed session's ready", _ready(container, session_id), labs)
            await _end(container, session_id)
            await _until("the missed session's end", _over(container, session_id), labs)
        else:
            raise AssertionError(f"provisioning always finished before the kill ({ATTEMPTS}x)")
        progress(f"worker killed mid-provision with {sorted(_kinds(made).elements())} made")

        labs.start_worker()

        session = await _until("ready after the restart", _ready(container, session_id), labs)
        provisioned = await cloud.inventory(session_id)
        kinds = _kinds(provisioned)
        assert kinds["bucket"] == 1, provisioned
        assert kinds["instance"] == 1, provisioned
        assert kinds["network"] == 1, provisioned
        accounts = await asyncio.to_thread(_accounts_named, cloud, account_name(session_id))
        assert len(accounts) == 1, accounts
        moves = [(t.from_status, t.to_status) for t in session.history]
        assert moves.count((SessionStatus.PROVISIONING, SessionStatus.READY)) == 1, moves

        # 2. Teardown: killed once something is gone but not everything. A teardown quicker
        # than the probe leaves its session ended; a new session is provisioned and ended.
        before = len(provisioned)
        for attempt in range(1, ATTEMPTS + 1):
            await _end(container, session_id)
            left = await _until(
                "a partial teardown",
                _partly_torn_down(container, cloud, session_id, before),
                labs,
            )
            if left >= 0 and await _killed_while(
                labs, container, session_id, SessionStatus.TEARING_DOWN
            ):
                break
            progress(f"attempt {attempt}: the teardown finished before the kill; again")
            await _until("the missed session's end", _over(container, session_id), labs)
            session_id = f"kill{uuid.uuid4().hex[:12]}"
            await _store(container, session_id)
            await _until("a new session's ready", _ready(container, session_id), labs)
            before = len(await cloud.inventory(session_id))
        else:
            raise AssertionError(f"the teardown always finished before the kill ({ATTEMPTS}x)")
        progress(f"worker killed mid-teardown with {left} of {before} resources left")

        labs.start_worker()

        ended = await _until("the end after the restart", _over(container, session_id), labs)
        assert ended.status is SessionStatus.ENDED, ended.history
        assert await cloud.inventory(session_id) == ()
        assert await cloud.orphans(set()) == []
        assert await _outbox_count(container, "lab.session_ended", session_id) == 1
        assert labs.kills == 2  # a kill happens only once a session is known to be mid-way
