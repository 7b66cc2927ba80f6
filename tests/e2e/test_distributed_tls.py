"""The distributed profile's network encryption: every service answers HTTPS with a
certificate of the profile's CA and nothing on plain HTTP; a client that does not know
that CA refuses it; the services' PostgreSQL connections are all encrypted."""

from __future__ import annotations

import ssl

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from cmh_testing.kernel.servers import postgres_url, server_url

pytestmark = [pytest.mark.integration, pytest.mark.distributed]

SERVICE_PORTS = {
    "users": 8101,
    "courses": 8102,
    "content": 8103,
    "labs": 8104,
    "assessments": 8105,
    "payments": 8106,
    "notifications": 8107,
    "analytics": 8108,
    "forum": 8109,
}
PROFILE_DATABASES = [
    "cmh_users",
    "cmh_courses",
    "cmh_labs",
    "cmh_assessments",
    "cmh_payments",
    "cmh_notifications",
    "cmh_analytics",
]


def _host() -> str:
    return httpx.URL(server_url("CMH_TEST_GATEWAY_URL")).host


async def test_every_service_serves_https_with_the_profiles_ca_and_nothing_else() -> None:
    trust = ssl.create_default_context(cafile=server_url("CMH_TEST_DISTRIBUTED_CA_FILE"))
    host = _host()
    served, plain_answered, unknown_ca_accepted, refusals = [], [], [], []
    async with (
        httpx.AsyncClient(verify=trust, timeout=10) as trusting,
        httpx.AsyncClient(trust_env=False, timeout=10) as stranger,
    ):
        for service, port in SERVICE_PORTS.items():
            answer = await trusting.get(f"https://{host}:{port}/health/live")
            if answer.status_code == 200:
                served.append(service)
            try:
                await stranger.get(f"http://{host}:{port}/health/live")
                plain_answered.append(service)
            except httpx.TransportError:
                pass
            try:
                # The system's authorities only: the profile's CA is not among them.
                await stranger.get(f"https://{host}:{port}/health/live")
                unknown_ca_accepted.append(service)
            except httpx.ConnectError as exc:
                refusals.append("CERTIFICATE_VERIFY_FAILED" in str(exc))

    assert served == list(SERVICE_PORTS)
    assert plain_answered == []
    assert unknown_ca_accepted == []
    assert refusals == [True] * len(SERVICE_PORTS)


async def test_the_services_postgresql_connections_are_all_encrypted() -> None:
    url = make_url(postgres_url())
    connection = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, database="cmh"
    )
    try:
        rows = await connection.fetch(
            "SELECT a.datname, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid"
            " WHERE a.datname = ANY($1::text[])",
            PROFILE_DATABASES,
        )
    finally:
        await connection.close()

    assert {row["datname"] for row in rows} >= {"cmh_users", "cmh_courses", "cmh_payments"}
    assert [row["datname"] for row in rows if not row["ssl"]] == []
