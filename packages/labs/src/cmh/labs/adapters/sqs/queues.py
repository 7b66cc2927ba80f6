"""The job queue and its dead-letter queue, made when missing and found when present."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cmh.labs.adapters.aws.clients import AwsClients
from cmh.labs.adapters.sqs.settings import SqsJobSettings


@dataclass(frozen=True)
class JobQueues:
    url: str
    dead_letter_url: str


def _fifo(name: str) -> dict[str, str]:
    return {"FifoQueue": "true"} if name.endswith(".fifo") else {}


def _create(sqs: Any, name: str, attributes: dict[str, str]) -> str:
    url: str = sqs.create_queue(QueueName=name, Attributes=_fifo(name) | attributes)["QueueUrl"]
    return url


def _existing_or_create(sqs: Any, name: str, attributes: dict[str, str]) -> str:
    try:
        url: str = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return _create(sqs, name, attributes)
    # A queue made with other settings takes the configured ones (create_queue would
    # refuse it: it answers an existing queue only when every attribute is the same).
    sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
    return url


def ensure_job_queues(clients: AwsClients, settings: SqsJobSettings) -> JobQueues:
    sqs = clients.client("sqs")
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
    return JobQueues(url, dead_letter_url)
