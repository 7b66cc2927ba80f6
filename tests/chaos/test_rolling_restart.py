"""A rolling restart under load: on a private stack with two instances of each API behind
the gateway, every API instance and then the courses worker is sent SIGTERM, waited for,
and started again, one at a time, while the steady mix of logins, catalog reads and course
writes runs through the gateway.

- Every process leaves by itself on SIGTERM, within 30 s: in-flight requests finish, the
  worker's consumer stops after the message in hand and commits.
- No caller sees an error: the gateway sends a refused connection to the other instance.
- Nothing is lost or doubled: every accepted course is one event and one indexed course.

Counts and states only; the gateway itself is one process here (several replicas behind a
Service in Kubernetes), so it is not restarted.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.chaos.ledger import assert_nothing_lost_or_doubled
from tests.chaos.load import Mix
from tests.chaos.stack import ADMIN_EMAIL, ADMIN_PASSWORD, private_stack, progress

pytestmark = [pytest.mark.integration, pytest.mark.long]

ROLLING_ORDER = ("users-api", "users-api-2", "courses-api", "courses-api-2", "courses-worker")
WHOLE_TEST_SECONDS = 600.0  # a broken stack fails here rather than hanging the suite


async def test_a_rolling_restart_under_load_loses_nothing_and_fails_no_caller(
    tmp_path: Path,
) -> None:
    async with (
        asyncio.timeout(WHOLE_TEST_SECONDS),
        private_stack(tmp_path / "stack", second_instances=True) as stack,
    ):
        mix = Mix(stack.gateway, ADMIN_EMAIL, ADMIN_PASSWORD)
        stop = asyncio.Event()
        load = asyncio.create_task(mix.run(stop))
        exit_codes: dict[str, int] = {}
        phases: list[tuple[float, str]] = [(0.0, "steady")]
        try:
            await asyncio.sleep(3)  # steady state
            for name in ROLLING_ORDER:
                phases.append((time.monotonic(), f"restarting {name}"))
                exit_codes[name] = await stack.terminate(name)
                stack.start(name)
                await stack.ready(name)
                progress(f"{name} restarted (SIGTERM exit code {exit_codes[name]})")
                # The gateway's readiness poll puts it back before the next one goes.
                await asyncio.sleep(2)
            await asyncio.sleep(3)
        finally:
            stop.set()
            await asyncio.wait_for(load, 30)

        # Each left by itself (``terminate`` waits, it never escalates): uvicorn and the
        # worker raise the SIGTERM they caught again once their graceful shutdown is done.
        assert set(exit_codes) == set(ROLLING_ORDER)
        assert set(exit_codes.values()) <= {0, -signal.SIGTERM}, exit_codes
        kinds = Counter(a.kind for a in mix.answers)
        failed = Counter((a.kind, a.status) for a in mix.answers if not 200 <= a.status < 300)
        progress(f"{len(mix.answers)} requests during the rolling restart {dict(kinds)}: {failed}")
        assert min(kinds["login"], kinds["read"], kinds["write"]) >= 20, kinds
        for at, phase in phases:
            during = [a for a in mix.answers if a.at >= at and a.status // 100 != 2]
            if during:
                progress(f"failed from '{phase}' on: {len(during)}, first: {during[0].detail}")
        assert not failed

        await assert_nothing_lost_or_doubled(
            stack.courses_db, stack.broker.bootstrap, mix.accepted, at_least=10
        )
