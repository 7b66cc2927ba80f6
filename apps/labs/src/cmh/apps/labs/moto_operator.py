"""The platform's AWS operator on a local moto server.

AWS gives the platform its operator credentials when it is deployed; a fresh moto server
with IAM enforcement knows no caller at all, so `make up-distributed` asks this command
for an administrator of the management account and hands its keys to the labs API and
worker. Only the endpoint is read from the environment: the vault key is not needed."""

from __future__ import annotations

import os

from cmh.kernel.settings import SettingsError
from cmh.labs.adapters.aws.moto_admin import MotoAdmin

ENDPOINT_VARIABLE = "CMH_LABS__AWS__ENDPOINT_URL"


def operator_environment(endpoint_url: str) -> list[str]:
    """``KEY=VALUE`` lines of a new operator on the moto server at ``endpoint_url``."""
    credentials = MotoAdmin(endpoint_url).create_operator()
    return [
        f"CMH_LABS__AWS__ACCESS_KEY_ID={credentials.access_key_id}",
        f"CMH_LABS__AWS__SECRET_ACCESS_KEY={credentials.secret_access_key}",
    ]


def print_moto_operator() -> None:
    endpoint_url = os.environ.get(ENDPOINT_VARIABLE, "")
    if not endpoint_url:
        # AWS itself has no unchecked window to create a user through.
        raise SettingsError(f"set {ENDPOINT_VARIABLE} to the moto server's URL")
    print("\n".join(operator_environment(endpoint_url)), flush=True)
