"""What an adapter observes in a session's cloud, and the pure evaluation of task checks.

Adapters list the live resources as ``ObservedResource``s (provider-neutral: a bucket is
a bucket on S3, Blob Storage or Cloud Storage); a task's check is a declarative predicate
over that inventory, so grading needs no cloud and no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmh.labs.domain.template import TaskSpec

# Every resource the platform creates carries this tag; its value is the session id.
SESSION_TAG = "cmh:session"


@dataclass(frozen=True)
class ObservedResource:
    """One live resource. ``kind`` is "network", "bucket" or "instance"; a network's id is
    its ``name``. Attributes: bucket "versioning" (bool); instance "state" ("running",
    "stopped", ...) and "network_id"."""

    kind: str
    name: str
    region: str
    tags: Mapping[str, str] = field(default_factory=dict)
    attributes: Mapping[str, str | bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Inventory:
    resources: tuple[ObservedResource, ...]
    session_network_id: str | None = None

    def of_kind(self, kind: str) -> tuple[ObservedResource, ...]:
        return tuple(resource for resource in self.resources if resource.kind == kind)


@dataclass(frozen=True)
class BucketCheck:
    """A bucket whose name starts with ``name_prefix`` exists (with versioning on or off
    when ``versioning`` says which)."""

    name_prefix: str
    versioning: bool | None = None


@dataclass(frozen=True)
class InstanceCheck:
    """An instance carrying all ``tags`` is in ``state`` (inside the session's network
    unless ``in_session_network`` is False)."""

    tags: tuple[tuple[str, str], ...]
    state: str = "running"
    in_session_network: bool = True


Check = BucketCheck | InstanceCheck


def _bucket_passes(check: BucketCheck, inventory: Inventory) -> bool:
    return any(
        bucket.name.startswith(check.name_prefix)
        and (
            check.versioning is None
            or bool(bucket.attributes.get("versioning", False)) is check.versioning
        )
        for bucket in inventory.of_kind("bucket")
    )


def _instance_passes(check: InstanceCheck, inventory: Inventory) -> bool:
    def matches(instance: ObservedResource) -> bool:
        if any(instance.tags.get(key) != value for key, value in check.tags):
            return False
        if instance.attributes.get("state") != check.state:
            return False
        if not check.in_session_network:
            return True
        network_id = inventory.session_network_id
        return network_id is not None and instance.attributes.get("network_id") == network_id

    return any(matches(instance) for instance in inventory.of_kind("instance"))


def passes(check: Check, inventory: Inventory) -> bool:
    if isinstance(check, BucketCheck):
        return _bucket_passes(check, inventory)
    return _instance_passes(check, inventory)


@dataclass(frozen=True)
class TaskResult:
    task_id: str
    title: str
    passed: bool
    points: int
    # The task's hint, only for a task that did not pass: a passed task needs none.
    hint: str | None


@dataclass(frozen=True)
class Grade:
    tasks: tuple[TaskResult, ...]
    score: int
    max_score: int

    @property
    def passed_task_ids(self) -> tuple[str, ...]:
        return tuple(result.task_id for result in self.tasks if result.passed)

    @property
    def all_passed(self) -> bool:
        return all(result.passed for result in self.tasks)


def grade(tasks: Iterable[TaskSpec], inventory: Inventory) -> Grade:
    results = tuple(
        TaskResult(
            task_id=task.id,
            title=task.title,
            passed=(ok := passes(task.check, inventory)),
            points=task.points,
            hint=None if ok else task.hint,
        )
        for task in tasks
    )
    return Grade(
        tasks=results,
        score=sum(result.points for result in results if result.passed),
        max_score=sum(result.points for result in results),
    )
