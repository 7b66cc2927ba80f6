"""The LabTemplate aggregate: what an instructor authors and every session starts from.

A template names the provider, where and with which services a learner may work, the
resources created at start, the tasks with their declarative checks, and the limits of
a session (time, extension, budget). Every rule is checked on the whole template, so a
revision cannot leave it in a state a creation would refuse.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cmh.kernel.domain_events import recorded_events
from cmh.labs.domain.checks import SESSION_TAG, BucketCheck, Check, InstanceCheck
from cmh.labs.domain.errors import InvalidTemplate
from cmh.labs.domain.events import TemplateCreated, TemplateRevised


class CloudProvider(StrEnum):
    AWS = "aws"
    AZURE = "azure"
    GCP = "gcp"


class Level(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


@dataclass(frozen=True)
class NetworkSpec:
    cidr: str = "10.0.0.0/16"
    subnet_cidr: str = "10.0.1.0/24"


@dataclass(frozen=True)
class BucketSpec:
    name_prefix: str
    versioning: bool = False


@dataclass(frozen=True)
class InstanceSpec:
    instance_type: str = "t3.micro"
    running: bool = False
    tags: tuple[tuple[str, str], ...] = ()


ResourceSpec = NetworkSpec | BucketSpec | InstanceSpec


@dataclass(frozen=True)
class TaskSpec:
    id: str
    title: str
    hint: str
    points: int
    check: Check


MIN_TIME_LIMIT = timedelta(minutes=15)
MAX_TIME_LIMIT = timedelta(hours=8)
MAX_WARM_POOL = 10
# The platform appends a per-session suffix of up to 23 characters to a bucket prefix,
# and a bucket name has at most 63.
MAX_BUCKET_PREFIX = 40

# The service prefixes a template may allow, per provider (IAM action prefixes on AWS,
# resource provider namespaces on Azure, API names on GCP).
PROVIDER_SERVICES: dict[CloudProvider, frozenset[str]] = {
    CloudProvider.AWS: frozenset(
        {"s3", "ec2", "iam", "sts", "cloudwatch", "logs", "lambda", "dynamodb", "sqs", "sns"}
    ),
    CloudProvider.AZURE: frozenset({"storage", "compute", "network", "resources", "monitor"}),
    CloudProvider.GCP: frozenset({"storage", "compute", "iam", "logging", "monitoring"}),
}
# Which service a resource kind needs, per provider.
_KIND_SERVICE: dict[CloudProvider, dict[str, str]] = {
    CloudProvider.AWS: {"network": "ec2", "bucket": "s3", "instance": "ec2"},
    CloudProvider.AZURE: {"network": "network", "bucket": "storage", "instance": "compute"},
    CloudProvider.GCP: {"network": "compute", "bucket": "storage", "instance": "compute"},
}
_REGION: dict[CloudProvider, re.Pattern[str]] = {
    CloudProvider.AWS: re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$"),
    CloudProvider.AZURE: re.compile(r"^[a-z][a-z0-9]{2,30}$"),
    CloudProvider.GCP: re.compile(r"^[a-z]+-[a-z]+\d+$"),
}
_INSTANCE_TYPE: dict[CloudProvider, re.Pattern[str]] = {
    CloudProvider.AWS: re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9]+$"),
    CloudProvider.AZURE: re.compile(r"^(Standard|Basic)_[A-Za-z0-9_]+$"),
    CloudProvider.GCP: re.compile(r"^[a-z][a-z0-9]*-[a-z0-9-]+$"),
}
_TASK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_BUCKET_PREFIX = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


def _fail(field_name: str, detail: str) -> InvalidTemplate:
    return InvalidTemplate(detail, field=field_name)


def bucket_prefix_problem(prefix: str, provider: CloudProvider) -> str | None:
    """Why ``prefix`` cannot start a bucket name (S3 naming rules), or None."""
    if not 1 <= len(prefix) <= MAX_BUCKET_PREFIX:
        return f"a bucket prefix has 1 to {MAX_BUCKET_PREFIX} characters"
    if not _BUCKET_PREFIX.match(prefix):
        return "a bucket prefix starts with a-z or 0-9 and has only a-z 0-9 . -"
    if ".." in prefix or ".-" in prefix or "-." in prefix:
        return "a bucket prefix has no '..', '.-' or '-.'"
    if prefix.startswith(("xn--", "sthree-", "amzn-s3-demo-")):
        return "a bucket prefix may not start with a reserved prefix (xn--, sthree-)"
    if provider is CloudProvider.AZURE and "." in prefix:
        return "an Azure container name has no dots"
    return None


def _check_bucket_prefix(prefix: str, provider: CloudProvider, field_name: str) -> None:
    problem = bucket_prefix_problem(prefix, provider)
    if problem is not None:
        raise _fail(field_name, f"{problem}: {prefix!r}")


def _resource_kind(resource: ResourceSpec | Check) -> str:
    if isinstance(resource, NetworkSpec):
        return "network"
    if isinstance(resource, BucketSpec | BucketCheck):
        return "bucket"
    return "instance"


def _check_service(template: LabTemplate, thing: ResourceSpec | Check, field_name: str) -> None:
    kind = _resource_kind(thing)
    service = _KIND_SERVICE[template.provider][kind]
    if service not in template.allowed_services:
        raise _fail(field_name, f"a {kind} needs the service {service!r} in allowed_services")


def _check_resource(template: LabTemplate, resource: ResourceSpec) -> None:
    _check_service(template, resource, "resources")
    if isinstance(resource, NetworkSpec):
        try:
            network = ipaddress.IPv4Network(resource.cidr)
            subnet = ipaddress.IPv4Network(resource.subnet_cidr)
        except ValueError as error:
            raise _fail("resources", f"a network needs IPv4 CIDR blocks: {error}") from error
        if not subnet.subnet_of(network):
            raise _fail("resources", "a network's subnet must lie inside its CIDR block")
    elif isinstance(resource, BucketSpec):
        _check_bucket_prefix(resource.name_prefix, template.provider, "resources")
    else:
        if not _INSTANCE_TYPE[template.provider].match(resource.instance_type):
            raise _fail(
                "resources",
                f"{resource.instance_type!r} is not a {template.provider} instance type",
            )
        if any(not key or key == SESSION_TAG for key, _ in resource.tags):
            raise _fail("resources", f"instance tag keys are non-empty and not {SESSION_TAG!r}")


def _check_task(template: LabTemplate, task: TaskSpec) -> None:
    if not _TASK_ID.match(task.id):
        raise _fail("tasks", f"a task id is 1-64 of a-z 0-9 _ - : {task.id!r}")
    if not task.title.strip():
        raise _fail("tasks", f"task {task.id} needs a title")
    if task.points <= 0:
        raise _fail("tasks", f"task {task.id} must be worth more than 0 points")
    _check_service(template, task.check, "tasks")
    if isinstance(task.check, BucketCheck):
        _check_bucket_prefix(task.check.name_prefix, template.provider, "tasks")
    elif isinstance(task.check, InstanceCheck) and not task.check.tags:
        raise _fail("tasks", f"task {task.id}: an instance check names at least one tag")


def _validate(template: LabTemplate) -> None:
    if not template.title:
        raise _fail("title", "a template needs a title")
    if len(template.title) > 200:
        raise _fail("title", "a title has at most 200 characters")
    if len(template.description) > 4000:
        raise _fail("description", "a description has at most 4000 characters")
    if not template.allowed_regions:
        raise _fail("allowed_regions", "a template allows at least one region")
    for region in template.allowed_regions:
        if not _REGION[template.provider].match(region):
            raise _fail("allowed_regions", f"{region!r} is not a {template.provider} region")
    if not template.allowed_services:
        raise _fail("allowed_services", "a template allows at least one service")
    unknown = set(template.allowed_services) - PROVIDER_SERVICES[template.provider]
    if unknown:
        raise _fail(
            "allowed_services",
            f"not {template.provider} services a lab may allow: {', '.join(sorted(unknown))}",
        )
    for resource in template.resources:
        _check_resource(template, resource)
    if not template.tasks:
        raise _fail("tasks", "a template has at least one task")
    task_ids = [task.id for task in template.tasks]
    if len(set(task_ids)) != len(task_ids):
        raise _fail("tasks", "task ids are unique within a template")
    for task in template.tasks:
        _check_task(template, task)
    if not MIN_TIME_LIMIT <= template.time_limit <= MAX_TIME_LIMIT:
        raise _fail("time_limit", "the time limit is 15 minutes to 8 hours")
    if not timedelta(0) <= template.max_extension <= template.time_limit:
        raise _fail("max_extension", "the extension is 0 up to the time limit")
    if not template.budget_cap_usd.is_finite() or template.budget_cap_usd <= 0:
        raise _fail("budget_cap_usd", "the budget cap is more than 0 USD")
    if not 0 <= template.warm_pool_size <= MAX_WARM_POOL:
        raise _fail("warm_pool_size", f"the warm pool holds 0 to {MAX_WARM_POOL} sessions")


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value.strip().lower() for value in values if value.strip()))


# What a revision may change; identity, ownership and timestamps are not among them.
_REVISABLE = (
    "title",
    "description",
    "provider",
    "level",
    "allowed_regions",
    "allowed_services",
    "resources",
    "tasks",
    "time_limit",
    "max_extension",
    "budget_cap_usd",
    "warm_pool_size",
    "course_id",
)


@dataclass
class LabTemplate:
    id: str
    owner_id: str
    title: str
    description: str
    provider: CloudProvider
    level: Level
    allowed_regions: tuple[str, ...]
    allowed_services: tuple[str, ...]
    resources: tuple[ResourceSpec, ...]
    tasks: tuple[TaskSpec, ...]
    time_limit: timedelta
    max_extension: timedelta
    budget_cap_usd: Decimal
    warm_pool_size: int
    course_id: str | None
    created_at: datetime
    updated_at: datetime
    # The stored revision this copy was read at (optimistic concurrency in the stores).
    version: int = 0
    events: list[Any] = recorded_events()

    def __post_init__(self) -> None:
        self.title = " ".join(self.title.split())
        self.description = self.description.strip()
        try:
            self.provider = CloudProvider(self.provider)
        except ValueError as error:
            raise _fail("provider", f"the provider is aws, azure or gcp: {error}") from error
        try:
            self.level = Level(self.level)
        except ValueError as error:
            raise _fail(
                "level", f"the level is beginner, intermediate or advanced: {error}"
            ) from error
        self.allowed_regions = _unique(tuple(self.allowed_regions))
        self.allowed_services = _unique(tuple(self.allowed_services))
        self.resources = tuple(self.resources)
        self.tasks = tuple(self.tasks)
        self.budget_cap_usd = Decimal(self.budget_cap_usd)

    @classmethod
    def create(
        cls,
        template_id: str,
        *,
        owner_id: str,
        title: str,
        description: str = "",
        provider: CloudProvider,
        level: Level,
        allowed_regions: tuple[str, ...],
        allowed_services: tuple[str, ...],
        resources: tuple[ResourceSpec, ...] = (),
        tasks: tuple[TaskSpec, ...],
        time_limit: timedelta,
        max_extension: timedelta = timedelta(0),
        budget_cap_usd: Decimal,
        warm_pool_size: int = 0,
        course_id: str | None = None,
        now: datetime,
    ) -> LabTemplate:
        template = cls(
            id=template_id,
            owner_id=owner_id,
            title=title,
            description=description,
            provider=provider,
            level=level,
            allowed_regions=allowed_regions,
            allowed_services=allowed_services,
            resources=resources,
            tasks=tasks,
            time_limit=time_limit,
            max_extension=max_extension,
            budget_cap_usd=budget_cap_usd,
            warm_pool_size=warm_pool_size,
            course_id=course_id,
            created_at=now,
            updated_at=now,
        )
        _validate(template)
        template.events.append(TemplateCreated(template_id, owner_id, str(template.provider), now))
        return template

    @property
    def max_score(self) -> int:
        return sum(task.points for task in self.tasks)

    def task(self, task_id: str) -> TaskSpec | None:
        return next((task for task in self.tasks if task.id == task_id), None)

    def revise(self, *, now: datetime, **changes: Any) -> bool:
        """Apply a patch: only the named fields change (``course_id=None`` detaches the
        template from its course). Records ``TemplateRevised`` and answers True only when
        something actually changed; the whole template is validated first."""
        unknown = set(changes) - set(_REVISABLE)
        if unknown:
            raise _fail(sorted(unknown)[0], "this field cannot be revised")
        for name, value in changes.items():
            if value is None and name != "course_id":
                raise _fail(name, f"{name} cannot be emptied")
        candidate = replace(self, **changes)
        _validate(candidate)
        changed = tuple(
            name for name in _REVISABLE if getattr(candidate, name) != getattr(self, name)
        )
        if not changed:
            return False
        for item in fields(self):
            if item.name in changed:
                setattr(self, item.name, getattr(candidate, item.name))
        self.updated_at = now
        self.events.append(TemplateRevised(self.id, changed, now))
        return True
