"""A request's log lines, found in Elasticsearch by its request id, from every service it
reached: the gateway, courses, and users (which courses asks for the learner's
entitlements). The lines get there as in production: each process writes ECS JSON lines
to its log file, the log shipper (infra/local/log_shipper.sh, an OpenTelemetry Collector)
tails the files and writes them into an index.

Two shapes of the same check:

- a stack of this module's own (users and courses APIs and the gateway as processes on
  free ports, on the shared servers, with a shipper tailing their files into an index
  of its own, deleted afterwards): needs infra/local only;
- the distributed profile (make up-distributed ships every process's log into
  ``cmh-logs-distributed``): needs the profile running.

Each polls Elasticsearch until the lines are there (they are shipped within seconds),
then asserts what it found; a deadline bounds the wait."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cmh_testing.kernel.servers import (
    elasticsearch_url,
    fresh_postgres_database,
    kafka_bootstrap,
    mongo_url,
    redis_url,
    server_url,
)
from cmh_testing.kernel.serving import free_port
from infra.observability import saved_search

ROOT = Path(__file__).resolve().parents[2]
SHIPPER = ROOT / "infra/local/log_shipper.sh"
# The profile's index (infra/local/log_shipper.sh's default).
DISTRIBUTED_INDEX = "cmh-logs-distributed"
START_TIMEOUT = 180.0
# Shipped within a couple of seconds (the shipper polls files every 200 ms and flushes
# every second); the margin is for a loaded machine.
SHIPPING_TIMEOUT = 60.0
ADMIN_EMAIL = "logs-admin@cloudmastershub.dev"
ADMIN_PASSWORD = "logs-admin-password-42"  # a throwaway account of this stack
REDIS_DB = 12  # the distributed profile uses 0-4, the chaos stack 11

pytestmark = pytest.mark.integration

MODULES = {
    "users": "cmh.apps.users.main",
    "courses": "cmh.apps.courses.main",
    "gateway": "cmh.apps.gateway.main",
}


@dataclass
class Target:
    """Where the request goes and where its lines are searched."""

    gateway: str
    admin_email: str
    admin_password: str
    index: str


@dataclass
class OwnStack:
    home: Path
    ports: dict[str, int]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def log(self, name: str) -> Path:
        return self.home / f"{name}.log"

    def start(self, name: str, env: dict[str, str]) -> None:
        with self.log(name).open("ab") as handle:
            self.processes[name] = subprocess.Popen(  # noqa: S603 - our interpreter, our module
                [sys.executable, "-m", MODULES[name]],
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                start_new_session=True,
            )

    def stop_all(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)

    async def ready(self, name: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        async with httpx.AsyncClient(timeout=3.0) as client:
            while time.monotonic() < deadline:
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{tail(self.log(name))}")
                with contextlib.suppress(httpx.HTTPError):
                    url = f"http://127.0.0.1:{self.ports[name]}/health/ready"
                    if (await client.get(url)).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise TimeoutError(f"{name} not ready after {START_TIMEOUT}s:\n{tail(self.log(name))}")


def tail(path: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def environments(
    home: Path, ports: dict[str, int], users_db: str, courses_db: str
) -> dict[str, dict[str, str]]:
    key = home / "users-signing.pem"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key.chmod(0o600)
    redis = str(urlsplit(redis_url())._replace(path=f"/{REDIS_DB}").geturl())
    users_url = f"http://127.0.0.1:{ports['users']}"
    common = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "CMH_KAFKA__BOOTSTRAP_SERVERS": kafka_bootstrap(),
        "CMH_HTTP__HOST": "127.0.0.1",
        "CMH_HTTP__FORWARDED_ALLOW_IPS": "127.0.0.1",
        "CMH_LOG_LEVEL": "INFO",
        "CMH_LOG_FORMAT": "ecs",
        # Traced, so that the lines carry the trace the test starts.
        "CMH_OTEL__ENDPOINT": server_url("CMH_TEST_OTLP_ENDPOINT"),
    }
    return {
        "users": {
            **common,
            "CMH_DATABASE__URL": users_db,
            "CMH_REDIS__URL": redis,
            "CMH_HTTP__PORT": str(ports["users"]),
            "CMH_TOKENS__PRIVATE_KEY_FILE": str(key),
            "CMH_BOOTSTRAP_ADMIN__EMAIL": ADMIN_EMAIL,
            "CMH_BOOTSTRAP_ADMIN__PASSWORD": ADMIN_PASSWORD,
            "CMH_KAFKA__CLIENT_ID": "logs-users",
        },
        "courses": {
            **common,
            "CMH_DATABASE__URL": courses_db,
            "CMH_REDIS__URL": redis,
            "CMH_HTTP__PORT": str(ports["courses"]),
            "CMH_MONGO__URL": mongo_url(),
            "CMH_MONGO__DATABASE": f"logs_{home.name}",
            "CMH_SERVICES__USERS_URL": users_url,
            "CMH_SERVICES__CONTENT_URL": "http://127.0.0.1:9",
            "CMH_KAFKA__CLIENT_ID": "logs-courses",
        },
        "gateway": {
            **common,
            "CMH_HTTP__PORT": str(ports["gateway"]),
            "CMH_METRICS_PORT": str(free_port()),
            "CMH_HTTP__FORWARDED_ALLOW_IPS": "",
            "CMH_RATE_LIMIT_STORE": "memory",
            "CMH_GATEWAY__UPSTREAMS": (
                f'{{"users":[{{"url":"{users_url}"}}],'
                f'"courses":[{{"url":"http://127.0.0.1:{ports["courses"]}"}}]}}'
            ),
            "CMH_GATEWAY__ROUTES": (
                '{"/api/v1/auth":"users","/api/v1/users":"users",'
                '"/.well-known/jwks.json":"users","/api/v1/courses":"courses"}'
            ),
            "CMH_GATEWAY__JWKS_URL": f"{users_url}/api/v1/auth/jwks",
            "CMH_GATEWAY__PRINCIPAL_SECRET": secrets.token_hex(32),
        },
    }


async def shipper(command: str, env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        "bash",
        str(SHIPPER),
        command,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    # The first run builds the collector (minutes, once per machine).
    out, _ = await asyncio.wait_for(process.communicate(), 1800)
    print(out.decode(errors="replace"), flush=True)
    assert process.returncode == 0, f"log_shipper.sh {command} failed:\n{out.decode()[-3000:]}"


def migrate(name: str, env: dict[str, str], log: Path) -> None:
    with log.open("ab") as handle:
        subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", MODULES[name], "migrate"],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            check=True,
            timeout=START_TIMEOUT,
        )


@pytest.fixture
async def own_stack(tmp_path: Path) -> AsyncIterator[Target]:
    """users, courses and the gateway writing ECS lines into tmp_path, shipped into an
    index of this test's own."""
    elasticsearch = elasticsearch_url()
    index = f"cmh-logs-test-{uuid.uuid4().hex[:10]}"
    ports = {name: free_port() for name in MODULES}
    stack = OwnStack(tmp_path, ports)
    shipper_env = {
        **os.environ,
        "CMH_LOG_SHIPPER_INCLUDE": str(tmp_path / "*.log"),
        "CMH_LOG_SHIPPER_EXCLUDE": str(tmp_path / "*-migrate.log"),
        "CMH_LOG_SHIPPER_INDEX": index,
        "CMH_LOG_SHIPPER_ES_URL": elasticsearch,
    }
    async with (
        fresh_postgres_database("cmh_logs_users") as users_db,
        fresh_postgres_database("cmh_logs_courses") as courses_db,
        httpx.AsyncClient(base_url=elasticsearch, timeout=10) as es,
    ):
        env = environments(tmp_path, ports, users_db, courses_db)
        try:
            await asyncio.gather(
                shipper("up", shipper_env),
                *(
                    asyncio.to_thread(migrate, name, env[name], tmp_path / f"{name}-migrate.log")
                    for name in ("users", "courses")
                ),
            )
            for name in MODULES:
                stack.start(name, env[name])
            await asyncio.gather(*(stack.ready(name) for name in MODULES))
            gateway = f"http://127.0.0.1:{ports['gateway']}"
            await routed(gateway)
            yield Target(gateway, ADMIN_EMAIL, ADMIN_PASSWORD, index)
        finally:
            stack.stop_all()
            await shipper("down", shipper_env)
            await es.delete(f"/{index}")


