"""The job queue against the moto server of infra/local (IAM enforcement on)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from cmh.labs.adapters.aws.clients import AwsClients
from cmh.labs.adapters.aws.conftest import moto_url
from cmh.labs.adapters.aws.moto_admin import MotoAdmin
from cmh.labs.adapters.sqs.settings import SqsJobSettings

__all__ = ["moto_url", "operator", "quick_settings"]


@pytest.fixture(scope="module")
def operator(moto_url: str) -> AwsClients:
    """The platform's clients; the server is not reset, since others may be using it."""
    return AwsClients(moto_url, "eu-west-1", MotoAdmin(moto_url).create_operator())


@pytest.fixture
def quick_settings(operator: AwsClients) -> Iterator[SqsJobSettings]:
    """Queues of their own per test, with timings a test can wait for; deleted after it
    so that the shared server does not fill up."""
    name = f"cmh-test-jobs-{secrets.token_hex(4)}"
    settings = SqsJobSettings(
        queue_name=f"{name}.fifo",
        dead_letter_queue_name=f"{name}-dead.fifo",
        visibility_timeout_seconds=1,
        max_receive_count=2,
        wait_seconds=1,
    )
    yield settings
    sqs = operator.client("sqs")
    for queue in (settings.queue_name, settings.dead_letter_queue_name):
        try:
            sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=queue)["QueueUrl"])
        except sqs.exceptions.QueueDoesNotExist:
            continue
