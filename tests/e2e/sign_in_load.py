"""Rate limits people can live with, a scenario both profiles run (a real server, so the
address every limit counts is the connection's own):

- a classroom of 30 behind one address signs up, logs in, refreshes and opens the catalog
  within a minute, and every request succeeds;
- 200 wrong passwords against one account, spread over 20 addresses, are still stopped:
  few of them are even checked, and the right password guessed from a new address is
  refused as well;
- the account's owner, at the address they usually log in from, still gets in.

Loopback has a whole /8, so each "address" is a client bound to its own 127.0.0.x.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from contextlib import AsyncExitStack

import httpx

PASSWORD = "learn-the-cloud-42"  # noqa: S105 - the scenario's own throwaway accounts
CLASS_SIZE = 30
ATTACK_ADDRESSES = 20
GUESSES_PER_ADDRESS = 10
# The users service checks a password only while the account's throttle lets it: the free
# failures per account (20), plus at most a few that arrive as a wait expires.
MOST_GUESSES_CHECKED = 30


def client(base: str, address: str) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    return httpx.AsyncClient(base_url=base, transport=transport, timeout=30)


async def a_classroom_gets_in_and_a_spread_out_guesser_does_not(platform: str) -> None:
    """The whole scenario against ``platform`` (a base URL reached over loopback). Accounts
    are new each run, so a long-lived profile can run it again."""
    run = uuid.uuid4().hex[:8]
    owner = f"owner-{run}@classroom.example.org"
    async with AsyncExitStack() as stack:
        classroom = await stack.enter_async_context(client(platform, "127.0.0.1"))
        started = time.monotonic()
        statuses = await sign_in_and_browse(classroom, CLASS_SIZE, run)
        minute_used = time.monotonic() - started
        print(
            f"\nclassroom of {CLASS_SIZE}, one address: {minute_used:.1f} s (target: within 60 s)"
        )
        assert statuses == Counter({200: CLASS_SIZE * 3, 201: CLASS_SIZE})

        # The owner has logged in from the classroom's address before the attack.
        assert (await register(classroom, owner)).status_code == 201
        assert (await log_in(classroom, owner, PASSWORD)).status_code == 200

        attackers = [
            await stack.enter_async_context(client(platform, f"127.0.0.{10 + n}"))
            for n in range(ATTACK_ADDRESSES)
        ]
        guesses: Counter[int] = Counter()
        for round_ in range(GUESSES_PER_ADDRESS):
            for n, attacker in enumerate(attackers):
                guess = f"guess-{round_}-{n}-not-it"
                guesses[(await log_in(attacker, owner, guess)).status_code] += 1
        print(f"200 wrong passwords from {ATTACK_ADDRESSES} addresses: {dict(guesses)}")
        assert sum(guesses.values()) == ATTACK_ADDRESSES * GUESSES_PER_ADDRESS
        assert set(guesses) <= {401, 429}
        assert guesses[401] <= MOST_GUESSES_CHECKED

        # Even the right password is refused from an address the owner never used...
        stranger = await stack.enter_async_context(client(platform, "127.0.0.200"))
        assert (await log_in(stranger, owner, PASSWORD)).status_code == 429
        # ...while the owner, at their usual address, is not held up by the strangers.
        assert (await log_in(classroom, owner, PASSWORD)).status_code == 200


async def sign_in_and_browse(http: httpx.AsyncClient, learners: int, run: str) -> Counter[int]:
    statuses: Counter[int] = Counter()
    for n in range(learners):
        email = f"learner{n}-{run}@classroom.example.org"
        statuses[(await register(http, email)).status_code] += 1
        login = await log_in(http, email, PASSWORD)
        statuses[login.status_code] += 1
        refreshed = await http.post(
            "/api/v1/auth/refresh", json={"refresh_token": login.json()["refresh_token"]}
        )
        statuses[refreshed.status_code] += 1
        token = refreshed.json()["access_token"]
        catalog = await http.get("/api/v1/courses", headers={"authorization": f"Bearer {token}"})
        statuses[catalog.status_code] += 1
    return statuses


async def register(http: httpx.AsyncClient, email: str) -> httpx.Response:
    return await http.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": email.split("@")[0]},
    )


async def log_in(http: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await http.post("/api/v1/auth/login", json={"email": email, "password": password})
