"""A local simulator of one Azure subscription, for the embedded profile.

It answers in memory the way Azure Resource Manager behaves where a lab depends on it:
resource groups carrying tags, resources of a type and a name inside a group, a service
principal whose role assignment is scoped to one group and whose secret expires, and an
"allowed locations" policy on that scope. Resource ids have ARM's shape
(``/subscriptions/<id>/resourceGroups/<group>/providers/<type>/<name>``).

The platform's calls (``AzureSubscription``) are those of its operator; a learner acts
through ``learner(client_id, secret)``, which checks the principal as Azure would.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

VIRTUAL_NETWORK = "Microsoft.Network/virtualNetworks"
STORAGE_ACCOUNT = "Microsoft.Storage/storageAccounts"
BLOB_CONTAINER = "Microsoft.Storage/storageAccounts/blobServices/containers"
VIRTUAL_MACHINE = "Microsoft.Compute/virtualMachines"


class AzureError(Exception):
    """An ARM error answer: ``code`` as Azure spells it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass
class AzureResource:
    type: str
    name: str
    location: str
    tags: dict[str, str] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class ResourceGroup:
    id: str
    name: str
    location: str
    tags: dict[str, str]
    resources: dict[tuple[str, str], AzureResource] = field(default_factory=dict)

    def resource_id(self, type_: str, name: str) -> str:
        return f"{self.id}/providers/{type_}/{name}"


@dataclass(frozen=True)
class ServicePrincipal:
    client_id: str
    secret: str = field(repr=False)
    tenant_id: str
    scope_group: str
    allowed_locations: frozenset[str]
    expires_at: datetime


class AzureSubscription:
    def __init__(
        self,
        subscription_id: str = "00000000-0000-4000-8000-000000000001",
        tenant_id: str = "00000000-0000-4000-8000-0000000000aa",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.subscription_id = subscription_id
        self.tenant_id = tenant_id
        self._clock = clock
        self._groups: dict[str, ResourceGroup] = {}
        self._principals: dict[str, ServicePrincipal] = {}
        self._lock = threading.RLock()

    # --- the operator ---------------------------------------------------------------

    def create_or_update_group(
        self, name: str, location: str, tags: dict[str, str]
    ) -> ResourceGroup:
        with self._lock:
            group = self._groups.get(name.lower())
            if group is None:
                group = ResourceGroup(
                    f"/subscriptions/{self.subscription_id}/resourceGroups/{name}",
                    name,
                    location,
                    dict(tags),
                )
                self._groups[name.lower()] = group
            else:
                group.tags = dict(tags)
            return group

    def group(self, name: str) -> ResourceGroup | None:
        with self._lock:
            return self._groups.get(name.lower())

    def groups(self) -> list[ResourceGroup]:
        with self._lock:
            return list(self._groups.values())

    def delete_group(self, name: str) -> None:
        """Deletes the group with everything in it (ARM answers 404 later: not an error
        here, since the platform's teardown repeats)."""
        with self._lock:
            self._groups.pop(name.lower(), None)

    def _existing_group(self, name: str) -> ResourceGroup:
        group = self.group(name)
        if group is None:
            raise AzureError(
                "ResourceGroupNotFound", f"Resource group '{name}' could not be found."
            )
        return group

    def put(self, group_name: str, resource: AzureResource) -> AzureResource:
        """Create or update (ARM's PUT): the same type and name is the same resource."""
        with self._lock:
            group = self._existing_group(group_name)
            key = (resource.type, resource.name.lower())
            existing = group.resources.get(key)
            if existing is not None:
                existing.tags = dict(resource.tags)
                existing.properties.update(resource.properties)
                return existing
            group.resources[key] = resource
            return resource

    def get(self, group_name: str, type_: str, name: str) -> AzureResource | None:
        with self._lock:
            group = self.group(group_name)
            return None if group is None else group.resources.get((type_, name.lower()))

    def delete(self, group_name: str, type_: str, name: str) -> None:
        with self._lock:
            group = self.group(group_name)
            if group is not None:
                group.resources.pop((type_, name.lower()), None)

    def create_principal(
        self, scope_group: str, allowed_locations: frozenset[str], lifetime: timedelta
    ) -> ServicePrincipal:
        """A new principal with the Contributor role on ``scope_group`` only; any earlier
        one of that scope is replaced (its secret stops working)."""
        with self._lock:
            self._existing_group(scope_group)
            self.delete_principals(scope_group)
            principal = ServicePrincipal(
                client_id=secrets.token_hex(16),
                secret=secrets.token_urlsafe(30),
                tenant_id=self.tenant_id,
                scope_group=scope_group.lower(),
                allowed_locations=allowed_locations,
                expires_at=self._clock() + lifetime,
            )
            self._principals[principal.client_id] = principal
            return principal

    def principals(self, scope_group: str) -> list[ServicePrincipal]:
        with self._lock:
            return [p for p in self._principals.values() if p.scope_group == scope_group.lower()]

    def delete_principals(self, scope_group: str) -> None:
        with self._lock:
            for principal in self.principals(scope_group):
                del self._principals[principal.client_id]

    # --- a learner --------------------------------------------------------------------

    def learner(self, client_id: str, secret: str) -> AzureLearner:
        return AzureLearner(self, client_id, secret)

    def authorize(self, client_id: str, secret: str, location: str | None) -> ResourceGroup:
        """The group a principal may change, as Azure AD and the policy would decide."""
        with self._lock:
            principal = self._principals.get(client_id)
            if principal is None or not secrets.compare_digest(principal.secret, secret):
                raise AzureError("InvalidAuthenticationToken", "The client secret is not valid.")
            if self._clock() >= principal.expires_at:
                raise AzureError("ExpiredAuthenticationToken", "The client secret has expired.")
            if location is not None and location not in principal.allowed_locations:
                raise AzureError(
                    "RequestDisallowedByPolicy",
                    f"Location '{location}' is not allowed by the lab's policy.",
                )
            return self._existing_group(principal.scope_group)


class AzureLearner:
    """What a learner's service principal may do in its resource group."""

    def __init__(self, subscription: AzureSubscription, client_id: str, secret: str) -> None:
        self._subscription = subscription
        self._client_id = client_id
        self._secret = secret

    def _group(self, location: str | None = None) -> ResourceGroup:
        return self._subscription.authorize(self._client_id, self._secret, location)

    def resources(self) -> list[AzureResource]:
        return list(self._group().resources.values())

    def create_container(self, account: str, name: str, versioning: bool = False) -> None:
        group = self._group()
        storage = self._subscription.get(group.name, STORAGE_ACCOUNT, account)
        if storage is None:
            raise AzureError("StorageAccountNotFound", f"No storage account '{account}'.")
        self._subscription.put(
            group.name,
            AzureResource(
                BLOB_CONTAINER,
                f"{account}/default/{name}",
                storage.location,
                properties={"versioning": versioning},
            ),
        )

    def create_virtual_machine(
        self,
        name: str,
        location: str,
        size: str,
        network_id: str,
        tags: dict[str, str] | None = None,
    ) -> None:
        group = self._group(location)
        self._subscription.put(
            group.name,
            AzureResource(
                VIRTUAL_MACHINE,
                name,
                location,
                dict(tags or {}),
                {"vmSize": size, "powerState": "running", "networkId": network_id},
            ),
        )

    def set_power_state(self, name: str, running: bool) -> None:
        group = self._group()
        machine = self._subscription.get(group.name, VIRTUAL_MACHINE, name)
        if machine is None:
            raise AzureError("ResourceNotFound", f"No virtual machine '{name}'.")
        machine.properties["powerState"] = "running" if running else "deallocated"
