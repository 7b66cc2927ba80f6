"""Instructors reorder a course's modules and a module's lessons: the body must list every
existing id exactly once, and only the course's instructor or an admin may do it."""

from __future__ import annotations

from typing import Any

import pytest

from cmh.courses.api.api_test import ADMIN, INSTRUCTOR, LEARNER, Client, authored
from cmh.kernel.auth.principal import Principal
from cmh_testing.courses import CoursesTestApp

RIVAL = Principal(user_id="rival", roles=frozenset({"instructor"}))


async def two_modules(client: Client, harness: CoursesTestApp) -> dict[str, Any]:
    """A published course: "Getting started" (two lessons), then "Going further"."""
    course = await authored(client, harness)
    added = await client.post(
        f"/api/v1/courses/{course['id']}/modules",
        json={"title": "Going further"},
        headers=harness.auth(INSTRUCTOR),
    )
    assert added.status_code == 201, added.text
    detail = await client.get(f"/api/v1/courses/{course['id']}")
    return dict(detail.json())


def module_ids(course: dict[str, Any]) -> list[str]:
    return [module["id"] for module in course["modules"]]


async def test_the_owner_reorders_modules_and_lessons(
    client: Client, harness: CoursesTestApp
) -> None:
    course = await two_modules(client, harness)
    first, second = module_ids(course)
    base = f"/api/v1/courses/{course['id']}/modules"
    moved = await client.put(
        f"{base}/order", json={"module_ids": [second, first]}, headers=harness.auth(INSTRUCTOR)
    )
    assert moved.status_code == 200, moved.text
    assert module_ids(moved.json()) == [second, first]
    video, text = [lesson["id"] for lesson in course["modules"][0]["lessons"]]
    swapped = await client.put(
        f"{base}/{first}/lessons/order",
        json={"lesson_ids": [text, video]},
        headers=harness.auth(ADMIN),
    )
    assert swapped.status_code == 200, swapped.text
    await harness.drain()
    public = (await client.get(f"/api/v1/courses/{course['id']}")).json()
    assert module_ids(public) == [second, first]
    assert [lesson["title"] for lesson in public["modules"][1]["lessons"]] == [
        "Read the basics",
        "Welcome video",
    ]


@pytest.mark.parametrize("fault", ["missing", "unknown", "repeated"])
async def test_an_order_that_is_not_a_permutation_is_422_naming_the_field(
    client: Client, harness: CoursesTestApp, fault: str
) -> None:
    course = await two_modules(client, harness)
    first, second = module_ids(course)
    video, text = [lesson["id"] for lesson in course["modules"][0]["lessons"]]
    module_order = {"missing": [second], "unknown": [second, first, "m-x"]}.get(
        fault, [second, first, second]
    )
    lesson_order = {"missing": [text], "unknown": [text, video, "l-x"]}.get(
        fault, [text, video, text]
    )
    base = f"/api/v1/courses/{course['id']}/modules"
    as_teacher = harness.auth(INSTRUCTOR)
    for url, body, field in (
        (f"{base}/order", {"module_ids": module_order}, "module_ids"),
        (f"{base}/{first}/lessons/order", {"lesson_ids": lesson_order}, "lesson_ids"),
    ):
        refused = await client.put(url, json=body, headers=as_teacher)
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert problem["code"] == "invalid_order"
        assert problem["errors"][0]["field"] == field
        assert fault in problem["detail"]
    unchanged = (await client.get(f"/api/v1/courses/{course['id']}")).json()
    assert unchanged["modules"] == course["modules"]


async def test_only_the_owner_or_an_admin_reorders(client: Client, harness: CoursesTestApp) -> None:
    course = await two_modules(client, harness)
    first, second = module_ids(course)
    url = f"/api/v1/courses/{course['id']}/modules/order"
    body = {"module_ids": [second, first]}
    rival = await client.put(url, json=body, headers=harness.auth(RIVAL))
    assert (rival.status_code, rival.json()["code"]) == (403, "not_course_owner")
    learner = await client.put(url, json=body, headers=harness.auth(LEARNER))
    assert (learner.status_code, learner.json()["code"]) == (403, "not_an_author")
    assert (await client.put(url, json=body)).status_code == 401
    lessons_url = f"/api/v1/courses/{course['id']}/modules/{first}/lessons/order"
    assert (await client.put(lessons_url, json={"lesson_ids": []})).status_code == 401
    refused = await client.put(lessons_url, json={"lesson_ids": []}, headers=harness.auth(RIVAL))
    assert refused.status_code == 403


async def test_an_unknown_course_or_module_is_404(client: Client, harness: CoursesTestApp) -> None:
    course = await two_modules(client, harness)
    as_teacher = harness.auth(INSTRUCTOR)
    missing = await client.put(
        "/api/v1/courses/nope/modules/order", json={"module_ids": []}, headers=as_teacher
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "course_not_found")
    no_module = await client.put(
        f"/api/v1/courses/{course['id']}/modules/nope/lessons/order",
        json={"lesson_ids": []},
        headers=as_teacher,
    )
    assert (no_module.status_code, no_module.json()["code"]) == (404, "module_not_found")
    malformed = await client.put(
        f"/api/v1/courses/{course['id']}/modules/order",
        json={"module_ids": "not a list"},
        headers=as_teacher,
    )
    assert (malformed.status_code, malformed.json()["errors"][0]["field"]) == (422, "module_ids")
