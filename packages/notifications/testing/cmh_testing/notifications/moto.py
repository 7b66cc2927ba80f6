"""An SQS operator on infra/local's moto server (IAM enforcement on): an IAM user allowed
SQS alone, created in the three requests moto lets through unchecked after
``/moto-api/reset-auth`` (as labs' ``MotoAdmin`` creates its operator)."""

from __future__ import annotations

import json
import os
import secrets
import urllib.request

import boto3

SQS_ONLY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}],
    }
)
# moto names an unknown caller's account by the key; any well-formed key does unchecked.
_ANY_KEY = ("AKIAIOSFODNN7EXAMPLE", "unchecked")


def moto_url() -> str:
    return os.environ.get("CMH_TEST_MOTO_URL", "http://127.0.0.1:5055").rstrip("/")


def sqs_operator(url: str, region: str = "us-east-1") -> tuple[str, str]:
    """A new key pair allowed every SQS action."""
    name = f"cmh-mail-{secrets.token_hex(4)}"
    iam = boto3.client(
        "iam",
        region_name=region,
        endpoint_url=url,
        aws_access_key_id=_ANY_KEY[0],
        aws_secret_access_key=_ANY_KEY[1],
    )
    request = urllib.request.Request(  # noqa: S310 - the configured moto URL
        f"{url}/moto-api/reset-auth",
        data=b"3",
        method="POST",
        headers={"Content-Type": "text/plain"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        answer.read()
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="sqs", PolicyDocument=SQS_ONLY)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]
