"""Templates and the JSON parts of sessions as documents: the application's tagged spec
Structs for resources and tasks, msgspec for the rest."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import msgspec

from cmh.labs.application.template_specs import (
    Resource,
    Task,
    resource_of,
    resource_spec,
    task_of,
    task_spec,
)
from cmh.labs.domain.checks import Grade
from cmh.labs.domain.session import Transition
from cmh.labs.domain.template import LabTemplate


class TemplateDocument(msgspec.Struct, frozen=True, kw_only=True):
    description: str
    allowed_regions: list[str]
    allowed_services: list[str]
    resources: list[Resource]
    tasks: list[Task]
    time_limit_seconds: int
    max_extension_seconds: int
    budget_cap_usd: str
    warm_pool_size: int


def template_document(template: LabTemplate) -> dict[str, Any]:
    document = TemplateDocument(
        description=template.description,
        allowed_regions=list(template.allowed_regions),
        allowed_services=list(template.allowed_services),
        resources=[resource_of(spec) for spec in template.resources],
        tasks=[task_of(spec) for spec in template.tasks],
        time_limit_seconds=int(template.time_limit.total_seconds()),
        max_extension_seconds=int(template.max_extension.total_seconds()),
        budget_cap_usd=str(template.budget_cap_usd),
        warm_pool_size=template.warm_pool_size,
    )
    built: dict[str, Any] = msgspec.to_builtins(document)
    return built


def template_from(row: Any) -> LabTemplate:
    document = msgspec.convert(row.document, TemplateDocument)
    return LabTemplate(
        id=row.id,
        owner_id=row.owner_id,
        title=row.title,
        description=document.description,
        provider=row.provider,
        level=row.level,
        allowed_regions=tuple(document.allowed_regions),
        allowed_services=tuple(document.allowed_services),
        resources=tuple(resource_spec(r) for r in document.resources),
        tasks=tuple(task_spec(t) for t in document.tasks),
        time_limit=timedelta(seconds=document.time_limit_seconds),
        max_extension=timedelta(seconds=document.max_extension_seconds),
        budget_cap_usd=Decimal(document.budget_cap_usd),
        warm_pool_size=document.warm_pool_size,
        course_id=row.course_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def history_document(history: list[Transition]) -> list[Any]:
    built: list[Any] = msgspec.to_builtins(history)
    return built


def history_from(document: list[Any]) -> list[Transition]:
    return msgspec.convert(document, list[Transition])


def grade_document(grade: Grade | None) -> Any:
    return None if grade is None else msgspec.to_builtins(grade)


def grade_from(document: Any) -> Grade | None:
    return None if document is None else msgspec.convert(document, Grade)
