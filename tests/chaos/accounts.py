"""Learners of the mix's own: a sign-up (register, then log in) as a client does it, backing
off while the platform answers 503 or nothing, so a classroom of retries never becomes the
storm that keeps the users service down."""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

# Mix._call: records the answer, returns the response (None: no answer at all).
Call = Callable[..., Awaitable[httpx.Response | None]]
FIRST_WAIT, LONGEST_WAIT = 0.5, 8.0


def backoff(attempt: int) -> float:
    """Seconds before try ``attempt + 1``: doubling from 0.5 s up to 8 s, with jitter."""
    return min(FIRST_WAIT * 2.0**attempt, LONGEST_WAIT) * random.uniform(0.5, 1.5)  # noqa: S311


@dataclass
class Learner:
    email: str
    password: str
    user_id: str = ""
    auth: dict[str, str] | None = None


async def pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def log_in(call: Call, client: httpx.AsyncClient, learner: Learner, kind: str) -> bool:
    login = await call(
        client,
        kind,
        "POST",
        "/api/v1/auth/login",
        json={"email": learner.email, "password": learner.password},
    )
    if login is None or login.status_code != 200:
        return False
    learner.auth = {"authorization": f"Bearer {login.json()['access_token']}"}
    return True


async def sign_up(
    call: Call, client: httpx.AsyncClient, stop: asyncio.Event, kind: str, prefix: str
) -> Learner | None:
    """A new account, its id and a token; None when the run stopped first."""
    learner = Learner(f"{prefix}-{uuid.uuid4().hex[:10]}@example.org", "a learner under faults 42")
    attempt = 0
    while not stop.is_set():
        if not learner.user_id:
            registered = await call(
                client,
                kind,
                "POST",
                "/api/v1/auth/register",
                json={
                    "email": learner.email,
                    "password": learner.password,
                    "display_name": "Chaos learner",
                },
            )
            if registered is not None and registered.status_code == 201:
                learner.user_id = registered.json()["id"]
            elif registered is not None and registered.status_code == 409:
                learner.user_id = await _who(call, client, learner, kind)  # answer lost before
        if learner.user_id and await log_in(call, client, learner, kind):
            return learner
        await pause(stop, backoff(attempt))
        attempt += 1
    return None


async def _who(call: Call, client: httpx.AsyncClient, learner: Learner, kind: str) -> str:
    """The id of an account whose sign-up answer was lost on the way (409 the next time)."""
    if not await log_in(call, client, learner, kind):
        return ""
    me = await call(client, kind, "GET", "/api/v1/users/me", headers=learner.auth)
    return str(me.json()["id"]) if me is not None and me.status_code == 200 else ""
