"""The distributed profile starts like the embedded one: `make up-distributed` runs the
demo seed job (apps/seed), so the demo accounts log in through the gateway, the demo
catalog is there to browse and the pro learner sees the demo lab templates; running the
job again changes nothing and says so."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cmh.courses.demo_catalog import DEMO_COURSES
from cmh.labs.demo_seed import DEMO_TEMPLATES
from cmh.users.demo_seed import DEMO_ACCOUNTS, demo_credentials
from cmh_testing.kernel.servers import server_url
from tests.e2e.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.distributed]
ROOT = Path(__file__).resolve().parents[2]
PRO = next(account for account in DEMO_ACCOUNTS if account.tier == "pro")


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, f"{email}: {response.text}"
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def demo_catalog(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    """Every published course titled as a demo course, all pages of the catalog."""
    titles = {demo.course.title for demo in DEMO_COURSES}
    courses: list[dict[str, Any]] = []
    params: dict[str, str | int] = {"limit": 50}
    while True:
        page = await client.get("/api/v1/courses", params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        courses += [course for course in body["items"] if course["title"] in titles]
        if not body["next_cursor"]:
            return courses
        params = {"limit": 50, "cursor": body["next_cursor"]}


def seed_job_environment() -> dict[str, str]:
    """The environment up.sh gave the seed job (secrets/seed.env), over this process's."""
    state = Path(server_url("CMH_TEST_DISTRIBUTED_STATE"))
    saved = state / "secrets" / "seed.env"
    assert saved.exists(), f"{saved} is missing: was the profile started without its seed job?"
    environment = dict(os.environ)
    for line in saved.read_text().splitlines():
        name, _, value = line.partition("=")
        environment[name] = value
    paths = [
        *sorted(str(p) for p in ROOT.glob("packages/*/src")),
        *sorted(str(p) for p in ROOT.glob("apps/*/src")),
        str(ROOT / "contracts/src"),
        str(ROOT),
    ]
    environment["PYTHONPATH"] = os.pathsep.join(paths)
    return environment


async def run_seed_job() -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "cmh.apps.seed",
        env=seed_job_environment(),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode()


async def test_every_demo_account_logs_in_through_the_gateway(
    gateway: httpx.AsyncClient,
) -> None:
    for account in DEMO_ACCOUNTS:
        headers = await login(gateway, account.email, account.password)
        me = await gateway.get("/api/v1/users/me", headers=headers)
        assert me.status_code == 200, me.text
        assert account.role.value in me.json()["roles"]
        assert me.json()["tier"] == account.tier


async def test_the_demo_catalog_and_the_pro_learners_lab_templates_are_there(
    gateway: httpx.AsyncClient,
) -> None:
    titles = {demo.course.title for demo in DEMO_COURSES}

    async def catalog_complete() -> bool:  # the search index follows course.published
        return {course["title"] for course in await demo_catalog(gateway)} >= titles

    await eventually(catalog_complete, timeout=60)
    [instructor_id] = {course["owner_id"] for course in await demo_catalog(gateway)}
    pro = await login(gateway, PRO.email, PRO.password)
    templates = await gateway.get("/api/v1/labs/templates", headers=pro)
    assert templates.status_code == 200, templates.text
    seeded = {t["id"]: t for t in templates.json() if t["id"] in DEMO_TEMPLATES}
    assert set(seeded) == set(DEMO_TEMPLATES)
    assert {t["owner_id"] for t in seeded.values()} == {instructor_id}
    assert {t["provider"] for t in seeded.values()} == {"aws", "azure", "gcp"}


async def test_a_second_run_of_the_seed_job_changes_nothing_and_says_so(
    gateway: httpx.AsyncClient,
) -> None:
    before = sorted(course["id"] for course in await demo_catalog(gateway))

    returncode, output = await run_seed_job()

    assert returncode == 0, output
    assert "==> demo data already in place: nothing changed" in output
    for line in demo_credentials():  # printed as `make run` prints them
        assert f"==> {line}" in output
    assert sorted(course["id"] for course in await demo_catalog(gateway)) == before
    assert len(before) == len(DEMO_COURSES)
