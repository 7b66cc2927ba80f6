"""What a local moto server needs that AWS itself has from the start.

With IAM enforcement on (``INITIAL_NO_AUTH_ACTION_COUNT=0``, see infra/local/moto.sh) moto
checks every request against the caller's IAM policies, and a fresh server knows no
caller. Two things are set up through moto's ``/moto-api/reset-auth``, which lets the next
N requests through unchecked:

- the platform's operator: an IAM user with an administrator policy in the management
  account (AWS: the credentials the platform is deployed with);
- the administrator policy of a new member account's ``OrganizationAccountAccessRole``,
  which AWS attaches when it creates the account and moto does not.

The unchecked window is server-wide: any other request in that instant passes unchecked
too (and uses up the window), from this process or another (the labs APIs, the worker, a
restarted instance making its operator). The lock keeps two windows of this process apart,
and the role's policy is retried, after a growing random pause, while other requests take
its window: three tries were not enough with two labs APIs and a worker busy on one
server. AWS has no such window.
"""

from __future__ import annotations

import json
import random
import secrets
import threading
import time
import urllib.request

from botocore.exceptions import ClientError

from cmh.labs.adapters.aws.clients import AwsClients, AwsCredentials

ADMINISTRATOR_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
)
ORGANIZATION_ROLE = "OrganizationAccountAccessRole"
# moto identifies an unknown caller's account by the key; any well-formed key will do
# while checks are off.
_ANY_KEY = AwsCredentials("AKIAIOSFODNN7EXAMPLE", "unchecked")
_ATTEMPTS = 10


class MotoAdmin:
    def __init__(self, endpoint_url: str) -> None:
        self._endpoint_url = endpoint_url.rstrip("/")
        self._lock = threading.Lock()

    def _post(self, path: str, body: bytes = b"") -> None:
        request = urllib.request.Request(  # noqa: S310 (the configured moto URL)
            self._endpoint_url + path,
            data=body,
            method="POST",
            # moto reads the raw body; a form content type would hide it.
            headers={"Content-Type": "text/plain"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            answer.read()

    def reset(self) -> None:
        """Forget every account and resource (the server's state, not its settings)."""
        self._post("/moto-api/reset")

    def _unchecked(self, requests: int) -> None:
        self._post("/moto-api/reset-auth", str(requests).encode())

    def create_operator(self, region: str = "us-east-1") -> AwsCredentials:
        """A new administrator of the management account, in exactly three requests."""
        name = f"cmh-platform-{secrets.token_hex(4)}"
        iam = AwsClients(self._endpoint_url, region, _ANY_KEY).client("iam")
        with self._lock:
            self._unchecked(3)
            iam.create_user(UserName=name)
            iam.put_user_policy(
                UserName=name, PolicyName="administrator", PolicyDocument=ADMINISTRATOR_POLICY
            )
            key = iam.create_access_key(UserName=name)["AccessKey"]
        return AwsCredentials(key["AccessKeyId"], key["SecretAccessKey"])

    def grant_organization_role(self, member: AwsClients, account_id: str) -> None:
        """Give the member account's ``OrganizationAccountAccessRole`` (assumed in
        ``member``) the administrator policy AWS gives it, unless it has it already.
        (``account_id`` is not needed over HTTP: ``member`` is inside the account.)"""
        iam = member.client("iam")
        try:
            iam.get_role_policy(RoleName=ORGANIZATION_ROLE, PolicyName="administrator")
        except ClientError as error:
            if error.response["Error"]["Code"] not in ("AccessDenied", "NoSuchEntity"):
                raise
        else:
            return
        for attempt in range(_ATTEMPTS):
            with self._lock:
                self._unchecked(1)
                try:
                    iam.put_role_policy(
                        RoleName=ORGANIZATION_ROLE,
                        PolicyName="administrator",
                        PolicyDocument=ADMINISTRATOR_POLICY,
                    )
                except ClientError as error:
                    code = error.response["Error"]["Code"]
                    if code != "AccessDenied" or attempt == _ATTEMPTS - 1:
                        raise
                else:
                    return
            # Out of the lock: the requests that took the window finish meanwhile.
            time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))  # noqa: S311 - not a secret