async def routed(gateway: str, timeout: float = 60.0) -> None:
    """Until the gateway has both upstreams in rotation: its first readiness poll may have
    run before they answered, and the next one is seconds away."""
    deadline = asyncio.get_running_loop().time() + timeout
    async with httpx.AsyncClient(base_url=gateway, timeout=3.0) as client:
        while asyncio.get_running_loop().time() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                catalog = await client.get("/api/v1/courses")
                keys = await client.get("/.well-known/jwks.json")
                if catalog.status_code == keys.status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise TimeoutError(f"the gateway routes to nothing after {timeout}s")


@pytest.fixture
def distributed_profile() -> Target:
    return Target(
        server_url("CMH_TEST_GATEWAY_URL"),
        server_url("CMH_TEST_ADMIN_EMAIL"),
        server_url("CMH_TEST_ADMIN_PASSWORD"),
        DISTRIBUTED_INDEX,
    )


# ------------------------------------------------------------------ the request


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    for _ in range(3):  # a sign-in budget spent by the tests before: wait it out
        response = await client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        if response.status_code != 429:
            break
        await asyncio.sleep(min(float(response.headers.get("retry-after", "1")), 30.0))
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def published_course(client: httpx.AsyncClient, author: dict[str, str]) -> str:
    created = await client.post(
        "/api/v1/courses",
        headers=author,
        json={
            "title": f"Logged {uuid.uuid4().hex[:6]}: VPC peering",
            "provider": "aws",
            "level": "beginner",
            "tags": ["vpc"],
            "summary": "Two networks, one route table each.",
        },
    )
    assert created.status_code == 201, created.text
    course_id: str = created.json()["id"]
    module = await client.post(
        f"/api/v1/courses/{course_id}/modules", headers=author, json={"title": "Peering"}
    )
    assert module.status_code == 201, module.text
    lesson = await client.post(
        f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
        headers=author,
        json={"title": "Route tables", "kind": "text"},
    )
    assert lesson.status_code == 201, lesson.text
    published = await client.post(f"/api/v1/courses/{course_id}/publish", headers=author)
    assert published.status_code == 200, published.text
    return course_id


