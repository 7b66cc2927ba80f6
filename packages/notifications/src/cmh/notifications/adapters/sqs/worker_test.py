"""Mail jobs on SQS (infra/local's moto): queued by one side, run by the worker; a
provider outage puts the job back with a growing backoff until it is sent; a job that
keeps failing is redriven to the dead-letter queue, never lost."""

from __future__ import annotations

import asyncio
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest

from cmh.notifications.adapters.sqs.mail_jobs import SqsMailJobs
from cmh.notifications.adapters.sqs.queues import MailQueues, ensure_mail_queues, sqs_client
from cmh.notifications.adapters.sqs.settings import MailQueueSettings
from cmh.notifications.adapters.sqs.worker import SqsMailWorker, backoff_seconds
from cmh.notifications.application.ports import MailJob, MailUnavailable
from cmh.notifications.application.send_mail import DeliveriesNotYetStored
from cmh_testing.notifications.moto import moto_url, sqs_operator

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    url = moto_url()
    try:
        with urllib.request.urlopen(f"{url}/moto-api/config", timeout=3):  # noqa: S310
            pass
    except (urllib.error.URLError, OSError) as error:
        pytest.fail(
            f"no moto server at {url} ({error}): run `bash infra/local/moto.sh`", pytrace=False
        )
    return sqs_operator(url)


@pytest.fixture
def settings(keys: tuple[str, str]) -> Iterator[MailQueueSettings]:
    name = f"cmh-test-mail-{secrets.token_hex(4)}"
    settings = MailQueueSettings(
        queue_name=name,
        dead_letter_queue_name=f"{name}-dead",
        endpoint_url=moto_url(),
        access_key_id=keys[0],
        secret_access_key=keys[1],
        visibility_timeout_seconds=1,
        first_backoff_seconds=1,
        max_backoff_seconds=2,
        max_receive_count=3,
        wait_seconds=1,
    )
    yield settings
    sqs = sqs_client(settings)
    for queue in (settings.queue_name, settings.dead_letter_queue_name):
        try:
            sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=queue)["QueueUrl"])
        except sqs.exceptions.QueueDoesNotExist:
            continue


class Provider:
    """Down for the first ``outages`` jobs it is given, then up."""

    def __init__(self, outages: int = 0, *, broken: bool = False) -> None:
        self.outages = outages
        self.broken = broken
        self.sent: list[MailJob] = []
        self.tries = 0

    async def __call__(self, job: MailJob) -> None:
        self.tries += 1
        if self.broken:
            raise RuntimeError("a bug in the job")
        if self.outages:
            self.outages -= 1
            raise MailUnavailable("503")
        self.sent.append(job)


def depth(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


async def run_until(worker: SqsMailWorker, done: Any, *, polls: int = 12) -> None:
    for _ in range(polls):
        await worker.poll_once()
        if done():
            return
        await asyncio.sleep(0.2)


async def test_a_job_is_sent_once_through_a_provider_outage(settings: MailQueueSettings) -> None:
    sqs = sqs_client(settings)
    queues: MailQueues = ensure_mail_queues(sqs, settings)
    await SqsMailJobs(sqs, queues).enqueue(MailJob(delivery_ids=["d1"]))
    provider = Provider(outages=2)
    worker = SqsMailWorker(sqs, queues, provider, settings)
    await run_until(worker, lambda: provider.sent)
    assert ([j.delivery_ids for j in provider.sent], provider.tries) == ([["d1"]], 3)
    assert depth(sqs, queues.url) == 0
    assert depth(sqs, queues.dead_letter_url) == 0


async def test_a_job_that_keeps_failing_is_redriven_to_the_dead_letter_queue(
    settings: MailQueueSettings,
) -> None:
    sqs = sqs_client(settings)
    queues = ensure_mail_queues(sqs, settings)
    await SqsMailJobs(sqs, queues).enqueue(MailJob(delivery_ids=["d2"]))
    provider = Provider(broken=True)
    worker = SqsMailWorker(sqs, queues, provider, settings)
    await run_until(worker, lambda: depth(sqs, queues.dead_letter_url) == 1, polls=20)
    assert depth(sqs, queues.dead_letter_url) == 1
    assert provider.tries == settings.max_receive_count


async def test_a_job_received_before_its_deliveries_were_committed_comes_back_at_once(
    settings: MailQueueSettings,
) -> None:
    sqs = sqs_client(settings)
    queues = ensure_mail_queues(sqs, settings)
    await SqsMailJobs(sqs, queues).enqueue(MailJob(delivery_ids=["d3"]))
    seen: list[str] = []

    async def committed_later(job: MailJob) -> None:
        seen.append(job.delivery_ids[0])
        if len(seen) == 1:
            raise DeliveriesNotYetStored("not yet")

    # A visibility timeout far longer than the test: only the quick return brings it back.
    patient = msgspec.structs.replace(settings, visibility_timeout_seconds=300)
    worker = SqsMailWorker(sqs, queues, committed_later, patient)
    await run_until(worker, lambda: len(seen) == 2)
    assert seen == ["d3", "d3"]
    assert depth(sqs, queues.url) == 0


def test_the_backoff_doubles_with_each_receive_up_to_its_cap() -> None:
    settings = MailQueueSettings(first_backoff_seconds=5, max_backoff_seconds=60)
    assert [backoff_seconds(n, settings) for n in range(1, 7)] == [5, 10, 20, 40, 60, 60]
