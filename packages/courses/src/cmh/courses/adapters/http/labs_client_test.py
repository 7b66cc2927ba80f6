"""The labs client reads exactly what labs writes, and gives labs' refusals back as the
same kernel errors with labs' codes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import httpx
import msgspec
import pytest
import respx
import stamina

from cmh.contracts.http.labs import LabSessionResponse, TemplateOwnerResponse
from cmh.courses.adapters.http.labs_sessions import HttpLabs
from cmh.courses.adapters.http.resilient import ResilientJsonClient
from cmh.courses.settings import ServiceClientSettings
from cmh.kernel.errors import Conflict, DependencyUnavailable, Forbidden

LABS = "http://labs.test"
SETTINGS = ServiceClientSettings(labs_url=LABS, timeout_seconds=0.5, attempts=3)
SESSION = msgspec.to_builtins(
    LabSessionResponse(
        id="s-1",
        user_id="u-1",
        template_id="t-1",
        course_id="c-1",
        lesson_id="l-1",
        provider="aws",
        status="requested",
        region="us-east-1",
        requested_at=datetime(2026, 1, 1, tzinfo=UTC),
        expires_at=None,
        max_score=10,
    )
)


@pytest.fixture(autouse=True)
def no_backoff() -> Iterator[None]:
    stamina.set_testing(True, attempts=3)
    yield
    stamina.set_testing(False)


@pytest.fixture
async def labs() -> AsyncIterator[HttpLabs]:
    async with httpx.AsyncClient() as http:
        yield HttpLabs(ResilientJsonClient(http, service="labs", settings=SETTINGS), LABS)


@respx.mock
async def test_a_launch_posts_the_learner_template_course_and_lesson(labs: HttpLabs) -> None:
    route = respx.post(f"{LABS}/internal/v1/labs/sessions").respond(202, json=SESSION)
    session = await labs.launch("u-1", "t-1", "c-1", "l-1")
    assert (session.id, session.status, session.lesson_id) == ("s-1", "requested", "l-1")
    sent = json.loads(route.calls.last.request.content)
    assert sent == {"user_id": "u-1", "template_id": "t-1", "course_id": "c-1", "lesson_id": "l-1"}


@respx.mock
async def test_labs_refusals_keep_their_codes(labs: HttpLabs) -> None:
    respx.post(f"{LABS}/internal/v1/labs/sessions").mock(
        side_effect=[
            httpx.Response(403, json={"code": "not_entitled", "detail": "upgrade to pro"}),
            httpx.Response(409, json={"code": "lab_already_running", "detail": "running"}),
        ]
    )
    with pytest.raises(Forbidden) as refused:
        await labs.launch("u-1", "t-1", "c-1", "l-1")
    assert (refused.value.code, refused.value.detail) == ("not_entitled", "upgrade to pro")
    with pytest.raises(Conflict) as running:
        await labs.launch("u-1", "t-1", "c-1", "l-1")
    assert running.value.code == "lab_already_running"


@respx.mock
async def test_a_launch_is_sent_once_even_when_the_answer_is_lost(labs: HttpLabs) -> None:
    route = respx.post(f"{LABS}/internal/v1/labs/sessions").mock(
        side_effect=httpx.ReadTimeout("slow")
    )
    with pytest.raises(DependencyUnavailable):
        await labs.launch("u-1", "t-1", "c-1", "l-1")
    assert route.call_count == 1


@respx.mock
async def test_a_templates_owner_or_none_when_there_is_no_such_template(labs: HttpLabs) -> None:
    respx.get(f"{LABS}/internal/v1/labs/templates/t-1/owner").respond(
        json=msgspec.to_builtins(TemplateOwnerResponse(template_id="t-1", owner_id="inst-1"))
    )
    respx.get(f"{LABS}/internal/v1/labs/templates/t-2/owner").respond(
        404, json={"code": "lab_template_not_found"}
    )
    assert await labs.owner_of("t-1") == "inst-1"
    assert await labs.owner_of("t-2") is None
