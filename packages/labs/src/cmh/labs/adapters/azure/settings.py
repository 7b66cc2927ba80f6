"""Settings of the Azure lab adapter (``CMH_LABS__AZURE__*``)."""

from __future__ import annotations

import msgspec


class AzureLabSettings(msgspec.Struct, frozen=True):
    """Where Azure Resource Manager and Blob Storage answer and who the platform is there.

    Without a ``subscription_id`` the process has no Azure adapter (the simulator serves
    Azure labs). The operator signs in with a service principal (``tenant_id``,
    ``client_id``, ``client_secret``, through azure-identity) or, for a local Resource
    Manager, with the fixed bearer token ``arm_token``; ``ca_bundle`` is the CA a local
    Resource Manager's TLS certificate is signed by. ``storage_accounts`` lists the
    accounts a local Blob service has (Azurite's are fixed at its start, comma-separated):
    a session claims a free one; empty, each session gets an account of its own name.
    """

    subscription_id: str | None = None
    arm_endpoint: str = "https://management.azure.com"
    tenant_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    arm_token: str | None = None
    ca_bundle: str | None = None
    # {account} is the storage account's name.
    blob_endpoint: str = "https://{account}.blob.core.windows.net"
    storage_accounts: str = ""
    # Seconds between polls of a long-running operation (a resource group's deletion).
    poll_seconds: float = 5.0

    @property
    def storage_pool(self) -> tuple[str, ...]:
        return tuple(name.strip() for name in self.storage_accounts.split(",") if name.strip())
