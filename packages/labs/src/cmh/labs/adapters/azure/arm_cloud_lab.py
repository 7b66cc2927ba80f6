"""The ``CloudLab`` port on Azure through Microsoft's SDKs: one resource group per lab
session, tagged ``cmh:session``, created and deleted through Azure Resource Manager
(``azure-mgmt-resource``); the session's storage account holds the template's buckets as
blob containers (``azure-storage-blob``), and the learner's access is an account SAS of
that account that expires with the session.

Networks are virtual networks (one subnet), instances virtual machines attached to it
through a network interface, all created as ARM resources by id; a machine's power state
comes from its instance view (deallocated or stopped counts as stopped).

The SDK clients block, so every operation runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from typing import Any

from azure.core.credentials import TokenCredential
from azure.core.exceptions import ResourceNotFoundError
from azure.core.rest import HttpRequest
from azure.mgmt.resource.resources import ResourceManagementClient

from cmh.labs.adapters.azure.credentials import arm_credential
from cmh.labs.adapters.azure.settings import AzureLabSettings
from cmh.labs.adapters.azure.storage import STORAGE_ACCOUNTS, SessionStorage
from cmh.labs.application.ports import LabCredentials, ProvisionedLab
from cmh.labs.domain.checks import SESSION_TAG, Inventory, ObservedResource
from cmh.labs.domain.template import BucketSpec, InstanceSpec, LabTemplate, NetworkSpec

RESOURCE_TAG = "cmh:resource"
NETWORK_NAME = "cmh-lab-network"
SUBNET_NAME = "default"
NETWORK_API = "2024-05-01"
COMPUTE_API = "2024-07-01"
VIRTUAL_NETWORKS = "Microsoft.Network/virtualNetworks"
NETWORK_INTERFACES = "Microsoft.Network/networkInterfaces"
VIRTUAL_MACHINES = "Microsoft.Compute/virtualMachines"
_KINDS = {
    VIRTUAL_NETWORKS: "network",
    VIRTUAL_MACHINES: "instance",
    NETWORK_INTERFACES: "network_interface",
    STORAGE_ACCOUNTS: "storage_account",
}
_ARM_SCOPE = "https://management.azure.com/.default"


def group_name(session_id: str) -> str:
    return f"cmh-lab-{session_id}"


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()[:16]


def container_name(session_id: str, spec: BucketSpec, index: int) -> str:
    """Container names are 3 to 63 lowercase letters, digits and single hyphens."""
    return f"{spec.name_prefix}{_digest(session_id)}-{index}"


class AzureCloudLab:
    def __init__(
        self,
        settings: AzureLabSettings,
        credential: TokenCredential | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not settings.subscription_id:
            raise ValueError("AzureCloudLab needs CMH_LABS__AZURE__SUBSCRIPTION_ID")
        self._settings = settings
        self._clock = clock
        self._arm = ResourceManagementClient(
            credential or arm_credential(settings),
            settings.subscription_id,
            base_url=settings.arm_endpoint,
            credential_scopes=[_ARM_SCOPE],
            connection_verify=settings.ca_bundle or True,
        )
        self._storage = SessionStorage(
            self._arm, settings.blob_endpoint, settings.storage_pool, settings.poll_seconds
        )
        self._local = settings.arm_endpoint.rstrip("/") != "https://management.azure.com"

    @property
    def arm(self) -> ResourceManagementClient:
        return self._arm

    @property
    def settings(self) -> AzureLabSettings:
        return self._settings

    def _tags(self, session_id: str, resource: str) -> dict[str, str]:
        return {SESSION_TAG: session_id, RESOURCE_TAG: resource}

    def _group(self, session_id: str) -> Any | None:
        try:
            return self._arm.resource_groups.get(group_name(session_id))
        except ResourceNotFoundError:
            return None

    def _put(self, resource_id: str, api_version: str, body: dict[str, Any]) -> None:
        self._arm.resources.begin_create_or_update_by_id(
            resource_id,
            api_version=api_version,
            parameters=body,
            polling_interval=self._settings.poll_seconds,
        ).result()

    # --- provisioning -------------------------------------------------------------------

    def _network(self, group_id: str, session_id: str, spec: NetworkSpec, region: str) -> None:
        self._put(
            f"{group_id}/providers/{VIRTUAL_NETWORKS}/{NETWORK_NAME}",
            NETWORK_API,
            {
                "location": region,
                "tags": self._tags(session_id, "network"),
                "properties": {
                    "addressSpace": {"addressPrefixes": [spec.cidr]},
                    "subnets": [
                        {"name": SUBNET_NAME, "properties": {"addressPrefix": spec.subnet_cidr}}
                    ],
                },
            },
        )

    def _machine(
        self, group_id: str, session_id: str, spec: InstanceSpec, index: int, region: str
    ) -> None:
        name = f"cmh-lab-instance-{index}"
        nic_id = f"{group_id}/providers/{NETWORK_INTERFACES}/{name}-nic"
        subnet_id = f"{group_id}/providers/{VIRTUAL_NETWORKS}/{NETWORK_NAME}/subnets/{SUBNET_NAME}"
        tags = self._tags(session_id, f"instance-{index}")
        self._put(
            nic_id,
            NETWORK_API,
            {
                "location": region,
                "tags": tags,
                "properties": {
                    "ipConfigurations": [
                        {"name": "primary", "properties": {"subnet": {"id": subnet_id}}}
                    ]
                },
            },
        )
        machine_id = f"{group_id}/providers/{VIRTUAL_MACHINES}/{name}"
        self._put(
            machine_id,
            COMPUTE_API,
            {
                "location": region,
                "tags": dict(spec.tags) | tags,
                "properties": {
                    "hardwareProfile": {"vmSize": spec.instance_type},
                    "networkProfile": {"networkInterfaces": [{"id": nic_id}]},
                },
            },
        )
        # A new machine runs; a template's stopped one is deallocated (no compute billed).
        if not spec.running:
            self._action(machine_id, "deallocate")

    def _action(self, machine_id: str, action: str) -> None:
        response = self._arm.send_request(
            HttpRequest("POST", f"{machine_id}/{action}", params={"api-version": COMPUTE_API})
        )
        response.raise_for_status()

    def _provision(self, session_id: str, template: LabTemplate, region: str) -> ProvisionedLab:
        group = self._arm.resource_groups.create_or_update(
            group_name(session_id), {"location": region, "tags": {SESSION_TAG: session_id}}
        )
        group_id = str(group.id)
        account = self._storage.claim(
            group_id,
            group_name(session_id),
            f"cmh{_digest(session_id)}",
            region,
            self._tags(session_id, "storage"),
        )
        if any(isinstance(s, BucketSpec) and s.versioning for s in template.resources):
            self._storage.set_versioning(group_id, account, True)
        for spec in template.resources:
            if isinstance(spec, NetworkSpec):
                self._network(group_id, session_id, spec, region)
        for index, spec in enumerate(template.resources):
            if isinstance(spec, BucketSpec):
                self._storage.create_container(
                    group_id,
                    account,
                    container_name(session_id, spec, index),
                    self._tags(session_id, f"bucket-{index}"),
                )
            elif isinstance(spec, InstanceSpec):
                self._machine(group_id, session_id, spec, index, region)
        sas = self._storage.learner_sas(
            group_id, account, self._clock(), template.time_limit + template.max_extension
        )
        return ProvisionedLab(
            account_id=group_id,
            region=region,
            endpoint=self._storage.url(account),
            console_url=None
            if self._local
            else f"https://portal.azure.com/#@/resource{group_id}/overview",
            credentials=LabCredentials(
                access_key_id=account,
                secret_access_key=sas.token,
                session_token="",  # the SAS is the whole credential
                expires_at=sas.expires_at,
            ),
        )

    async def provision(
        self, session_id: str, template: LabTemplate, region: str
    ) -> ProvisionedLab:
        return await asyncio.to_thread(self._provision, session_id, template, region)

    # --- what is there ------------------------------------------------------------------

    def _network_of(self, machine_id: str) -> str:
        machine = self._arm.resources.get_by_id(machine_id, api_version=COMPUTE_API)
        interfaces = (
            (machine.properties or {}).get("networkProfile", {}).get("networkInterfaces", [])
        )
        if not interfaces:
            return ""
        nic = self._arm.resources.get_by_id(interfaces[0]["id"], api_version=NETWORK_API)
        configurations = (nic.properties or {}).get("ipConfigurations", [])
        if not configurations:
            return ""
        subnet = str(configurations[0]["properties"]["subnet"]["id"])
        return subnet.split("/subnets/")[0]

    def _power_state(self, machine_id: str) -> str:
        response = self._arm.send_request(
            HttpRequest("GET", f"{machine_id}/instanceView", params={"api-version": COMPUTE_API})
        )
        response.raise_for_status()
        codes = [str(s.get("code", "")) for s in response.json().get("statuses", [])]
        power = next((c.split("/", 1)[1] for c in codes if c.startswith("PowerState/")), "")
        return "running" if power == "running" else "stopped"

    def _resource(self, resource: Any) -> ObservedResource:
        kind = _KINDS.get(str(resource.type), str(resource.type))
        tags = dict(resource.tags or {})
        attributes: dict[str, str | bool] = {}
        name = str(resource.name)
        if kind == "network":
            name = str(resource.id)
        elif kind == "instance":
            attributes["state"] = self._power_state(str(resource.id))
            attributes["network_id"] = self._network_of(str(resource.id))
        return ObservedResource(kind, name, str(resource.location), tags, attributes)

    def _observed(self, session_id: str, group: Any) -> list[ObservedResource]:
        resources = list(self._arm.resources.list_by_resource_group(str(group.name)))
        observed = [self._resource(resource) for resource in resources]
        for account in (r for r in resources if r.type == STORAGE_ACCOUNTS):
            observed.extend(
                ObservedResource(
                    "bucket",
                    container.name,
                    str(account.location),
                    {SESSION_TAG: session_id} | container.tags,
                    {"versioning": container.versioning},
                )
                for container in self._storage.containers(str(group.id), str(account.name))
            )
        return observed

    def _observe(self, session_id: str) -> Inventory:
        group = self._group(session_id)
        if group is None:
            return Inventory((), None)
        checked = tuple(
            r
            for r in self._observed(session_id, group)
            if r.kind in ("network", "bucket", "instance")
        )
        network_id = f"{group.id}/providers/{VIRTUAL_NETWORKS}/{NETWORK_NAME}"
        has_network = any(r.kind == "network" and r.name == network_id for r in checked)
        return Inventory(checked, network_id if has_network else None)

    async def observe(self, session_id: str) -> Inventory:
        return await asyncio.to_thread(self._observe, session_id)

    def _inventory(self, session_id: str) -> tuple[ObservedResource, ...]:
        group = self._group(session_id)
        if group is None:
            return ()
        # The group itself is something left: an empty one still has to be deleted.
        itself = ObservedResource(
            "resource_group", str(group.name), str(group.location), dict(group.tags or {})
        )
        return (itself, *self._observed(session_id, group))

    async def inventory(self, session_id: str) -> tuple[ObservedResource, ...]:
        return await asyncio.to_thread(self._inventory, session_id)

    # --- teardown -----------------------------------------------------------------------

    def _tear_down(self, session_id: str) -> None:
        group = self._group(session_id)
        if group is None:
            return
        # Containers first: a local Blob service keeps them when ARM forgets the account
        # (its accounts are fixed); in Azure they go with the account, and the SAS with it.
        account = self._storage.account_in(str(group.name))
        if account is not None:
            self._storage.delete_containers(str(group.id), str(account.name))
        try:
            self._arm.resource_groups.begin_delete(
                str(group.name), polling_interval=self._settings.poll_seconds
            ).result()
        except ResourceNotFoundError:
            return

    async def tear_down(self, session_id: str) -> None:
        await asyncio.to_thread(self._tear_down, session_id)

    def _orphans(self, active_session_ids: Collection[str]) -> list[str]:
        active = set(active_session_ids)
        return [
            session_id
            for group in self._arm.resource_groups.list(filter=f"tagName eq '{SESSION_TAG}'")
            if (session_id := (group.tags or {}).get(SESSION_TAG)) is not None
            and session_id not in active
        ]

    async def orphans(self, active_session_ids: Collection[str]) -> list[str]:
        """Inactive sessions whose resource group still exists (an empty group is still
        something to delete)."""
        return await asyncio.to_thread(self._orphans, active_session_ids)
