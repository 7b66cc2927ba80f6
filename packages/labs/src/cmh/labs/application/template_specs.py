"""A template's resources and checks as tagged msgspec Structs: the shape the API reads
and answers and the stores keep, translated to and from the domain's specs here only."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from cmh.labs.domain.checks import BucketCheck, Check, InstanceCheck
from cmh.labs.domain.template import (
    BucketSpec,
    InstanceSpec,
    NetworkSpec,
    ResourceSpec,
    TaskSpec,
)

Tag = tuple[Annotated[str, Meta(max_length=128)], Annotated[str, Meta(max_length=256)]]


class NetworkResource(msgspec.Struct, frozen=True, kw_only=True, tag="network"):
    cidr: str = "10.0.0.0/16"
    subnet_cidr: str = "10.0.1.0/24"


class BucketResource(msgspec.Struct, frozen=True, kw_only=True, tag="bucket"):
    name_prefix: Annotated[str, Meta(min_length=1, max_length=63)]
    versioning: bool = False


class InstanceResource(msgspec.Struct, frozen=True, kw_only=True, tag="instance"):
    instance_type: Annotated[str, Meta(min_length=1, max_length=64)] = "t3.micro"
    running: bool = False
    tags: Annotated[list[Tag], Meta(max_length=20)] = []


Resource = NetworkResource | BucketResource | InstanceResource


class BucketTaskCheck(msgspec.Struct, frozen=True, kw_only=True, tag="bucket"):
    name_prefix: Annotated[str, Meta(min_length=1, max_length=63)]
    versioning: bool | None = None


class InstanceTaskCheck(msgspec.Struct, frozen=True, kw_only=True, tag="instance"):
    tags: Annotated[list[Tag], Meta(max_length=20)]
    state: Annotated[str, Meta(min_length=1, max_length=32)] = "running"
    in_session_network: bool = True


TaskCheck = BucketTaskCheck | InstanceTaskCheck


class Task(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[str, Meta(min_length=1, max_length=64)]
    title: Annotated[str, Meta(min_length=1, max_length=200)]
    hint: Annotated[str, Meta(max_length=1000)] = ""
    points: Annotated[int, Meta(ge=1, le=1000)] = 10
    check: TaskCheck


def resource_spec(resource: Resource) -> ResourceSpec:
    if isinstance(resource, NetworkResource):
        return NetworkSpec(cidr=resource.cidr, subnet_cidr=resource.subnet_cidr)
    if isinstance(resource, BucketResource):
        return BucketSpec(name_prefix=resource.name_prefix, versioning=resource.versioning)
    return InstanceSpec(
        instance_type=resource.instance_type,
        running=resource.running,
        tags=tuple((key, value) for key, value in resource.tags),
    )


def resource_of(spec: ResourceSpec) -> Resource:
    if isinstance(spec, NetworkSpec):
        return NetworkResource(cidr=spec.cidr, subnet_cidr=spec.subnet_cidr)
    if isinstance(spec, BucketSpec):
        return BucketResource(name_prefix=spec.name_prefix, versioning=spec.versioning)
    return InstanceResource(
        instance_type=spec.instance_type, running=spec.running, tags=list(spec.tags)
    )


def task_spec(task: Task) -> TaskSpec:
    check: Check
    if isinstance(task.check, BucketTaskCheck):
        check = BucketCheck(name_prefix=task.check.name_prefix, versioning=task.check.versioning)
    else:
        check = InstanceCheck(
            tags=tuple((key, value) for key, value in task.check.tags),
            state=task.check.state,
            in_session_network=task.check.in_session_network,
        )
    return TaskSpec(id=task.id, title=task.title, hint=task.hint, points=task.points, check=check)


def task_of(spec: TaskSpec) -> Task:
    check: TaskCheck
    if isinstance(spec.check, BucketCheck):
        check = BucketTaskCheck(
            name_prefix=spec.check.name_prefix, versioning=spec.check.versioning
        )
    else:
        check = InstanceTaskCheck(
            tags=list(spec.check.tags),
            state=spec.check.state,
            in_session_network=spec.check.in_session_network,
        )
    return Task(id=spec.id, title=spec.title, hint=spec.hint, points=spec.points, check=check)
