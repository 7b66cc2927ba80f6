"""A lab session's storage account: claimed through Azure Resource Manager, its blob
containers (the template's buckets) through the Blob service, and the learner's account
SAS.

Blob versioning is a property of the account's blob service in ARM
(``blobServices/default``, ``isVersioningEnabled``), not of a container, and Azurite does
not implement versioning: every container of an account reports the account's setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from azure.core.rest import HttpRequest
from azure.mgmt.resource.resources import ResourceManagementClient
from azure.storage.blob import (
    AccountSasPermissions,
    BlobServiceClient,
    ResourceTypes,
    generate_account_sas,
)

from cmh.kernel.errors import DependencyUnavailable
from cmh.labs.domain.checks import SESSION_TAG

STORAGE_API = "2023-05-01"
STORAGE_ACCOUNTS = "Microsoft.Storage/storageAccounts"
# Container metadata names are C# identifiers: the platform's tags with ``_`` for ``:``.
_METADATA_OF_TAG = {SESSION_TAG: "cmh_session", "cmh:resource": "cmh_resource"}
_TAG_OF_METADATA = {value: key for key, value in _METADATA_OF_TAG.items()}


@dataclass(frozen=True)
class Container:
    name: str
    tags: dict[str, str]
    versioning: bool


@dataclass(frozen=True)
class LearnerSas:
    token: str
    expires_at: datetime


def _code(error: HttpResponseError) -> str:
    return getattr(error.error, "code", None) or ""


class SessionStorage:
    """The storage account of one resource group."""

    def __init__(
        self,
        arm: ResourceManagementClient,
        blob_endpoint: str,
        pool: Sequence[str],
        poll_seconds: float,
    ) -> None:
        self._arm = arm
        self._blob_endpoint = blob_endpoint
        self._pool = tuple(pool)
        self._poll_seconds = poll_seconds

    def account_in(self, group_name: str) -> Any | None:
        """The group's storage account resource (a ``GenericResourceExpanded``), if any."""
        try:
            resources = self._arm.resources.list_by_resource_group(group_name)
            return next((r for r in resources if r.type == STORAGE_ACCOUNTS), None)
        except ResourceNotFoundError:
            return None

    def _put_account(self, group_id: str, name: str, region: str, tags: dict[str, str]) -> bool:
        """True when the account is now the group's; False when the name is taken."""
        try:
            self._arm.resources.begin_create_or_update_by_id(
                f"{group_id}/providers/{STORAGE_ACCOUNTS}/{name}",
                api_version=STORAGE_API,
                parameters={
                    "location": region,
                    "tags": tags,
                    "kind": "StorageV2",
                    "sku": {"name": "Standard_LRS"},
                    "properties": {"allowBlobPublicAccess": False, "minimumTlsVersion": "TLS1_2"},
                },
                polling_interval=self._poll_seconds,
            ).result()
        except HttpResponseError as error:
            if _code(error) == "StorageAccountAlreadyTaken":
                return False
            raise
        return True

    def claim(
        self, group_id: str, group_name: str, own_name: str, region: str, tags: dict[str, str]
    ) -> str:
        """The group's account, created (or claimed from the local pool) when it has none.

        A pool account claimed anew may still hold containers of a session whose teardown
        stopped half-way: they are emptied before the new learner gets the account."""
        existing = self.account_in(group_name)
        if existing is not None:
            return str(existing.name)
        for name in self._pool or (own_name,):
            if self._put_account(group_id, name, region, tags):
                if self._pool:
                    self.delete_containers(group_id, name)
                return name
        raise DependencyUnavailable(
            "no storage account is free for a new lab session", code="lab_capacity_exhausted"
        )

    def _account_id(self, group_id: str, account: str) -> str:
        return f"{group_id}/providers/{STORAGE_ACCOUNTS}/{account}"

    def key(self, group_id: str, account: str) -> str:
        response = self._arm.send_request(
            HttpRequest(
                "POST",
                f"{self._account_id(group_id, account)}/listKeys",
                params={"api-version": STORAGE_API},
            )
        )
        response.raise_for_status()
        return str(response.json()["keys"][0]["value"])

    def url(self, account: str) -> str:
        return self._blob_endpoint.format(account=account)

    def _blobs(self, group_id: str, account: str) -> BlobServiceClient:
        key = self.key(group_id, account)
        return BlobServiceClient(
            self.url(account), credential={"account_name": account, "account_key": key}
        )

    def set_versioning(self, group_id: str, account: str, enabled: bool) -> None:
        self._arm.resources.begin_create_or_update_by_id(
            f"{self._account_id(group_id, account)}/blobServices/default",
            api_version=STORAGE_API,
            parameters={"properties": {"isVersioningEnabled": enabled}},
            polling_interval=self._poll_seconds,
        ).result()

    def versioning(self, group_id: str, account: str) -> bool:
        try:
            service = self._arm.resources.get_by_id(
                f"{self._account_id(group_id, account)}/blobServices/default",
                api_version=STORAGE_API,
            )
        except ResourceNotFoundError:
            return False
        return bool((service.properties or {}).get("isVersioningEnabled", False))

    def create_container(
        self, group_id: str, account: str, name: str, tags: dict[str, str]
    ) -> None:
        metadata = {_METADATA_OF_TAG.get(key, key): value for key, value in tags.items()}
        try:
            self._blobs(group_id, account).create_container(name, metadata=metadata)
        except ResourceExistsError:
            return

    def containers(self, group_id: str, account: str) -> list[Container]:
        versioning = self.versioning(group_id, account)
        return [
            Container(
                container.name,
                {
                    _TAG_OF_METADATA.get(key, key): value
                    for key, value in (container.metadata or {}).items()
                },
                versioning,
            )
            for container in self._blobs(group_id, account).list_containers(include_metadata=True)
        ]

    def delete_containers(self, group_id: str, account: str) -> None:
        blobs = self._blobs(group_id, account)
        for container in blobs.list_containers():
            try:
                blobs.delete_container(container.name)
            except ResourceNotFoundError:
                continue

    def learner_sas(
        self, group_id: str, account: str, now: datetime, lifetime: timedelta
    ) -> LearnerSas:
        """An account SAS over the session's account only (its containers and blobs: create,
        read, write, list, delete), valid from now until the session's latest end. Its
        expiry is read back from the token (``se``), as the Blob service will enforce it."""
        token = generate_account_sas(
            account,
            self.key(group_id, account),
            ResourceTypes(service=True, container=True, object=True),
            AccountSasPermissions(
                read=True, write=True, delete=True, list=True, add=True, create=True
            ),
            expiry=now + lifetime,
            start=now - timedelta(minutes=5),
        )
        expiry = parse_qs(token)["se"][0]
        return LearnerSas(token, datetime.fromisoformat(expiry.replace("Z", "+00:00")))
