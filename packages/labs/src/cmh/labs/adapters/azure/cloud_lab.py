"""The ``CloudLab`` port on Azure, against the local subscription simulator: one resource
group per lab session, tagged with the session id, and a service principal scoped to it.

Buckets are blob containers in the session's storage account, networks virtual networks
(with one subnet), instances virtual machines (deallocated counts as stopped). Storage
account names are global, 3 to 24 lowercase letters and digits: ``cmh`` and 16 hex digits
of the session id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import timedelta

from cmh.labs.adapters.azure.simulator import (
    BLOB_CONTAINER,
    STORAGE_ACCOUNT,
    VIRTUAL_MACHINE,
    VIRTUAL_NETWORK,
    AzureResource,
    AzureSubscription,
    ResourceGroup,
)
from cmh.labs.application.ports import LabCredentials, ProvisionedLab
from cmh.labs.domain.checks import SESSION_TAG, Inventory, ObservedResource
from cmh.labs.domain.template import (
    BucketSpec,
    InstanceSpec,
    LabTemplate,
    NetworkSpec,
    ResourceSpec,
)

# Which of the template's resources an Azure resource is ("network", "bucket-0", ...).
RESOURCE_TAG = "cmh:resource"
NETWORK_NAME = "cmh-lab-network"
# Machines go before what they use; the group itself goes last.
_DELETION_ORDER = (VIRTUAL_MACHINE, BLOB_CONTAINER, STORAGE_ACCOUNT, VIRTUAL_NETWORK)
_KINDS = {
    VIRTUAL_NETWORK: "network",
    BLOB_CONTAINER: "bucket",
    VIRTUAL_MACHINE: "instance",
    STORAGE_ACCOUNT: "storage_account",
}


def group_name(session_id: str) -> str:
    return f"cmh-lab-{session_id}"


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()[:16]


def storage_account_name(session_id: str) -> str:
    return f"cmh{_digest(session_id)}"


class SimulatedAzureCloudLab:
    def __init__(self, subscription: AzureSubscription) -> None:
        self._subscription = subscription

    def _tags(self, session_id: str, resource: str) -> dict[str, str]:
        return {SESSION_TAG: session_id, RESOURCE_TAG: resource}

    def _put(
        self, group: ResourceGroup, session_id: str, spec: ResourceSpec, index: int, region: str
    ) -> None:
        network_id = group.resource_id(VIRTUAL_NETWORK, NETWORK_NAME)
        if isinstance(spec, NetworkSpec):
            resource = AzureResource(
                VIRTUAL_NETWORK,
                NETWORK_NAME,
                region,
                self._tags(session_id, "network"),
                {"addressSpace": spec.cidr, "subnets": {"default": spec.subnet_cidr}},
            )
        elif isinstance(spec, BucketSpec):
            account = storage_account_name(session_id)
            self._subscription.put(
                group.name,
                AzureResource(STORAGE_ACCOUNT, account, region, self._tags(session_id, "storage")),
            )
            resource = AzureResource(
                BLOB_CONTAINER,
                f"{account}/default/{spec.name_prefix}{_digest(session_id)}-{index}",
                region,
                self._tags(session_id, f"bucket-{index}"),
                {"versioning": spec.versioning},
            )
        else:
            resource = self._machine(session_id, spec, index, region, network_id)
        self._subscription.put(group.name, resource)

    def _machine(
        self, session_id: str, spec: InstanceSpec, index: int, region: str, network_id: str
    ) -> AzureResource:
        return AzureResource(
            VIRTUAL_MACHINE,
            f"cmh-lab-instance-{index}",
            region,
            dict(spec.tags) | self._tags(session_id, f"instance-{index}"),
            {
                "vmSize": spec.instance_type,
                "powerState": "running" if spec.running else "deallocated",
                "networkId": network_id,
            },
        )

    async def provision(
        self, session_id: str, template: LabTemplate, region: str
    ) -> ProvisionedLab:
        group = self._subscription.create_or_update_group(
            group_name(session_id), region, {SESSION_TAG: session_id}
        )
        for index, spec in enumerate(template.resources):
            self._put(group, session_id, spec, index, region)
        lifetime: timedelta = template.time_limit + template.max_extension
        principal = self._subscription.create_principal(
            group.name, frozenset(template.allowed_regions), lifetime
        )
        return ProvisionedLab(
            account_id=group.id,
            region=region,
            endpoint=None,
            console_url=None,
            credentials=LabCredentials(
                access_key_id=principal.client_id,
                secret_access_key=principal.secret,
                session_token=principal.tenant_id,
                expires_at=principal.expires_at,
            ),
        )

    def _observed(self, group: ResourceGroup, resource: AzureResource) -> ObservedResource:
        kind = _KINDS.get(resource.type, resource.type)
        attributes: dict[str, str | bool] = {}
        name = resource.name
        if kind == "network":
            name = group.resource_id(resource.type, resource.name)
        elif kind == "bucket":
            name = resource.name.rsplit("/", 1)[-1]
            attributes["versioning"] = bool(resource.properties.get("versioning", False))
        elif kind == "instance":
            power = resource.properties.get("powerState", "")
            attributes["state"] = "running" if power == "running" else "stopped"
            attributes["network_id"] = str(resource.properties.get("networkId", ""))
        return ObservedResource(kind, name, resource.location, dict(resource.tags), attributes)

    async def observe(self, session_id: str) -> Inventory:
        group = self._subscription.group(group_name(session_id))
        if group is None:
            return Inventory((), None)
        observed = tuple(
            self._observed(group, resource)
            for resource in list(group.resources.values())
            if resource.type in (VIRTUAL_NETWORK, BLOB_CONTAINER, VIRTUAL_MACHINE)
        )
        network_id = group.resource_id(VIRTUAL_NETWORK, NETWORK_NAME)
        has_network = any(r.kind == "network" and r.name == network_id for r in observed)
        return Inventory(observed, network_id if has_network else None)

    def _everything(self, group: ResourceGroup) -> tuple[ObservedResource, ...]:
        resources = tuple(self._observed(group, r) for r in list(group.resources.values()))
        principals = tuple(
            ObservedResource("service_principal", principal.client_id, group.location)
            for principal in self._subscription.principals(group.name)
        )
        return resources + principals

    async def inventory(self, session_id: str) -> tuple[ObservedResource, ...]:
        group = self._subscription.group(group_name(session_id))
        return () if group is None else self._everything(group)

    async def tear_down(self, session_id: str) -> None:
        group = self._subscription.group(group_name(session_id))
        if group is None:
            return
        for type_ in _DELETION_ORDER:
            for resource in [r for r in list(group.resources.values()) if r.type == type_]:
                self._subscription.delete(group.name, type_, resource.name)
        # The learner's access goes last, then the group itself.
        self._subscription.delete_principals(group.name)
        self._subscription.delete_group(group.name)

    async def orphans(self, active_session_ids: Collection[str]) -> list[str]:
        active = set(active_session_ids)
        return [
            session_id
            for group in self._subscription.groups()
            if (session_id := group.tags.get(SESSION_TAG)) is not None
            and session_id not in active
            and self._everything(group)
        ]
