"""An outage of a store is a 503 the caller may retry; any other surprise stays a 500."""

from __future__ import annotations

import pytest
from litestar import Litestar, get
from litestar.testing import AsyncTestClient

from cmh.kernel.web.problems import OUTAGE_RETRY_AFTER_SECONDS, PROBLEM_JSON, exception_handlers


@get("/refused")
async def refused() -> None:
    raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")


@get("/bug")
async def bug() -> None:
    raise ValueError("a bug")


@pytest.fixture
def app() -> Litestar:
    return Litestar([refused, bug], exception_handlers=exception_handlers)


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
