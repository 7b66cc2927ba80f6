"""An instructor (or admin) authors a lab template they own."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import msgspec

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.access import ensure_author
from cmh.labs.application.ports import TemplateRepository
from cmh.labs.application.template_specs import Resource, Task, resource_spec, task_spec
from cmh.labs.application.views import TemplateView, template_view
from cmh.labs.domain.template import CloudProvider, LabTemplate, Level


class NewTemplate(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    description: str = ""
    provider: CloudProvider
    level: Level
    allowed_regions: tuple[str, ...]
    allowed_services: tuple[str, ...]
    resources: tuple[Resource, ...] = ()
    tasks: tuple[Task, ...]
    time_limit_minutes: int
    max_extension_minutes: int = 0
    budget_cap_usd: Decimal
    warm_pool_size: int = 0
    course_id: str | None = None


class CreateTemplate:
    def __init__(
        self, templates: TemplateRepository, uow: UnitOfWork, clock: Clock, ids: IdGenerator
    ) -> None:
        self._templates = templates
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, command: NewTemplate) -> TemplateView:
        ensure_author(principal)
        template = LabTemplate.create(
            self._ids.new_id(),
            owner_id=principal.user_id,
            title=command.title,
            description=command.description,
            provider=command.provider,
            level=command.level,
            allowed_regions=command.allowed_regions,
            allowed_services=command.allowed_services,
            resources=tuple(resource_spec(r) for r in command.resources),
            tasks=tuple(task_spec(t) for t in command.tasks),
            time_limit=timedelta(minutes=command.time_limit_minutes),
            max_extension=timedelta(minutes=command.max_extension_minutes),
            budget_cap_usd=command.budget_cap_usd,
            warm_pool_size=command.warm_pool_size,
            course_id=command.course_id,
            now=self._clock.now(),
        )
        async with self._uow:
            await self._templates.add(template)
            await self._uow.commit()
        return template_view(template)
