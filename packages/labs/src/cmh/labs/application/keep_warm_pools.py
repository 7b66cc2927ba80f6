"""The warm-pool pass: every template's pool is brought to its size, with environments
that no longer fit discarded, on a timer and after each claim."""

from __future__ import annotations

from collections import defaultdict

from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.ports import (
    CloudLabs,
    JobKind,
    LabJob,
    LabJobs,
    TemplateRepository,
    WarmPoolRepository,
)
from cmh.labs.application.views import WarmPoolReport
from cmh.labs.domain.warm_pool import WarmEnvironment, plan_pool


class WarmPoolKeeper:
    def __init__(
        self,
        pool: WarmPoolRepository,
        templates: TemplateRepository,
        clouds: CloudLabs,
        jobs: LabJobs,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._pool = pool
        self._templates = templates
        self._clouds = clouds
        self._jobs = jobs
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self) -> WarmPoolReport:
        now = self._clock.now()
        warm: list[str] = []
        discarded: list[str] = []
        async with self._uow:
            # Only the providers this process can reach: the others' pools wait for it.
            providers = set(self._clouds.providers())
            templates = {t.id: t for t in await self._templates.by_provider()}
            waiting: dict[str, list[WarmEnvironment]] = defaultdict(list)
            for environment in await self._pool.waiting():
                waiting[environment.template_id].append(environment)
            pooled = {t.id for t in templates.values() if t.warm_pool_size > 0}
            for template_id in sorted(pooled | set(waiting)):
                template = templates.get(template_id)
                if template is not None and template.provider not in providers:
                    continue
                plan = plan_pool(template, waiting[template_id])
                for environment, reason in plan.discard:
                    environment.discard(now, reason)
                    await self._pool.save(environment)
                    discarded.append(environment.id)
                if template is None:
                    continue
                for _ in range(plan.provision):
                    environment = WarmEnvironment.plan(self._ids.new_id(), template, now)
                    await self._pool.add(environment)
                    warm.append(environment.id)
            await self._uow.commit()
        for environment_id in discarded:
            await self._jobs.enqueue(LabJob(kind=JobKind.DISCARD, session_id=environment_id))
        for environment_id in warm:
            await self._jobs.enqueue(LabJob(kind=JobKind.WARM, session_id=environment_id))
        return WarmPoolReport(provisioning=warm, discarded=discarded)
