"""Every authoring route refuses a learner before reading the body: 403 ``not_an_author``
whatever was sent, so a 422 never describes the schema to someone who may not use it."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.courses.api.api_test import INSTRUCTOR, LEARNER, authored
from cmh_testing.courses import CoursesTestApp

Client = AsyncTestClient[Litestar]
NOT_A_BODY = {"unknown_field": True, "title": 42}

AUTHORING = [
    ("POST", "/api/v1/courses"),
    ("PATCH", "/api/v1/courses/{course}"),
    ("POST", "/api/v1/courses/{course}/modules"),
    ("POST", "/api/v1/courses/{course}/modules/{module}/lessons"),
    ("POST", "/api/v1/courses/{course}/publish"),
    ("POST", "/api/v1/courses/{course}/archive"),
    ("PUT", "/api/v1/courses/{course}/lessons/{lesson}/content"),
]


@pytest.mark.parametrize(("method", "path"), AUTHORING)
async def test_a_learner_with_an_invalid_body_is_403_not_422(
    client: Client, harness: CoursesTestApp, method: str, path: str
) -> None:
    course = await authored(client, harness, publish=False)
    module = course["modules"][0]
    url = path.format(course=course["id"], module=module["id"], lesson=module["lessons"][0]["id"])
    answer = await client.request(method, url, json=NOT_A_BODY, headers=harness.auth(LEARNER))
    assert (answer.status_code, answer.json()["code"]) == (403, "not_an_author"), answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "unknown_field" not in answer.text
    # The same body from an author still gets the schema's answer.
    if method != "POST" or path.endswith(("courses", "modules", "lessons")):
        from_author = await client.request(
            method, url, json=NOT_A_BODY, headers=harness.auth(INSTRUCTOR)
        )
        assert from_author.status_code == 422, from_author.text


async def test_no_token_is_still_401(client: Client) -> None:
    answer = await client.post("/api/v1/courses", json=NOT_A_BODY)
    assert answer.status_code == 401
