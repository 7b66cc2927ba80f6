"""The warm job: a pool environment is provisioned ahead of its learner and verified
(every resource of the template there) before it counts as ready. One that no longer fits
its template, or that fails, is discarded: its teardown is queued.

The learner's credentials are not kept: the claiming session's own provisioning job,
a quick pass over what exists, issues them for its lifetime."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.errors import DependencyUnavailable
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.ports import (
    CloudLabs,
    JobKind,
    LabJob,
    LabJobs,
    TemplateRepository,
    WarmPoolRepository,
)
from cmh.labs.domain.warm_pool import WarmEnvironment, WarmStatus, missing_resources


class ProvisionWarmEnvironment:
    def __init__(
        self,
        pool: WarmPoolRepository,
        templates: TemplateRepository,
        clouds: CloudLabs,
        jobs: LabJobs,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._pool = pool
        self._templates = templates
        self._clouds = clouds
        self._jobs = jobs
        self._uow = uow
        self._clock = clock

    async def execute(self, environment_id: str) -> None:
        async with self._uow:
            environment = await self._pool.get(environment_id)
            if environment is None or environment.status is not WarmStatus.PROVISIONING:
                return  # done already, claimed or discarded: a redelivered job
            template = await self._templates.get(environment.template_id)
        if template is None or not environment.fits(template):
            await self._discard(environment_id, "template revised or removed")
            return
        cloud = self._clouds.for_provider(environment.provider)
        try:
            await cloud.provision(environment.id, template, environment.region)
            missing = missing_resources(template, await cloud.observe(environment.id))
        except DependencyUnavailable:
            raise  # the queue delivers the job again later
        except Exception as error:
            await self._discard(environment_id, f"provisioning failed: {error}")
            return
        if missing:
            await self._discard(environment_id, f"verification found {', '.join(missing)} missing")
            return
        async with self._uow:
            found = await self._pool.get(environment_id)
            if found is None or found.status is not WarmStatus.PROVISIONING:
                return
            found.mark_ready(self._clock.now())
            await self._pool.save(found)
            await self._uow.commit()

    async def _discard(self, environment_id: str, reason: str) -> None:
        async with self._uow:
            found: WarmEnvironment | None = await self._pool.get(environment_id)
            if found is None or found.status is not WarmStatus.PROVISIONING:
                return
            found.discard(self._clock.now(), reason)
            await self._pool.save(found)
            await self._uow.commit()
        await self._jobs.enqueue(LabJob(kind=JobKind.DISCARD, session_id=environment_id))
