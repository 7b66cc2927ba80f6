"""The platform's AWS operator on a moto server.

AWS gives the platform its operator credentials when it is deployed. A moto server with
IAM enforcement on knows no caller at all, so where moto stands in for AWS (local,
Compose, the Kubernetes overlay without an AWS account) the service makes an
administrator of the management account for itself when it starts
(``CMH_MOTO_OPERATOR=true``). Each process has its own; one that restarts after the moto
server did gets a new one.

moto's unchecked window is server-wide: when two processes open theirs at once (the API
and the worker starting together), one's requests use up the other's and it is refused.
The refused one waits a moment and tries again with a new user."""

from __future__ import annotations

import random
import time

import msgspec
from botocore.exceptions import ClientError

from cmh.apps.labs.settings import LabsServiceSettings
from cmh.kernel.settings import SettingsError
from cmh.labs.adapters.aws.clients import AwsCredentials
from cmh.labs.adapters.aws.moto_admin import MotoAdmin

ATTEMPTS = 8
# Refusals that mean another process took the unchecked window.
_WINDOW_TAKEN = {"InvalidClientTokenId", "AccessDenied", "InvalidAccessKeyId"}


def create_operator(endpoint_url: str, region: str) -> AwsCredentials:
    admin = MotoAdmin(endpoint_url)
    for attempt in range(1, ATTEMPTS):
        try:
            return admin.create_operator(region)
        except ClientError as error:
            if error.response["Error"]["Code"] not in _WINDOW_TAKEN:
                raise
        time.sleep(random.uniform(0.1, 0.5) * attempt)  # noqa: S311 (not a secret)
    return admin.create_operator(region)


def with_moto_operator(settings: LabsServiceSettings) -> LabsServiceSettings:
    """``settings`` with a new operator's keys when asked for, else unchanged."""
    aws = settings.labs.aws
    if not settings.moto_operator:
        return settings
    if not aws.endpoint_url:
        # AWS itself has no unchecked window to create a user through.
        raise SettingsError("CMH_MOTO_OPERATOR needs CMH_LABS__AWS__ENDPOINT_URL (the moto server)")
    credentials = create_operator(aws.endpoint_url, aws.region)
    aws = msgspec.structs.replace(
        aws,
        access_key_id=credentials.access_key_id,
        secret_access_key=credentials.secret_access_key,
    )
    return msgspec.structs.replace(settings, labs=msgspec.structs.replace(settings.labs, aws=aws))
