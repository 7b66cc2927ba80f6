"""The embedded platform's hot reads against bare Litestar handlers answering the same
JSON (``baseline_app``), each served alone by the same uvicorn on the servers' core:

- ``GET /api/v1/users/me``: the in-process gateway policies (token check, rate limit),
  dishka's request scope, one SQLite read, the response struct;
- ``GET /api/v1/courses`` cached (the stored JSON bytes handed out) and cold: every
  request a new cache key (``q`` made of punctuation only: no search words, so the
  search really runs and answers the same full page).
- ``POST /api/v1/auth/login`` is reported, not targeted: argon2id dominates by design.
"""

from __future__ import annotations

import httpx

from tests.perf.results import Row, alternate, throughput_row
from tests.perf.servers import Server
from tests.perf.wrk import Load, post_json, run

LEARNER = b'{"email":"learner@cloudmastershub.dev","password":"learn-the-cloud-42"}'

# A new cache key per request: a counter written with URL-safe punctuation.
COLD_CATALOG = """
local n = 0
local marks = {"-", ".", "_", "~"}
request = function()
  n = n + 1
  local q, k = "", n
  while k > 0 do
    q = q .. marks[(k % 4) + 1]
    k = math.floor(k / 4)
  end
  return wrk.format("GET", "/api/v1/courses?q=" .. q)
end
"""


def access_token(platform: Server) -> str:
    answer = httpx.post(
        platform.url + "/api/v1/auth/login",
        content=LEARNER,
        headers={"content-type": "application/json"},
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def users_me(platform: Server, baseline: Server, rounds: int) -> list[Row]:
    auth = {"Authorization": f"Bearer {access_token(platform)}"}
    base, ours = alternate(
        rounds,
        lambda: run("bare Litestar handler", baseline.url + "/api/v1/users/me"),
        lambda: run("embedded platform", platform.url + "/api/v1/users/me", headers=auth),
    )
    print(base.line(), ours.line(), sep="\n")
    return [
        throughput_row(
            "GET /api/v1/users/me, embedded",
            "bare Litestar handler",
            ours,
            base,
            at_least=0.85,
        )
    ]


def catalog(platform: Server, baseline: Server, rounds: int) -> list[Row]:
    base, cached, cold = alternate(
        rounds,
        lambda: run("bare Litestar handler", baseline.url + "/api/v1/courses"),
        lambda: run("embedded, cached", platform.url + "/api/v1/courses"),
        lambda: run("embedded, cold", platform.url + "/api/v1/courses", script=COLD_CATALOG),
    )
    print(base.line(), cached.line(), cold.line(), sep="\n")
    return [
        throughput_row(
            "GET /api/v1/courses cached, embedded", "bare handler", cached, base, at_least=0.85
        ),
        throughput_row(
            "GET /api/v1/courses cold, embedded", "bare handler", cold, base, at_least=0.5
        ),
    ]


def login(platform: Server, baseline: Server) -> list[Row]:
    load = Load(connections=4)
    body = post_json(LEARNER)
    base = run("bare Litestar handler", baseline.url + "/api/v1/auth/login", load=load, script=body)
    ours = run("embedded platform", platform.url + "/api/v1/auth/login", load=load, script=body)
    print(base.line(), ours.line(), sep="\n")
    row = throughput_row(
        "POST /api/v1/auth/login (argon2id)", "bare handler", ours, base, at_least=0.0
    )
    row.target, row.holds, row.goal = "reported (argon2id by design)", None, None
    return [row]


def fastapi_twin(platform: Server, twin: Server, rounds: int) -> list[Row]:
    """Ours against the idiomatic FastAPI + pydantic twin (``fastapi_twin``)."""
    auth = {"Authorization": f"Bearer {access_token(platform)}"}
    me_twin, me_ours, list_twin, list_ours = alternate(
        rounds,
        lambda: run("FastAPI twin, users/me", twin.url + "/api/v1/users/me", headers=auth),
        lambda: run("embedded, users/me", platform.url + "/api/v1/users/me", headers=auth),
        lambda: run("FastAPI twin, courses", twin.url + "/api/v1/courses"),
        lambda: run("embedded, courses cached", platform.url + "/api/v1/courses"),
    )
    print(me_twin.line(), me_ours.line(), list_twin.line(), list_ours.line(), sep="\n")
    return [
        throughput_row(
            "GET /api/v1/users/me vs FastAPI twin",
            "FastAPI + pydantic twin",
            me_ours,
            me_twin,
            at_least=2.0,
        ),
        throughput_row(
            "GET /api/v1/courses cached vs FastAPI twin",
            "FastAPI + pydantic twin",
            list_ours,
            list_twin,
            at_least=2.0,
        ),
    ]
