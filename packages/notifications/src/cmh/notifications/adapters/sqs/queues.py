"""The SQS mail job queue and its dead-letter queue (redrive after ``max_receive_count``
receives), made when missing and given the configured settings when present."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from cmh.notifications.adapters.sqs.settings import MailQueueSettings

_CONFIG = Config(retries={"max_attempts": 5, "mode": "standard"})


class MailQueueClient:
    """The boto3 SQS client of the mail queue (a type of its own for the container)."""

    def __init__(self, client: Any) -> None:
        self.client = client


@dataclass(frozen=True)
class MailQueues:
    url: str
    dead_letter_url: str


def sqs_client(settings: MailQueueSettings) -> Any:
    keys: dict[str, str] = {}
    if settings.access_key_id and settings.secret_access_key:
        keys = {
            "aws_access_key_id": settings.access_key_id,
            "aws_secret_access_key": settings.secret_access_key,
        }
    return boto3.client(
        "sqs",
        region_name=settings.region,
        endpoint_url=settings.endpoint_url,
        config=_CONFIG,
        **keys,
    )


def _existing_or_create(sqs: Any, name: str, attributes: dict[str, str]) -> str:
    try:
        url: str = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        created: str = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        return created
    sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
    return url


def ensure_mail_queues(sqs: Any, settings: MailQueueSettings) -> MailQueues:
    dead_letter_url = _existing_or_create(
        sqs,
        settings.dead_letter_queue_name,
        {"MessageRetentionPeriod": str(settings.dead_letter_retention_seconds)},
    )
    dead_letter_arn = sqs.get_queue_attributes(
        QueueUrl=dead_letter_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    url = _existing_or_create(
        sqs,
        settings.queue_name,
        {
            "VisibilityTimeout": str(settings.visibility_timeout_seconds),
            "ReceiveMessageWaitTimeSeconds": str(settings.wait_seconds),
            "RedrivePolicy": json.dumps(
                {
                    "deadLetterTargetArn": dead_letter_arn,
                    "maxReceiveCount": str(settings.max_receive_count),
                }
            ),
        },
    )
    return MailQueues(url, dead_letter_url)
