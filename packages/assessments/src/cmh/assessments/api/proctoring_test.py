"""A proctored exam started with the Proctorio adapter (against the local fake of its
launch endpoint): the attempt answers the launch URL to open, its graded result waits for
the instructor's review; Proctorio down or refusing is a 503, not a 500, and no attempt."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from cmh.assessments.adapters.proctoring.settings import ProctorioSettings
from cmh.assessments.api.conftest import (
    INSTRUCTOR,
    LEARNER,
    AssessmentsApi,
    Client,
    authored_quiz,
)
from cmh.contracts.events.users import UserRegisteredV1
from cmh.kernel.clock import FrozenClock
from cmh_testing.assessments import FakeProctorio, build_assessments_test_app
from cmh_testing.assessments import delivered as deliver_to


@pytest.fixture
def proctorio() -> Iterator[FakeProctorio]:
    fake = FakeProctorio().start()
    yield fake
    fake.stop()


@pytest.fixture
async def proctored(tmp_path: Path, proctorio: FakeProctorio) -> AsyncIterator[AssessmentsApi]:
    built = await build_assessments_test_app(
        tmp_path,
        FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        ProctorioSettings(
            url=proctorio.url,
            consumer_key=proctorio.consumer_key,
            consumer_secret=proctorio.consumer_secret,
            timeout_seconds=2.0,
        ),
    )
    api = AssessmentsApi(**{name: getattr(built, name) for name in built.__dataclass_fields__})
    await api.arrange_course()
    yield api
    await api.container.close()


@pytest.fixture
async def proctored_client(proctored: AssessmentsApi) -> AsyncIterator[Client]:
    async with AsyncTestClient(proctored.app) as client:
        yield client


async def start(client: Client, api: AssessmentsApi, quiz: dict[str, Any]) -> Any:
    return await client.post(
        f"/api/v1/assessments/quizzes/{quiz['id']}/attempts", headers=api.auth(LEARNER)
    )


async def test_a_proctorio_exam_opens_under_proctorio_and_waits_for_review(
    proctored_client: Client, proctored: AssessmentsApi, proctorio: FakeProctorio
) -> None:
    client, api = proctored_client, proctored
    await deliver_to(
        api.container,
        UserRegisteredV1(
            user_id=LEARNER.user_id, email="a@x.dev", display_name="Ada Lovelace", role="learner"
        ),
        "reg-1",
    )
    exam, answers = await authored_quiz(client, api, kind="exam", proctored=True)
    started = await start(client, api, exam)
    assert started.status_code == 201, started.text
    attempt = started.json()
    [launch] = proctorio.launches
    assert attempt["proctoring_url"] == proctorio.launch_url_for(launch)
    assert (launch["user_id"], launch["fullname"], launch["exam_tag"]) == (
        LEARNER.user_id,
        "Ada Lovelace",
        exam["id"],
    )
    assert launch["launch_url"].endswith(f"/exams/{exam['id']}/attempts/{attempt['id']}")
    headers = api.auth(LEARNER)
    shown = await client.get(f"/api/v1/assessments/attempts/{attempt['id']}", headers=headers)
    assert shown.json()["proctoring_url"] == attempt["proctoring_url"]
    for question_id, value in answers.items():
        await client.put(
            f"/api/v1/assessments/attempts/{attempt['id']}/answers/{question_id}",
            json={"value": value},
            headers=headers,
        )
    held = (
        await client.post(f"/api/v1/assessments/attempts/{attempt['id']}/submit", headers=headers)
    ).json()
    assert (held["status"], held["result"]["passed"]) == ("held_for_review", None)
    assert held["held_reasons"] == ["proctorio_review"]
    assert held["proctoring_url"] is None
    cleared = await client.post(
        f"/api/v1/assessments/attempts/{attempt['id']}/review",
        json={"cleared": True},
        headers=api.auth(INSTRUCTOR),
    )
    assert (cleared.json()["status"], cleared.json()["result"]["passed"]) == ("graded", True)


async def test_a_quiz_that_is_not_proctored_has_no_proctoring_url(
    proctored_client: Client, proctored: AssessmentsApi, proctorio: FakeProctorio
) -> None:
    quiz, _ = await authored_quiz(proctored_client, proctored)
    started = await start(proctored_client, proctored, quiz)
    assert started.status_code == 201
    assert started.json()["proctoring_url"] is None
    assert proctorio.launches == []


@pytest.mark.parametrize("trouble", ["down", "refused"])
async def test_proctorio_in_trouble_is_a_503_and_no_attempt(
    trouble: str, proctored_client: Client, proctored: AssessmentsApi, proctorio: FakeProctorio
) -> None:
    client, api = proctored_client, proctored
    exam, _ = await authored_quiz(client, api, kind="exam", proctored=True)
    if trouble == "down":
        proctorio.stop()
    else:
        proctorio.consumer_secret = "rotated-at-proctorio"
    refused = await start(client, api, exam)
    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "dependency_unavailable"
    if trouble == "refused":
        proctorio.consumer_secret = "cmh-consumer-secret"
        again = await start(client, api, exam)
        assert again.status_code == 201, again.text
        assert again.json()["number"] == 1


async def test_the_local_stand_in_opens_the_exams_own_page(
    client: Client, api: AssessmentsApi
) -> None:
    exam, _ = await authored_quiz(client, api, kind="exam", proctored=True)
    attempt = (await start(client, api, exam)).json()
    assert attempt["proctoring_url"] == (
        f"https://cloudmastershub.test/exams/{exam['id']}/attempts/{attempt['id']}"
    )
