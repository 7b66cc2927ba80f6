"""An outage of a store is a 503 the caller may retry; a value the store refuses is the
caller's 422; any other surprise stays a 500."""

from __future__ import annotations

import asyncpg
import pytest
import sqlalchemy.exc
from litestar import Litestar, get
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from cmh.kernel.web.problems import OUTAGE_RETRY_AFTER_SECONDS, PROBLEM_JSON, exception_handlers


@get("/refused")
async def refused() -> None:
    raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")


@get("/nul/{name:str}")
async def nul(name: FromPath[str]) -> None:
    # What SQLAlchemy raises when PostgreSQL refuses U+0000 in a parameter.
    refusal = asyncpg.exceptions.CharacterNotInRepertoireError(
        'invalid byte sequence for encoding "UTF8": 0x00'
    )
    raise sqlalchemy.exc.DBAPIError("SELECT ... WHERE id = $1", (name,), refusal)


@get("/bug")
async def bug() -> None:
    raise ValueError("a bug")


@pytest.fixture
def app() -> Litestar:
    return Litestar([refused, nul, bug], exception_handlers=exception_handlers)


async def test_a_store_out_of_reach_is_503_with_retry_after(app: Litestar) -> None:
    async with AsyncTestClient(app) as client:
        response = await client.get("/refused")
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["retry-after"] == str(OUTAGE_RETRY_AFTER_SECONDS)
    assert response.json()["code"] == "store_unavailable"
    assert "5432" not in response.text  # no internals leave the service


async def test_a_bug_is_still_a_500(app: Litestar) -> None:
    async with AsyncTestClient(app) as client:
        response = await client.get("/bug")
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"


async def test_a_value_the_store_refuses_is_422_not_500(app: Litestar) -> None:
    async with AsyncTestClient(app) as client:
        response = await client.get("/nul/a%00b")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert "UTF8" not in response.text
    # The instance is the path as sent: a URI reference, the NUL still escaped.
    assert response.json()["instance"] == "/nul/a%00b"
