"""The warm pool: environments provisioned ahead of time for a template, so a learner's
launch finds one ready instead of waiting for an account and its resources.

An environment is made under the id the session that claims it will carry (the cloud
knows an environment by that id), in the template's first region, from the template as it
was then. It serves one learner only: after use it is torn down and verified like every
session, and the pool provisions a fresh one. One whose template changed, or that the
pool no longer needs, is discarded (torn down) instead of handed out.

    provisioning -> ready -> claimed
    provisioning | ready -> discarded
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cmh.labs.domain.checks import Inventory
from cmh.labs.domain.errors import IllegalTransition
from cmh.labs.domain.template import (
    BucketSpec,
    CloudProvider,
    InstanceSpec,
    LabTemplate,
    NetworkSpec,
)


class WarmStatus(StrEnum):
    PROVISIONING = "provisioning"
    READY = "ready"
    CLAIMED = "claimed"
    DISCARDED = "discarded"


# The environments that count toward a pool (and hold, or will hold, cloud resources).
WAITING = frozenset({WarmStatus.PROVISIONING, WarmStatus.READY})


@dataclass
class WarmEnvironment:
    id: str
    template_id: str
    # The template's revision it was made from (its ``updated_at``).
    template_revision: datetime
    provider: CloudProvider
    region: str
    created_at: datetime
    status: WarmStatus = WarmStatus.PROVISIONING
    ready_at: datetime | None = None
    # When it was claimed or discarded.
    closed_at: datetime | None = None
    reason: str | None = None
    version: int = 0

    @classmethod
    def plan(cls, environment_id: str, template: LabTemplate, now: datetime) -> WarmEnvironment:
        return cls(
            id=environment_id,
            template_id=template.id,
            template_revision=template.updated_at,
            provider=template.provider,
            region=template.allowed_regions[0],
            created_at=now,
        )

    def fits(self, template: LabTemplate | None) -> bool:
        """Made from this revision of ``template``, in a region it still allows."""
        return (
            template is not None
            and template.id == self.template_id
            and template.updated_at == self.template_revision
            and self.region in template.allowed_regions
        )

    def _require(self, status: WarmStatus, doing: str) -> None:
        if self.status is not status:
            raise IllegalTransition(f"warm environment {self.id} is {self.status}; cannot {doing}")

    def mark_ready(self, now: datetime) -> None:
        self._require(WarmStatus.PROVISIONING, "be ready")
        self.status, self.ready_at = WarmStatus.READY, now

    def claim(self, now: datetime) -> None:
        self._require(WarmStatus.READY, "be claimed")
        self.status, self.closed_at, self.reason = WarmStatus.CLAIMED, now, "claimed"

    def discard(self, now: datetime, reason: str) -> None:
        if self.status not in WAITING:
            raise IllegalTransition(f"warm environment {self.id} is {self.status}; cannot discard")
        self.status, self.closed_at, self.reason = WarmStatus.DISCARDED, now, reason


@dataclass(frozen=True)
class PoolPlan:
    """What the pool of one template needs: environments to discard (with why) and how
    many to provision."""

    discard: tuple[tuple[WarmEnvironment, str], ...]
    provision: int


def plan_pool(template: LabTemplate | None, environments: Iterable[WarmEnvironment]) -> PoolPlan:
    """Discard what no longer fits the template (or exceeds its pool size, newest first,
    those still provisioning before those ready), then top the pool up to its size."""
    waiting = [e for e in environments if e.status in WAITING]
    size = template.warm_pool_size if template is not None else 0
    discard: list[tuple[WarmEnvironment, str]] = []
    fitting: list[WarmEnvironment] = []
    for environment in waiting:
        if environment.fits(template):
            fitting.append(environment)
        else:
            discard.append((environment, "template revised or removed"))
    # Keep the ready ones first, then the oldest.
    fitting.sort(key=lambda e: (e.status is not WarmStatus.READY, e.created_at, e.id))
    discard.extend((environment, "pool shrunk") for environment in fitting[size:])
    return PoolPlan(discard=tuple(discard), provision=max(0, size - len(fitting)))


def missing_resources(template: LabTemplate, inventory: Inventory) -> list[str]:
    """What the template makes at start that ``inventory`` lacks (an environment is
    handed out only when this is empty)."""
    buckets = [r.name for r in inventory.resources if r.kind == "bucket"]
    instances = sum(1 for r in inventory.resources if r.kind == "instance")
    missing: list[str] = []
    for spec in template.resources:
        if isinstance(spec, NetworkSpec) and inventory.session_network_id is None:
            missing.append("the network")
        elif isinstance(spec, BucketSpec):
            found = next((name for name in buckets if name.startswith(spec.name_prefix)), None)
            if found is None:
                missing.append(f"a {spec.name_prefix}* bucket")
            else:
                buckets.remove(found)
        elif isinstance(spec, InstanceSpec):
            if instances == 0:
                missing.append("an instance")
            instances -= 1
    return missing
