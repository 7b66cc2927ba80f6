"""Request bodies of the Labs API. Constraints live in the types, so bad input is a 422
naming the field before any use case runs; a template's own rules (regions of its
provider, services, limits) are the domain's and answer 422 with the field too.
Responses are the application's views."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from cmh.labs.application.create_template import NewTemplate
from cmh.labs.application.launch_lab import LaunchRequest
from cmh.labs.application.revise_template import TemplateRevision
from cmh.labs.application.template_specs import Resource, Task
from cmh.labs.domain.template import CloudProvider, Level

Title = Annotated[str, Meta(min_length=3, max_length=200)]
Description = Annotated[str, Meta(max_length=4000)]
Region = Annotated[str, Meta(min_length=1, max_length=64)]
Service = Annotated[str, Meta(min_length=1, max_length=32)]
Regions = Annotated[list[Region], Meta(min_length=1, max_length=20)]
Services = Annotated[list[Service], Meta(min_length=1, max_length=20)]
Resources = Annotated[list[Resource], Meta(max_length=20)]
Tasks = Annotated[list[Task], Meta(min_length=1, max_length=50)]
Minutes = Annotated[int, Meta(ge=0, le=8 * 60)]
# The domain checks the cap (more than 0 USD); msgspec bounds no decimal.
Budget = Decimal
WarmPool = Annotated[int, Meta(ge=0, le=10)]
Ref = Annotated[str, Meta(min_length=1, max_length=64)]


class TemplateCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    title: Title
    description: Description = ""
    provider: CloudProvider
    level: Level
    allowed_regions: Regions
    allowed_services: Services
    resources: Resources = []
    tasks: Tasks
    time_limit_minutes: Minutes
    max_extension_minutes: Minutes = 0
    budget_cap_usd: Budget
    warm_pool_size: WarmPool = 0
    course_id: Ref | None = None

    def command(self) -> NewTemplate:
        return NewTemplate(
            title=self.title,
            description=self.description,
            provider=self.provider,
            level=self.level,
            allowed_regions=tuple(self.allowed_regions),
            allowed_services=tuple(self.allowed_services),
            resources=tuple(self.resources),
            tasks=tuple(self.tasks),
            time_limit_minutes=self.time_limit_minutes,
            max_extension_minutes=self.max_extension_minutes,
            budget_cap_usd=self.budget_cap_usd,
            warm_pool_size=self.warm_pool_size,
            course_id=self.course_id,
        )


class TemplateUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Only the fields sent change; ``course_id: null`` detaches the template."""

    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType = msgspec.UNSET
    provider: CloudProvider | msgspec.UnsetType = msgspec.UNSET
    level: Level | msgspec.UnsetType = msgspec.UNSET
    allowed_regions: Regions | msgspec.UnsetType = msgspec.UNSET
    allowed_services: Services | msgspec.UnsetType = msgspec.UNSET
    resources: Resources | msgspec.UnsetType = msgspec.UNSET
    tasks: Tasks | msgspec.UnsetType = msgspec.UNSET
    time_limit_minutes: Minutes | msgspec.UnsetType = msgspec.UNSET
    max_extension_minutes: Minutes | msgspec.UnsetType = msgspec.UNSET
    budget_cap_usd: Budget | msgspec.UnsetType = msgspec.UNSET
    warm_pool_size: WarmPool | msgspec.UnsetType = msgspec.UNSET
    course_id: Ref | msgspec.UnsetType | None = msgspec.UNSET

    def command(self) -> TemplateRevision:
        sent: dict[str, Any] = {
            name: tuple(value) if isinstance(value, list) else value
            for name in self.__struct_fields__
            if (value := getattr(self, name)) is not msgspec.UNSET
        }
        return TemplateRevision(**sent)


class SessionCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    template_id: Ref
    region: Region | None = None

    def command(self) -> LaunchRequest:
        return LaunchRequest(template_id=self.template_id, region=self.region)


class SessionExtension(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    minutes: Annotated[int, Meta(ge=1, le=8 * 60)]
