"""A cloud that lives in memory, for the memory profile and tests: it provisions what a
template lists, lets a test act as the learner (``create``), keeps chosen resources
through a teardown (``stick``) to provoke a quarantine, and fails provisioning on demand.
Every operation may be repeated, like the real adapters'."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from cmh.kernel.clock import Clock
from cmh.kernel.errors import DependencyUnavailable
from cmh.labs.application.ports import CloudLab, LabCredentials, ProvisionedLab
from cmh.labs.domain.checks import SESSION_TAG, Inventory, ObservedResource
from cmh.labs.domain.template import (
    BucketSpec,
    CloudProvider,
    InstanceSpec,
    LabTemplate,
    NetworkSpec,
)

CREDENTIALS_LIFETIME = timedelta(hours=9)


class MemoryCloudLab:
    def __init__(self, clock: Clock, provider: CloudProvider = CloudProvider.AWS) -> None:
        self._clock = clock
        self.provider = provider
        self.environments: dict[str, dict[str, ObservedResource]] = {}
        self.networks: dict[str, str] = {}
        self.sticky: set[tuple[str, str]] = set()
        self.failing: set[str] = set()
        self.provisioned: list[str] = []
        self.torn_down: list[str] = []

    def _tagged(self, session_id: str, resource: ObservedResource) -> ObservedResource:
        tags = {**resource.tags, SESSION_TAG: session_id}
        return ObservedResource(
            resource.kind, resource.name, resource.region, tags, resource.attributes
        )

    def create(self, session_id: str, resource: ObservedResource) -> None:
        """What the learner does with the session's credentials."""
        environment = self.environments.setdefault(session_id, {})
        environment[resource.name] = self._tagged(session_id, resource)

    def stick(self, session_id: str, name: str) -> None:
        """``name`` survives teardowns until ``unstick``."""
        self.sticky.add((session_id, name))

    def unstick(self, session_id: str, name: str) -> None:
        self.sticky.discard((session_id, name))

    async def provision(
        self, session_id: str, template: LabTemplate, region: str
    ) -> ProvisionedLab:
        if session_id in self.failing:
            raise RuntimeError("the provider refused the account")
        self.provisioned.append(session_id)
        environment = self.environments.setdefault(session_id, {})
        network_id = self.networks.setdefault(session_id, f"vpc-{session_id}")
        for index, spec in enumerate(template.resources):
            if isinstance(spec, NetworkSpec):
                resource = ObservedResource("network", network_id, region)
            elif isinstance(spec, BucketSpec):
                resource = ObservedResource(
                    "bucket",
                    f"{spec.name_prefix}{session_id[:8]}",
                    region,
                    attributes={"versioning": spec.versioning},
                )
            else:
                assert isinstance(spec, InstanceSpec)
                resource = ObservedResource(
                    "instance",
                    f"i-{session_id[:8]}-{index}",
                    region,
                    tags=dict(spec.tags),
                    attributes={
                        "state": "running" if spec.running else "stopped",
                        "instance_type": spec.instance_type,
                        "network_id": network_id,
                    },
                )
            # Found again by name: a repeated provisioning makes nothing twice.
            environment.setdefault(resource.name, self._tagged(session_id, resource))
        now = self._clock.now()
        return ProvisionedLab(
            account_id=f"{abs(hash(session_id)) % 10**12:012d}",
            region=region,
            endpoint=None,
            console_url=None,
            credentials=LabCredentials(
                access_key_id=f"ASIA{session_id[:12].upper()}",
                secret_access_key=f"secret-{session_id}",
                session_token=f"token-{session_id}",
                expires_at=now + CREDENTIALS_LIFETIME,
            ),
        )

    async def observe(self, session_id: str) -> Inventory:
        return Inventory(
            resources=tuple(self.environments.get(session_id, {}).values()),
            session_network_id=self.networks.get(session_id),
        )

    async def inventory(self, session_id: str) -> tuple[ObservedResource, ...]:
        return tuple(self.environments.get(session_id, {}).values())

    async def tear_down(self, session_id: str) -> None:
        self.torn_down.append(session_id)
        environment = self.environments.get(session_id, {})
        for name in list(environment):
            if (session_id, name) not in self.sticky:
                del environment[name]
        if not environment:
            self.environments.pop(session_id, None)

    async def orphans(self, active_session_ids: Collection[str]) -> list[str]:
        return sorted(
            session_id
            for session_id, environment in self.environments.items()
            if environment and session_id not in active_session_ids
        )


class MemoryCloudLabs:
    """One ``MemoryCloudLab`` per provider."""

    def __init__(self, clock: Clock) -> None:
        self.clouds = {provider: MemoryCloudLab(clock, provider) for provider in CloudProvider}

    def providers(self) -> tuple[CloudProvider, ...]:
        return tuple(self.clouds)

    def for_provider(self, provider: CloudProvider) -> CloudLab:
        return self.lab(provider)

    def lab(self, provider: CloudProvider) -> MemoryCloudLab:
        cloud = self.clouds.get(provider)
        if cloud is None:
            raise DependencyUnavailable(f"no {provider} labs in this process")
        return cloud
