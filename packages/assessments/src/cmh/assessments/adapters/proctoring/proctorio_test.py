"""The Proctorio adapter against a local fake of its documented launch endpoint."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import httpx
import msgspec
import pytest

from cmh.assessments.adapters.proctoring.proctorio import ProctorioProctoring
from cmh.assessments.adapters.proctoring.settings import ProctorioSettings
from cmh.assessments.application.ports import PublicLinks
from cmh.kernel.errors import DependencyUnavailable
from cmh_testing.assessments import FakeProctorio

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PAGES = PublicLinks(base_url="https://cloudmastershub.test").exam_pages("exam-1", "attempt-1")


@pytest.fixture
def fake() -> Iterator[FakeProctorio]:
    server = FakeProctorio().start()
    yield server
    server.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def settings(fake: FakeProctorio, **changes: str) -> ProctorioSettings:
    configured = ProctorioSettings(
        url=fake.url,
        consumer_key=fake.consumer_key,
        consumer_secret=fake.consumer_secret,
        exam_settings="recordvideo,recordaudio",
        timeout_seconds=2.0,
    )
    return msgspec.structs.replace(configured, **changes)


async def launch(proctorio: ProctorioProctoring, full_name: str = "Ada Lovelace") -> str | None:
    return await proctorio.launch(
        attempt_id="attempt-1", user_id="ada", full_name=full_name, quiz_id="exam-1", pages=PAGES
    )


async def test_a_signed_launch_answers_the_candidates_launch_url(
    fake: FakeProctorio, http: httpx.AsyncClient
) -> None:
    proctorio = ProctorioProctoring(http, settings(fake), lambda: NOW)
    url = await launch(proctorio, full_name="Zoë O'Brien (né Smith) + co!*")
    [sent] = fake.launches
    assert url == fake.launch_url_for(sent)
    assert sent["launch_url"] == "https://cloudmastershub.test/exams/exam-1/attempts/attempt-1"
    assert sent["exam_start"] == sent["launch_url"]
    assert sent["exam_take"] == f"{sent['launch_url']}/questions"
    assert sent["exam_end"] == f"{sent['launch_url']}/result"
    assert (sent["user_id"], sent["exam_tag"]) == ("ada", "exam-1")
    assert sent["fullname"] == "Zoë O'Brien (né Smith) + co!*"
    assert sent["exam_settings"] == "recordvideo,recordaudio"
    assert sent["oauth_timestamp"] == str(int(NOW.timestamp()))


async def test_every_launch_has_a_nonce_of_its_own(
    fake: FakeProctorio, http: httpx.AsyncClient
) -> None:
    proctorio = ProctorioProctoring(http, settings(fake), lambda: NOW)
    await launch(proctorio)
    await launch(proctorio)
    assert len({sent["oauth_nonce"] for sent in fake.launches}) == 2


async def test_a_wrong_secret_is_refused_and_is_the_ports_error(
    fake: FakeProctorio, http: httpx.AsyncClient
) -> None:
    proctorio = ProctorioProctoring(http, settings(fake, consumer_secret="wrong"), lambda: NOW)
    with pytest.raises(DependencyUnavailable, match="401"):
        await launch(proctorio)
    assert fake.refused == [(401, "invalid signature")]
    assert fake.launches == []


async def test_an_unknown_key_is_refused(fake: FakeProctorio, http: httpx.AsyncClient) -> None:
    proctorio = ProctorioProctoring(http, settings(fake, consumer_key="nobody"), lambda: NOW)
    with pytest.raises(DependencyUnavailable, match="401"):
        await launch(proctorio)


async def test_a_server_error_is_the_ports_error(
    fake: FakeProctorio, http: httpx.AsyncClient
) -> None:
    fake.fail_next = 1
    proctorio = ProctorioProctoring(http, settings(fake), lambda: NOW)
    with pytest.raises(DependencyUnavailable, match="503"):
        await launch(proctorio)


async def test_proctorio_down_is_the_ports_error(http: httpx.AsyncClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = ProctorioSettings(
        url=f"http://127.0.0.1:{port}/launch", consumer_key="k", consumer_secret="s"
    )
    with pytest.raises(DependencyUnavailable, match="did not answer"):
        await launch(ProctorioProctoring(http, down, lambda: NOW))


async def test_every_proctorio_attempt_is_held_for_review(
    fake: FakeProctorio, http: httpx.AsyncClient
) -> None:
    verdict = await ProctorioProctoring(http, settings(fake), lambda: NOW).verdict(
        "attempt-1", "ada", "exam-1"
    )
    assert (verdict.flagged, verdict.reasons) == (True, ("proctorio_review",))


def test_the_consumer_secret_stays_out_of_logs() -> None:
    configured = ProctorioSettings(url="https://x", consumer_key="k", consumer_secret="hush")
    assert "hush" not in repr(configured)
    assert "hush" not in str(configured)
