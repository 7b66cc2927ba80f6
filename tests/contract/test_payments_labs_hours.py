"""Payments' labs client against the labs app: with a platform service's token it gets a
failed session's hours back once; a learner's token is refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from litestar.testing import AsyncTestClient

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.kernel.errors import DependencyUnavailable
from cmh.labs.adapters.memory.jobs import MemoryLabJobs
from cmh.labs.api.conftest import INSTRUCTOR, LEARNER
from cmh.payments.adapters.labs.hours import HttpLabHours
from cmh_testing.labs import build_labs_test_app, template_body

PAYMENTS = Principal(user_id="service:payments", roles=frozenset({"service"}))


class IssuedToken:
    def __init__(self, token: str) -> None:
        self.token = token

    async def access_token(self) -> str:
        return self.token

    def forget(self) -> None:
        return None


async def test_a_failed_session_s_hours_come_back_once_for_a_service_only(tmp_path: Path) -> None:
    labs = await build_labs_test_app(
        tmp_path, FrozenClock(datetime.now(UTC).replace(microsecond=0))
    )
    try:
        async with AsyncTestClient(labs.app) as client:
            template = await client.post(
                "/api/v1/labs/templates", json=template_body(), headers=labs.auth(INSTRUCTOR)
            )
            session = await client.post(
                "/api/v1/labs/sessions",
                json={"template_id": template.json()["id"]},
                headers=labs.auth(LEARNER),
            )
            assert session.status_code == 202, session.text
            jobs = await labs.container.get(MemoryLabJobs)
            await jobs.idle()
            labs.clock.advance(timedelta(minutes=45))
            ended = await client.delete(
                f"/api/v1/labs/sessions/{session.json()['id']}", headers=labs.auth(LEARNER)
            )
            assert ended.status_code == 202, ended.text
            await jobs.idle()

        def client_as(principal: Principal) -> HttpLabHours:
            token = labs.issuer.issue_access(
                principal, now=labs.clock.now(), token_id=uuid.uuid4().hex
            )
            http = httpx.AsyncClient(transport=httpx.ASGITransport(app=labs.app))  # type: ignore[arg-type]
            return HttpLabHours(http, IssuedToken(token), "http://labs", attempts=1)

        payments = client_as(PAYMENTS)
        first = await payments.refund_session(session.json()["id"], "failed by the platform")
        again = await payments.refund_session(session.json()["id"], "failed by the platform")
        # 45 minutes within the free allowance: hours back, none of them from a pack.
        assert (first.hours, first.pack_hours) == (Decimal("0.75"), Decimal(0))
        assert (again.hours, again.pack_hours) == (Decimal(0), Decimal(0))
        with pytest.raises(DependencyUnavailable):
            await client_as(LEARNER).refund_session(session.json()["id"], "mine")
    finally:
        await labs.container.close()