async def new_learner(client: httpx.AsyncClient) -> dict[str, str]:
    email = f"logged-{uuid.uuid4().hex[:10]}@example.org"
    registered = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": "a logged journey 42", "display_name": "Logged"},
    )
    assert registered.status_code == 201, registered.text
    return await login(client, email, "a logged journey 42")


async def lines_of(
    es: httpx.AsyncClient, index: str, search: str, **params: str
) -> list[dict[str, Any]]:
    """The lines a saved search (infra/observability/searches) finds in ``index``."""
    response = await es.post(f"/{index}/_search", json=saved_search.query(search, **params))
    if response.status_code == 404:  # nothing shipped into it yet
        return []
    assert response.status_code == 200, response.text
    return [hit["_source"] for hit in response.json()["hits"]["hits"]]


def served(lines: list[dict[str, Any]], service: str) -> list[dict[str, Any]]:
    """The one-per-request ``http.request`` lines ``service`` wrote."""
    return [
        line
        for line in lines
        if line.get("service", {}).get("name") == service and line["message"] == "http.request"
    ]


async def an_enrollment_is_found_by_its_request_id(target: Target) -> None:
    async with (
        httpx.AsyncClient(base_url=target.gateway, timeout=30) as client,
        httpx.AsyncClient(base_url=elasticsearch_url(), timeout=10) as es,
    ):
        course_id = await published_course(
            client, await login(client, target.admin_email, target.admin_password)
        )
        learner = await new_learner(client)
        request_id = f"logs-{uuid.uuid4().hex}"
        trace_id = secrets.token_hex(16)
        enrolled = await client.post(
            f"/api/v1/courses/{course_id}/enrollments",
            headers={
                **learner,
                "x-request-id": request_id,
                "traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01",
            },
        )
        assert enrolled.status_code == 201, enrolled.text
        assert enrolled.headers["x-request-id"] == request_id

        found: list[dict[str, Any]] = []
        deadline = time.monotonic() + SHIPPING_TIMEOUT
        while time.monotonic() < deadline:
            found = await lines_of(es, target.index, "request-lines", request_id=request_id)
            if all(served(found, name) for name in ("gateway", "courses", "users")):
                break
            await asyncio.sleep(0.5)
        summary = [(line.get("service", {}).get("name"), line["message"]) for line in found]
        in_trace = await lines_of(es, target.index, "trace-lines", trace_id=trace_id)
        # The other saved searches are valid queries against the index's mapping.
        for search in ("recent-errors", "slow-requests"):
            await lines_of(es, target.index, search)

    path = f"/api/v1/courses/{course_id}/enrollments"
    gateway, courses, users = (served(found, name) for name in ("gateway", "courses", "users"))
    # One line per service the request reached, each saying what it served.
    assert len(gateway) == 1, summary
    assert len(courses) == 1, summary
    assert len(users) == 1, summary
    assert (gateway[0]["url"]["path"], gateway[0]["http"]["response"]["status_code"]) == (
        path,
        201,
    )
    assert (courses[0]["url"]["path"], courses[0]["http"]["response"]["status_code"]) == (
        path,
        201,
    )
    assert users[0]["url"]["path"].endswith("/entitlements"), users[0]
    assert users[0]["http"]["response"]["status_code"] == 200
    # Every line of the request is in the trace the caller started, and found by it.
    assert {line["trace"]["id"] for line in gateway + courses + users} == {trace_id}
    assert all(line in in_trace for line in gateway + courses + users)
    assert all(line["event"]["dataset"].endswith(".log") for line in found)


async def test_a_requests_lines_from_three_services_are_found_by_its_id(
    own_stack: Target,
) -> None:
    await an_enrollment_is_found_by_its_request_id(own_stack)


@pytest.mark.distributed
async def test_the_distributed_profile_ships_a_requests_lines_into_elasticsearch(
    distributed_profile: Target,
) -> None:
    await an_enrollment_is_found_by_its_request_id(distributed_profile)
