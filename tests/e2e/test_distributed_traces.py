"""Traces of the distributed profile, read back from Jaeger (infra/local) as an operator
would: one request through the gateway to courses and on to users, and one event from the
use case that wrote it through the outbox and Kafka to the consumer that handled it.

Each test starts the trace itself (a ``traceparent`` of its own), then polls Jaeger's
``/api/traces/{id}`` until the spans it expects have been exported (in batches, a few
seconds apart)."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from cmh_testing.kernel.servers import server_url
from tests.e2e.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.distributed]


class Trace:
    def __init__(self, body: dict[str, Any]) -> None:
        data = body["data"][0] if body.get("data") else {"spans": [], "processes": {}}
        services = {key: p["serviceName"] for key, p in data["processes"].items()}
        self.spans: list[dict[str, Any]] = [
            {**span, "service": services.get(span["processID"], "?")} for span in data["spans"]
        ]

    def services(self) -> set[str]:
        return {span["service"] for span in self.spans}

    def span(self, service: str, operation: str) -> dict[str, Any] | None:
        for span in self.spans:
            if span["service"] == service and operation in span["operationName"]:
                return span
        return None

    def parent_of(self, span: dict[str, Any]) -> dict[str, Any] | None:
        parents = [r["spanID"] for r in span.get("references", []) if r["refType"] == "CHILD_OF"]
        return next((s for s in self.spans if s["spanID"] in parents), None)

    def linked_from(self, span: dict[str, Any]) -> list[tuple[str, str]]:
        """The (trace, span) ids a span links to (OpenTelemetry links: FOLLOWS_FROM here)."""
        refs = span.get("references", [])
        return [(r["traceID"], r["spanID"]) for r in refs if r["refType"] == "FOLLOWS_FROM"]

    def summary(self) -> list[str]:
        return sorted(f"{s['service']}: {s['operationName']}" for s in self.spans)


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


@pytest.fixture
async def jaeger() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_JAEGER_URL"), timeout=10) as client:
        yield client


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    """Signs in, waiting out a spent per-address sign-in budget (the journeys before this
    module sign in often from the same address)."""
    for _ in range(3):
        response = await client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        if response.status_code != 429:
            break
        await asyncio.sleep(min(float(response.headers.get("retry-after", "1")), 30.0))
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def admin(client: httpx.AsyncClient) -> dict[str, str]:
    return await login(
        client, server_url("CMH_TEST_ADMIN_EMAIL"), server_url("CMH_TEST_ADMIN_PASSWORD")
    )


async def new_learner(client: httpx.AsyncClient) -> dict[str, str]:
    email = f"traced-{uuid.uuid4().hex[:10]}@example.org"
    registered = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": "a traced journey 42", "display_name": "Traced"},
    )
    assert registered.status_code == 201, registered.text
    return await login(client, email, "a traced journey 42")


def new_trace() -> tuple[str, dict[str, str]]:
    trace_id = secrets.token_hex(16)
    return trace_id, {"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"}


async def trace_with(jaeger: httpx.AsyncClient, trace_id: str, *expected: tuple[str, str]) -> Trace:
    """The trace once every expected (service, operation) span is in it."""
    found = Trace({})

    async def complete() -> bool:
        nonlocal found
        response = await jaeger.get(f"/api/traces/{trace_id}")
        if response.status_code == 404:
            return False
        assert response.status_code == 200, response.text
        found = Trace(response.json())
        return all(found.span(service, operation) for service, operation in expected)

    try:
        await eventually(complete, timeout=60)
    except AssertionError:
        raise AssertionError(f"trace {trace_id} lacks {expected}: {found.summary()}") from None
    return found


async def published_course(gateway: httpx.AsyncClient, headers: dict[str, str]) -> str:
    author = await admin(gateway)
    created = await gateway.post(
        "/api/v1/courses",
        headers=author,
        json={
            "title": f"Traced {uuid.uuid4().hex[:6]}: IAM roles",
            "provider": "aws",
            "level": "beginner",
            "tags": ["iam"],
            "summary": "Roles, policies and who may assume them.",
        },
    )
    assert created.status_code == 201, created.text
    course_id: str = created.json()["id"]
    module = await gateway.post(
        f"/api/v1/courses/{course_id}/modules", headers=author, json={"title": "Roles"}
    )
    assert module.status_code == 201, module.text
    lesson = await gateway.post(
        f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
        headers=author,
        json={"title": "Trust policies", "kind": "text"},
    )
    assert lesson.status_code == 201, lesson.text
    published = await gateway.post(
        f"/api/v1/courses/{course_id}/publish", headers={**author, **headers}
    )
    assert published.status_code == 200, published.text
    return course_id


async def test_an_enrollment_is_one_trace_across_gateway_courses_and_users(
    gateway: httpx.AsyncClient, jaeger: httpx.AsyncClient
) -> None:
    course_id = await published_course(gateway, {})
    learner = await new_learner(gateway)
    trace_id, caller = new_trace()

    enrolled = await gateway.post(
        f"/api/v1/courses/{course_id}/enrollments", headers={**learner, **caller}
    )
    assert enrolled.status_code == 201, enrolled.text

    found = await trace_with(
        jaeger,
        trace_id,
        ("gateway", f"POST /api/v1/courses/{course_id}/enrollments"),
        ("courses", f"POST /api/v1/courses/{course_id}/enrollments"),
        ("users", "/entitlements"),
    )
    assert {"gateway", "courses", "users"} <= found.services()
    # Each hop is a child of the one before: users' server span under courses' client call
    # under courses' server span, itself under the gateway's proxy call.
    # (The notifications worker asks users for the learner's profile in the same trace.)
    users_server = found.span("users", "/entitlements")
    assert users_server is not None
    courses_call = found.parent_of(users_server)
    assert courses_call is not None
    assert courses_call["service"] == "courses"
    courses_server = found.span("courses", f"POST /api/v1/courses/{course_id}/enrollments")
    assert courses_server is not None
    gateway_call = found.parent_of(courses_server)
    assert gateway_call is not None
    assert gateway_call["service"] == "gateway"
    # SQL statements are spans of the request too.
    assert any(s["service"] == "courses" and "INSERT" in s["operationName"] for s in found.spans)


async def test_a_published_course_is_one_trace_from_the_outbox_to_the_search_indexer(
    gateway: httpx.AsyncClient, jaeger: httpx.AsyncClient
) -> None:
    trace_id, caller = new_trace()
    await published_course(gateway, caller)

    found = await trace_with(
        jaeger,
        trace_id,
        ("gateway", "/publish"),
        ("courses", "outbox write"),
        ("courses-worker", "courses.course relay"),
        ("courses-worker", "courses.course process"),
    )
    relay = found.span("courses-worker", "courses.course relay")
    assert relay is not None
    written = found.parent_of(relay)
    assert written is not None
    assert (written["service"], written["operationName"]) == ("courses", "outbox write")
    processes = [
        s
        for s in found.spans
        if s["service"] == "courses-worker" and s["operationName"] == "courses.course process"
    ]
    assert processes, found.summary()
    # The indexer's own statements run inside its span of this trace or, when its Kafka batch
    # held events of other traces too, inside the batch's span that this one links to, in
    # the batch's own trace (processing_batch in cmh.kernel.telemetry.messaging).
    handled_in = [(found, {p["spanID"] for p in processes})]
    for process in processes:
        for batch_trace_id, batch_span_id in found.linked_from(process):
            batch = await trace_with(
                jaeger, batch_trace_id, ("courses-worker", "courses.course process")
            )
            handled_in.append((batch, {batch_span_id}))
    assert any(
        s["service"] == "courses-worker"
        and s["operationName"] != "courses.course process"
        and (parent := where.parent_of(s)) is not None
        and parent["spanID"] in span_ids
        for where, span_ids in handled_in
        for s in where.spans
    ), found.summary()
