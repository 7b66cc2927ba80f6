"""Keys the notifications service uses for its SQS mail queue on the distributed profile's
moto server (IAM enforcement on): kept in the secrets folder while they still work, made
anew (an IAM user allowed SQS alone) when the server has forgotten them (it keeps
everything in memory). Prints ``KEY_ID SECRET``.

    python infra/distributed/mail_queue_keys.py http://127.0.0.1:5056 SECRETS_DIR
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import urllib.request
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

SQS_ONLY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}],
    }
)
# moto names an unknown caller's account by the key; any well-formed key does unchecked.
ANY_KEY = ("AKIAIOSFODNN7EXAMPLE", "unchecked")


def works(url: str, key_id: str, secret: str) -> bool:
    sqs = boto3.client(
        "sqs",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
    )
    try:
        sqs.list_queues()
    except (BotoCoreError, ClientError):
        return False
    return True


def made(url: str) -> tuple[str, str]:
    iam = boto3.client(
        "iam",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id=ANY_KEY[0],
        aws_secret_access_key=ANY_KEY[1],
    )
    request = urllib.request.Request(  # noqa: S310 - the profile's own moto URL
        f"{url}/moto-api/reset-auth",
        data=b"3",
        method="POST",
        headers={"Content-Type": "text/plain"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        answer.read()
    name = f"cmh-notifications-{secrets.token_hex(4)}"
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="sqs", PolicyDocument=SQS_ONLY)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def main() -> None:
    url, folder = sys.argv[1], Path(sys.argv[2])
    kept = folder / "notifications-sqs.keys"
    if kept.exists():
        key_id, secret = kept.read_text().split()
        if works(url, key_id, secret):
            print(key_id, secret)
            return
    key_id, secret = made(url)
    descriptor = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(f"{key_id} {secret}\n")
    print(key_id, secret)


if __name__ == "__main__":
    main()
