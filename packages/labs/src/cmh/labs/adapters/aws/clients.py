"""boto3 clients for one principal: the platform's operator or a role it assumed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

# Adaptive retries absorb throttling on the many small calls that provisioning makes.
_CONFIG = Config(retries={"max_attempts": 8, "mode": "adaptive"})


@dataclass(frozen=True)
class AwsCredentials:
    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class AwsClients:
    """Makes clients for one set of credentials (``None``: boto3's default chain)."""

    endpoint_url: str | None
    region: str
    credentials: AwsCredentials | None = None

    def client(self, service: str, region: str | None = None) -> Any:
        keys: dict[str, str | None] = {}
        if self.credentials is not None:
            keys = {
                "aws_access_key_id": self.credentials.access_key_id,
                "aws_secret_access_key": self.credentials.secret_access_key,
                "aws_session_token": self.credentials.session_token,
            }
        return boto3.client(
            service,
            region_name=region or self.region,
            endpoint_url=self.endpoint_url,
            config=_CONFIG,
            **keys,
        )

    def as_role(self, credentials: AwsCredentials, region: str | None = None) -> AwsClients:
        return AwsClients(self.endpoint_url, region or self.region, credentials)


def assume(
    clients: AwsClients, role_arn: str, session_name: str, seconds: int = 3600
) -> tuple[AwsCredentials, Any]:
    """Assume ``role_arn``; the credentials and their expiry (a datetime)."""
    answer = clients.client("sts").assume_role(
        RoleArn=role_arn, RoleSessionName=session_name, DurationSeconds=seconds
    )["Credentials"]
    credentials = AwsCredentials(
        answer["AccessKeyId"], answer["SecretAccessKey"], answer["SessionToken"]
    )
    return credentials, answer["Expiration"]
