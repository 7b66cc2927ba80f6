"""The courses service of the distributed profile reads from the PostgreSQL replica
(infra/local's 15/replica, fed by streaming replication) and still shows every caller what
was just written: a course published a moment ago, an enrollment just made."""

from __future__ import annotations

import re
import ssl
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from cmh_testing.kernel.servers import postgres_replica_url, server_url
from tests.e2e.test_distributed_journey import admin, new_learner

pytestmark = [pytest.mark.integration, pytest.mark.distributed]

COURSES_PORT = 8102
_READS = re.compile(r'^cmh_sql_reads_total\{database="(replica|primary)"\} ([0-9.e+]+)$', re.M)


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


async def courses_reads() -> dict[str, float]:
    """The courses service's read-only units of work so far, by database."""
    trust = ssl.create_default_context(cafile=server_url("CMH_TEST_DISTRIBUTED_CA_FILE"))
    host = httpx.URL(server_url("CMH_TEST_GATEWAY_URL")).host
    async with httpx.AsyncClient(verify=trust, timeout=10) as client:
        metrics = await client.get(f"https://{host}:{COURSES_PORT}/metrics")
    assert metrics.status_code == 200, metrics.text
    counts = {"replica": 0.0, "primary": 0.0}
    counts.update({name: float(value) for name, value in _READS.findall(metrics.text)})
    return counts


async def new_course(gateway: httpx.AsyncClient, author: dict[str, str]) -> str:
    created = await gateway.post(
        "/api/v1/courses",
        headers=author,
        json={
            "title": "Replica reads: S3 lifecycle rules",
            "provider": "aws",
            "level": "beginner",
            "tags": ["s3"],
            "summary": "Expire and transition objects by rule.",
        },
    )
    assert created.status_code == 201, created.text
    course_id: str = created.json()["id"]
    module = await gateway.post(
        f"/api/v1/courses/{course_id}/modules", headers=author, json={"title": "Rules"}
    )
    assert module.status_code == 201, module.text
    lesson = await gateway.post(
        f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
        headers=author,
        json={"title": "Transitions", "kind": "text"},
    )
    assert lesson.status_code == 201, lesson.text
    return course_id


async def test_catalog_reads_come_from_the_replica_and_show_what_was_just_written(
    gateway: httpx.AsyncClient,
) -> None:
    author = await admin(gateway)
    learner = await new_learner(gateway)
    before = await courses_reads()

    for _ in range(5):
        course_id = await new_course(gateway, author)
        published = await gateway.post(f"/api/v1/courses/{course_id}/publish", headers=author)
        assert published.status_code == 200, published.text
        # Anyone, at once: the publish answered once the replica showed it.
        detail = await gateway.get(f"/api/v1/courses/{course_id}")
        assert detail.status_code == 200, detail.text
        assert detail.json()["status"] == "published"

        enrolled = await gateway.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
        assert enrolled.status_code == 201, enrolled.text
        mine = await gateway.get("/api/v1/enrollments/me", headers=learner)
        assert mine.status_code == 200, mine.text
        assert course_id in [e["course_id"] for e in mine.json()["items"]], mine.text

    after = await courses_reads()
    assert after["replica"] - before["replica"] >= 10  # the detail and "my courses" reads


async def test_the_replica_serves_the_courses_service_over_tls() -> None:
    url = make_url(postgres_replica_url())
    connection = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, database="cmh"
    )
    try:
        assert await connection.fetchval("SELECT pg_is_in_recovery()")
        rows = await connection.fetch(
            "SELECT s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid"
            " WHERE a.datname = 'cmh_courses'"
        )
    finally:
        await connection.close()
    assert rows, "the courses service holds no connection to the replica"
    assert all(row["ssl"] for row in rows)
