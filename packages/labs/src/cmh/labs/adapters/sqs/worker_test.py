"""Jobs through a FIFO queue on moto: delivered, retried, parked in the dead-letter queue."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from cmh.labs.adapters.aws.clients import AwsClients
from cmh.labs.adapters.sqs.lab_jobs import SqsLabJobs
from cmh.labs.adapters.sqs.queues import JobQueues, ensure_job_queues
from cmh.labs.adapters.sqs.settings import SqsJobSettings
from cmh.labs.adapters.sqs.worker import SqsJobWorker
from cmh.labs.application.ports import JobKind, LabJob, LabJobs

pytestmark = pytest.mark.integration

PROVISION = LabJob(kind=JobKind.PROVISION, session_id="s-1")
TEARDOWN = LabJob(kind=JobKind.TEARDOWN, session_id="s-1")


class RecordingHandler:
    """Records every job it is given; fails the first ``failures`` calls."""

    def __init__(self, failures: int = 0) -> None:
        self.jobs: list[LabJob] = []
        self._failures = failures

    async def __call__(self, job: LabJob) -> None:
        self.jobs.append(job)
        if len(self.jobs) <= self._failures:
            raise RuntimeError("the cloud did not answer")


def _counts(operator: AwsClients, url: str) -> tuple[int, int]:
    """Messages waiting, and messages received but not deleted."""
    attributes = operator.client("sqs").get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return (
        int(attributes["ApproximateNumberOfMessages"]),
        int(attributes["ApproximateNumberOfMessagesNotVisible"]),
    )


def _parked(operator: AwsClients, queues: JobQueues) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = (
        operator.client("sqs")
        .receive_message(QueueUrl=queues.dead_letter_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        .get("Messages", [])
    )
    return messages


def _wait_out_visibility(settings: SqsJobSettings) -> Any:
    return asyncio.sleep(settings.visibility_timeout_seconds + 0.2)


async def test_the_queues_have_the_redrive_policy_and_long_polling(
    operator: AwsClients, quick_settings: SqsJobSettings
) -> None:
    queues = ensure_job_queues(operator, quick_settings)
    again = ensure_job_queues(operator, quick_settings)

    assert again == queues
    attributes = operator.client("sqs").get_queue_attributes(
        QueueUrl=queues.url, AttributeNames=["All"]
    )["Attributes"]
    dead_letter_arn = operator.client("sqs").get_queue_attributes(
        QueueUrl=queues.dead_letter_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    assert attributes["FifoQueue"] == "true"
    assert attributes["VisibilityTimeout"] == "1"
    assert attributes["ReceiveMessageWaitTimeSeconds"] == "1"
    policy = json.loads(attributes["RedrivePolicy"])
    assert policy["deadLetterTargetArn"] == dead_letter_arn
    assert int(policy["maxReceiveCount"]) == 2


async def test_changed_settings_reach_an_existing_queue(
    operator: AwsClients, quick_settings: SqsJobSettings
) -> None:
    queues = ensure_job_queues(operator, quick_settings)
    longer = SqsJobSettings(
        queue_name=quick_settings.queue_name,
        dead_letter_queue_name=quick_settings.dead_letter_queue_name,
        visibility_timeout_seconds=30,
        max_receive_count=4,
    )

    assert ensure_job_queues(operator, longer) == queues
    attributes = operator.client("sqs").get_queue_attributes(
        QueueUrl=queues.url, AttributeNames=["VisibilityTimeout", "RedrivePolicy"]
    )["Attributes"]
    assert attributes["VisibilityTimeout"] == "30"
    assert int(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"]) == 4


async def test_an_enqueued_job_is_handled_once_and_deleted(
    operator: AwsClients, quick_settings: SqsJobSettings
) -> None:
    queues = ensure_job_queues(operator, quick_settings)
    jobs: LabJobs = SqsLabJobs(operator, queues)
    handler = RecordingHandler()
    worker = SqsJobWorker(operator, queues, handler, quick_settings)

    await jobs.enqueue(PROVISION)
    await jobs.enqueue(PROVISION)  # the same job again: deduplicated
    assert await worker.poll_once() == 1
    await _wait_out_visibility(quick_settings)
    assert await worker.poll_once() == 0

    assert handler.jobs == [PROVISION]
    assert _counts(operator, queues.url) == (0, 0)
    assert _parked(operator, queues) == []


async def test_a_session_s_jobs_run_in_the_order_they_were_enqueued(
    operator: AwsClients, quick_settings: SqsJobSettings
) -> None:
    queues = ensure_job_queues(operator, quick_settings)
    jobs = SqsLabJobs(operator, queues)
    handler = RecordingHandler()
    worker = SqsJobWorker(operator, queues, handler, quick_settings)
    other = LabJob(kind=JobKind.PROVISION, session_id="s-2")

    for job in (PROVISION, other, TEARDOWN):
        await jobs.enqueue(job)
    while await worker.poll_once():
        pass

    assert sorted(handler.jobs, key=lambda job: job.session_id) == [PROVISION, TEARDOWN, other]
    assert handler.jobs.index(PROVISION) < handler.jobs.index(TEARDOWN)
    assert _counts(operator, queues.url) == (0, 0)


async def test_jobs_of_different_sessions_run_side_by_side(
    operator: AwsClients, quick_settings: SqsJobSettings
) -> None:
    queues = ensure_job_queues(operator, quick_settings)
    jobs = SqsLabJobs(operator, queues)
    started: list[LabJob] = []
    both_started = asyncio.Event()

    async def waits_for_the_other(job: LabJob) -> None:
        started.append(job)
        if len(started) == 2:
            both_started.set()
        # One at a time, the first would wait here for ever.
        await asyncio.wait_for(both_started.wait(), timeout=5)

    await jobs.enqueue(PROVISION)
    await jobs.enqueue(LabJob(kind=JobKind.PROVISION, session_id="s-2"))
    worker = SqsJobWorker(operator, queues, waits_for_the_other, quick_settings)
    handled = 0
    while handled < 2:
        handled += await worker.poll_once()

    assert sorted(job.session_id for job in started) == ["s-1", "s-2"]  # none failed
    assert _counts(operator, queues.url) == (0, 0)


async def test_a_failed_job_is_received_again_after_the_visibility_timeout(
    operator: AwsClients, quick_settings: SqsJobSettings
) -> None:
    queues = ensure_job_queues(operator, quick_settings)
    handler = RecordingHandler(failures=1)
    worker = SqsJobWorker(operator, queues, handler, quick_settings)
    await SqsLabJobs(operator, queues).enqueue(PROVISION)

    assert await worker.poll_once() == 0
    assert _counts(operator, queues.url) == (0, 1)  # kept, out of sight
    await _wait_out_visibility(quick_settings)
    assert await worker.poll_once() == 1

    assert handler.jobs == [PROVISION, PROVISION]
    assert _counts(operator, queues.url) == (0, 0)
    assert _parked(operator, queues) == []


async def test_a_job_that_keeps_failing_lands_in_the_dead_letter_queue(
    operator: AwsClients, quick_settings: SqsJobSettings
) -> None:
    queues = ensure_job_queues(operator, quick_settings)
    handler = RecordingHandler(failures=99)
    worker = SqsJobWorker(operator, queues, handler, quick_settings)
    await SqsLabJobs(operator, queues).enqueue(TEARDOWN)

    for _ in range(quick_settings.max_receive_count + 1):
        assert await worker.poll_once() == 0
        await _wait_out_visibility(quick_settings)

    assert handler.jobs == [TEARDOWN] * quick_settings.max_receive_count
    assert _counts(operator, queues.url) == (0, 0)
    parked = _parked(operator, queues)
    assert [json.loads(message["Body"]) for message in parked] == [
        {"kind": "teardown", "session_id": "s-1"}
    ]


async def test_a_message_that_is_not_a_job_is_never_handled_and_parked(
    operator: AwsClients, quick_settings: SqsJobSettings
) -> None:
    queues = ensure_job_queues(operator, quick_settings)
    handler = RecordingHandler()
    worker = SqsJobWorker(operator, queues, handler, quick_settings)
    operator.client("sqs").send_message(
        QueueUrl=queues.url,
        MessageBody='{"kind": "reboot"}',
        MessageGroupId="x",
        MessageDeduplicationId="x",
    )

    for _ in range(quick_settings.max_receive_count + 1):
        await worker.poll_once()
        await _wait_out_visibility(quick_settings)

    assert handler.jobs == []
    assert [message["Body"] for message in _parked(operator, queues)] == ['{"kind": "reboot"}']


async def test_a_slow_job_is_not_handed_to_a_second_worker(
    operator: AwsClients, quick_settings: SqsJobSettings
) -> None:
    queues = ensure_job_queues(operator, quick_settings)
    second = RecordingHandler()
    started = asyncio.Event()

    async def slow(job: LabJob) -> None:
        started.set()
        await asyncio.sleep(quick_settings.visibility_timeout_seconds * 3)

    await SqsLabJobs(operator, queues).enqueue(PROVISION)
    running = asyncio.create_task(SqsJobWorker(operator, queues, slow, quick_settings).poll_once())
    await asyncio.wait_for(started.wait(), timeout=5)
    other = SqsJobWorker(operator, queues, second, quick_settings)
    while not running.done():
        await other.poll_once()

    assert await running == 1
    assert second.jobs == []
    assert _counts(operator, queues.url) == (0, 0)


async def test_run_handles_jobs_until_stopped(
    operator: AwsClients, quick_settings: SqsJobSettings
) -> None:
    queues = ensure_job_queues(operator, quick_settings)
    handler = RecordingHandler()
    worker = SqsJobWorker(operator, queues, handler, quick_settings)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))

    await SqsLabJobs(operator, queues).enqueue(PROVISION)
    for _ in range(50):
        if handler.jobs:
            break
        await asyncio.sleep(0.1)
    stop.set()
    await asyncio.wait_for(running, timeout=quick_settings.wait_seconds + 3)

    assert handler.jobs == [PROVISION]
