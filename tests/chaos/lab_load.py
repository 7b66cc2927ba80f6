"""Lab launches in the steady mix: learners of their own launch a beginner lab through the
gateway, wait for it to be ready, end it, wait for it to be over, and launch again. A
launch answered 202 is *launched*: it must become exactly one session, provisioned at
most once, ended once (one ``lab.session_ended``), leaving nothing behind in the cloud."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from cmh_testing.labs.compositions import template_body
from tests.chaos.accounts import Call, backoff, log_in, pause, sign_up

LIVE = frozenset({"requested", "provisioning", "ready", "expiring"})
SETTLE_SECONDS = 90.0  # how long a learner waits for ready, or for the end, per session
POLL_SECONDS = 0.5


@dataclass
class LabLearners:
    call: Call
    learners: int
    launched: list[str] = field(default_factory=list)  # session ids answered 202
    uncertain_launches: int = 0  # launch answers lost on the way (a session, or none)
    ended: list[str] = field(default_factory=list)  # session ids whose end was answered 202
    template_id: str = ""

    async def author(self, client: httpx.AsyncClient, admin: dict[str, str]) -> None:
        """The template every learner launches (retried while the gateway brings the labs
        upstream into rotation)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            made = await self.call(
                client,
                "lab",
                "POST",
                "/api/v1/labs/templates",
                headers=admin,
                # The labs harness's template: a beginner AWS bucket task, no extension.
                json=template_body(
                    title=f"Chaos lab {uuid.uuid4().hex[:6]}",
                    time_limit_minutes=30,
                    max_extension_minutes=0,
                    budget_cap_usd="2.00",
                ),
            )
            if made is not None and made.status_code in (200, 201):
                self.template_id = made.json()["id"]
                return
            await asyncio.sleep(1)
        raise RuntimeError("could not author the chaos lab template through the gateway")

    async def run(self, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        await asyncio.gather(*(self._learner(client, stop) for _ in range(self.learners)))

    async def _learner(self, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        learner = await sign_up(self.call, client, stop, "lab", "chaos-lab")
        if learner is None or learner.auth is None:
            return
        signed_in_at, refused = time.monotonic(), 0
        while not stop.is_set():
            if time.monotonic() - signed_in_at > 60 and await log_in(
                self.call, client, learner, "lab"
            ):  # well inside the access token's 15 minutes
                signed_in_at = time.monotonic()
            auth = learner.auth
            launch = await self.call(
                client,
                "lab",
                "POST",
                "/api/v1/labs/sessions",
                headers=auth,
                json={"template_id": self.template_id},
            )
            if launch is not None and launch.status_code == 202:
                refused = 0
                session = str(launch.json()["id"])
                self.launched.append(session)
                await self._until(
                    client, auth, session, lambda s: s != "requested" and s != "provisioning", stop
                )
            else:
                refused += 1
                if launch is None or launch.status_code in (502, 504):
                    self.uncertain_launches += 1
            # Whatever happened, nothing of this learner's stays live: a lost answer's
            # session, a 409's running one, or the one just launched.
            await self._end_live(client, auth)
            await pause(stop, backoff(refused) if refused else 0.2)
        await self._end_live(client, learner.auth)

    async def _end_live(self, client: httpx.AsyncClient, auth: dict[str, str]) -> None:
        """Ends every live session of the learner and waits until each is over (bounded)."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline:
            mine = await self.call(client, "lab", "GET", "/api/v1/labs/sessions/me", headers=auth)
            if mine is None or mine.status_code != 200:
                await asyncio.sleep(POLL_SECONDS)
                continue
            live = [s for s in mine.json() if s["status"] in LIVE or s["status"] == "tearing_down"]
            if not live:
                return
            for session in live:
                if session["status"] in LIVE:
                    ended = await self.call(
                        client,
                        "lab",
                        "DELETE",
                        f"/api/v1/labs/sessions/{session['id']}",
                        headers=auth,
                    )
                    if ended is not None and ended.status_code == 202:
                        self.ended.append(session["id"])
            await asyncio.sleep(POLL_SECONDS)

    async def _until(
        self,
        client: httpx.AsyncClient,
        auth: dict[str, str],
        session: str,
        done: Callable[[str], bool],
        stop: asyncio.Event,
    ) -> None:
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline and not stop.is_set():
            seen = await self.call(
                client, "lab", "GET", f"/api/v1/labs/sessions/{session}", headers=auth
            )
            if seen is not None and seen.status_code == 200 and done(seen.json()["status"]):
                return
            await asyncio.sleep(POLL_SECONDS)
