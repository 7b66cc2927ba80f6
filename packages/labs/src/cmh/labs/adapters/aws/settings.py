"""Settings of the AWS lab adapter (``CMH_LABS__AWS__*``)."""

from __future__ import annotations

import msgspec


class AwsLabSettings(msgspec.Struct, frozen=True):
    """Where the organization's management account answers and who the platform is there.

    ``endpoint_url`` is set for a local moto server and empty for AWS itself. Without an
    access key the operator's credentials come from boto3's usual chain."""

    endpoint_url: str | None = None
    region: str = "us-east-1"
    access_key_id: str | None = None
    secret_access_key: str | None = None
    # Member accounts need a unique e-mail each: lab+<session id>@<this domain>.
    account_email_domain: str = "labs.cmh.example"
    # How long the learner's STS credentials last at most (AWS allows 12 hours).
    max_credential_seconds: int = 12 * 3600
