"""The platform's Azure Resource Manager credential, from the adapter's settings."""

from __future__ import annotations

import time
from typing import Any

from azure.core.credentials import AccessToken, TokenCredential
from azure.identity import ClientSecretCredential

from cmh.kernel.errors import DependencyUnavailable
from cmh.labs.adapters.azure.settings import AzureLabSettings

# A fixed token is renewed as often as a real one (an hour), so a client never holds a
# token that it believes expired.
_TOKEN_SECONDS = 3600


class StaticTokenCredential:
    """A bearer token that never changes: what a local Resource Manager accepts."""

    def __init__(self, token: str) -> None:
        self._token = token

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken(self._token, int(time.time()) + _TOKEN_SECONDS)


def arm_credential(settings: AzureLabSettings) -> TokenCredential:
    if settings.tenant_id and settings.client_id and settings.client_secret:
        return ClientSecretCredential(
            settings.tenant_id, settings.client_id, settings.client_secret
        )
    if settings.arm_token:
        return StaticTokenCredential(settings.arm_token)
    raise DependencyUnavailable(
        "Azure labs need CMH_LABS__AZURE__TENANT_ID, CLIENT_ID and CLIENT_SECRET "
        "(or ARM_TOKEN for a local Resource Manager)",
        code="lab_provider_unavailable",
    )
