"""The template's author or an admin changes it; only the fields sent change, and the
whole template is checked again."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import msgspec

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.access import managed_template
from cmh.labs.application.ports import TemplateRepository
from cmh.labs.application.template_specs import Resource, Task, resource_spec, task_spec
from cmh.labs.application.views import TemplateView, template_view
from cmh.labs.domain.template import CloudProvider, Level


class TemplateRevision(msgspec.Struct, frozen=True, kw_only=True):
    """``UNSET`` leaves a field as it is; ``course_id=None`` detaches the course."""

    title: str | msgspec.UnsetType = msgspec.UNSET
    description: str | msgspec.UnsetType = msgspec.UNSET
    provider: CloudProvider | msgspec.UnsetType = msgspec.UNSET
    level: Level | msgspec.UnsetType = msgspec.UNSET
    allowed_regions: tuple[str, ...] | msgspec.UnsetType = msgspec.UNSET
    allowed_services: tuple[str, ...] | msgspec.UnsetType = msgspec.UNSET
    resources: tuple[Resource, ...] | msgspec.UnsetType = msgspec.UNSET
    tasks: tuple[Task, ...] | msgspec.UnsetType = msgspec.UNSET
    time_limit_minutes: int | msgspec.UnsetType = msgspec.UNSET
    max_extension_minutes: int | msgspec.UnsetType = msgspec.UNSET
    budget_cap_usd: Decimal | msgspec.UnsetType = msgspec.UNSET
    warm_pool_size: int | msgspec.UnsetType = msgspec.UNSET
    course_id: str | msgspec.UnsetType | None = msgspec.UNSET

    def changes(self) -> dict[str, Any]:
        """The domain's names and values of what was sent."""
        sent = {
            name: value
            for name in self.__struct_fields__
            if (value := getattr(self, name)) is not msgspec.UNSET
        }
        if "resources" in sent:
            sent["resources"] = tuple(resource_spec(r) for r in sent["resources"])
        if "tasks" in sent:
            sent["tasks"] = tuple(task_spec(t) for t in sent["tasks"])
        if "time_limit_minutes" in sent:
            sent["time_limit"] = timedelta(minutes=sent.pop("time_limit_minutes"))
        if "max_extension_minutes" in sent:
            sent["max_extension"] = timedelta(minutes=sent.pop("max_extension_minutes"))
        return sent


class ReviseTemplate:
    def __init__(self, templates: TemplateRepository, uow: UnitOfWork, clock: Clock) -> None:
        self._templates = templates
        self._uow = uow
        self._clock = clock

    async def execute(
        self, principal: Principal, template_id: str, revision: TemplateRevision
    ) -> TemplateView:
        async with self._uow:
            template = await managed_template(self._templates, template_id, principal)
            if template.revise(now=self._clock.now(), **revision.changes()):
                await self._templates.save(template)
                await self._uow.commit()
        return template_view(template)
