from __future__ import annotations

from typing import Any

from cmh.labs.api.conftest import (
    ADMIN,
    COURSES,
    INSTRUCTOR,
    LEARNER,
    OTHER,
    Client,
    LabsApi,
)
from cmh.labs.domain.checks import ObservedResource
from cmh_testing.labs import template_body


async def authored(client: Client, api: LabsApi, **changes: Any) -> dict[str, Any]:
    created = await client.post(
        "/api/v1/labs/templates", json=template_body(**changes), headers=api.auth(INSTRUCTOR)
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


async def launched(client: Client, api: LabsApi, template_id: str) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/labs/sessions", json={"template_id": template_id}, headers=api.auth(LEARNER)
    )
    assert response.status_code == 202, response.text
    await (await api.jobs()).idle()
    body: dict[str, Any] = response.json()
    return body


async def test_templates_are_authored_by_instructors_and_read_by_anyone_signed_in(
    client: Client, api: LabsApi
) -> None:
    template = await authored(client, api)
    assert template["resources"] == [
        {"type": "bucket", "name_prefix": "data-", "versioning": False}
    ]
    refused = await client.post(
        "/api/v1/labs/templates", json=template_body(), headers=api.auth(LEARNER)
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_an_author")
    listed = await client.get("/api/v1/labs/templates?provider=aws", headers=api.auth(LEARNER))
    assert [t["id"] for t in listed.json()] == [template["id"]]
    assert (await client.get("/api/v1/labs/templates")).status_code == 401
    patched = await client.patch(
        f"/api/v1/labs/templates/{template['id']}",
        json={"title": "S3 versioning, revised"},
        headers=api.auth(ADMIN),
    )
    assert patched.json()["title"] == "S3 versioning, revised"
    missing = await client.get("/api/v1/labs/templates/nope", headers=api.auth(LEARNER))
    assert (missing.status_code, missing.json()["code"]) == (404, "lab_template_not_found")


async def test_bad_templates_are_422_naming_the_field(client: Client, api: LabsApi) -> None:
    as_teacher = api.auth(INSTRUCTOR)
    wrong_region = await client.post(
        "/api/v1/labs/templates",
        json=template_body(allowed_regions=["westeurope"]),
        headers=as_teacher,
    )
    assert wrong_region.status_code == 422
    assert wrong_region.json()["code"] == "invalid_lab_template"
    unknown = await client.post(
        "/api/v1/labs/templates", json=template_body(colour="red"), headers=as_teacher
    )
    assert unknown.status_code in (400, 422)


async def test_a_learner_works_through_a_session(client: Client, api: LabsApi) -> None:
    template = await authored(client, api)
    session = await launched(client, api, template["id"])
    assert session["status"] == "requested"
    path = f"/api/v1/labs/sessions/{session['id']}"
    ready = (await client.get(path, headers=api.auth(LEARNER))).json()
    assert ready["status"] == "ready"
    assert ready["credentials"]["secret_access_key"].startswith("secret-")
    assert [move["to_status"] for move in ready["history"]] == ["provisioning", "ready"]
    seen_by_admin = (await client.get(path, headers=api.auth(ADMIN))).json()
    assert seen_by_admin["credentials"] is None
    stranger = await client.get(path, headers=api.auth(OTHER))
    assert (stranger.status_code, stranger.json()["code"]) == (404, "lab_session_not_found")

    api.aws().create(
        session["id"],
        ObservedResource("bucket", "logs-1", "us-east-1", attributes={"versioning": True}),
    )
    graded = await client.post(f"{path}/validate", headers=api.auth(LEARNER))
    assert graded.status_code == 200, graded.text
    assert (graded.json()["score"], graded.json()["max_score"]) == (10, 10)
    extended = await client.post(f"{path}/extend", json={"minutes": 15}, headers=api.auth(LEARNER))
    assert extended.status_code == 200, extended.text
    too_long = await client.post(f"{path}/extend", json={"minutes": 20}, headers=api.auth(LEARNER))
    assert (too_long.status_code, too_long.json()["code"]) == (409, "lab_extension_not_allowed")

    ended = await client.delete(path, headers=api.auth(LEARNER))
    assert (ended.status_code, ended.json()["status"]) == (202, "tearing_down")
    await (await api.jobs()).idle()
    mine = (await client.get("/api/v1/labs/sessions/me", headers=api.auth(LEARNER))).json()
    assert [(s["id"], s["status"], s["outcome"]) for s in mine] == [
        (session["id"], "ended", "completed")
    ]
    assert await api.aws().inventory(session["id"]) == ()


async def test_launch_refusals_are_403_and_409(client: Client, api: LabsApi) -> None:
    beginner = await authored(client, api)
    advanced = await authored(client, api, title="Advanced S3", level="advanced")
    await launched(client, api, beginner["id"])
    again = await client.post(
        "/api/v1/labs/sessions", json={"template_id": beginner["id"]}, headers=api.auth(LEARNER)
    )
    assert (again.status_code, again.json()["code"]) == (409, "lab_already_running")
    free = await client.post(
        "/api/v1/labs/sessions", json={"template_id": advanced["id"]}, headers=api.auth(LEARNER)
    )
    assert (free.status_code, free.json()["code"]) == (403, "not_entitled")


async def test_courses_launches_a_lesson_lab_on_the_internal_route(
    client: Client, api: LabsApi
) -> None:
    template = await authored(client, api)
    body = {
        "user_id": LEARNER.user_id,
        "template_id": template["id"],
        "course_id": "course-1",
        "lesson_id": "lesson-1",
    }
    other = await client.post("/internal/v1/labs/sessions", json=body, headers=api.auth(OTHER))
    assert (other.status_code, other.json()["code"]) == (403, "service_only")
    launched = await client.post("/internal/v1/labs/sessions", json=body, headers=api.auth(COURSES))
    assert launched.status_code == 202, launched.text
    assert (launched.json()["course_id"], launched.json()["status"]) == ("course-1", "requested")
    again = await client.post("/internal/v1/labs/sessions", json=body, headers=api.auth(COURSES))
    assert (again.status_code, again.json()["code"]) == (409, "lab_already_running")
    owner = await client.get(
        f"/internal/v1/labs/templates/{template['id']}/owner", headers=api.auth(COURSES)
    )
    assert owner.status_code == 200, owner.text
    assert owner.json()["owner_id"] == template["owner_id"]
    await (await api.jobs()).idle()


async def test_admin_routes_are_for_admins(client: Client, api: LabsApi) -> None:
    template = await authored(client, api)
    session = await launched(client, api, template["id"])
    refused = await client.get("/api/v1/admin/labs/sessions", headers=api.auth(LEARNER))
    assert refused.status_code == 403
    ready = await client.get("/api/v1/admin/labs/sessions?status=ready", headers=api.auth(ADMIN))
    assert [s["id"] for s in ready.json()] == [session["id"]]
    costs = await client.get("/api/v1/admin/labs/costs?group_by=template", headers=api.auth(ADMIN))
    assert costs.status_code == 200, costs.text
    assert costs.json()["lines"] == [{"key": template["id"], "sessions": 1, "cost_usd": "0.00"}]
    wrong = await client.get("/api/v1/admin/labs/costs?group_by=user", headers=api.auth(ADMIN))
    assert wrong.status_code == 422


async def test_every_status_is_documented(client: Client) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    launch = document["paths"]["/api/v1/labs/sessions"]["post"]["responses"]
    assert {"202", "401", "403", "409", "422"} <= set(launch)
    internal = document["paths"]["/internal/v1/labs/sessions"]["post"]
    assert {"202", "403", "404", "409"} <= set(internal["responses"])
    ending = document["paths"]["/api/v1/labs/sessions/{session_id}"]["delete"]["responses"]
    assert {"202", "401", "404"} <= set(ending)


async def test_a_warm_pool_hands_out_a_ready_environment_and_admins_see_it(
    client: Client, api: LabsApi
) -> None:
    template = await authored(client, api, warm_pool_size=1)
    refused = await client.get("/api/v1/admin/labs/pools", headers=api.auth(LEARNER))
    assert refused.status_code == 403
    empty = await client.get("/api/v1/admin/labs/pools", headers=api.auth(ADMIN))
    assert empty.json() == [
        {
            "template_id": template["id"],
            "title": template["title"],
            "size": 1,
            "ready": 0,
            "provisioning": 0,
        }
    ]
    await api.keep_warm()
    pools = await client.get("/api/v1/admin/labs/pools", headers=api.auth(ADMIN))
    assert pools.json()[0]["ready"] == 1
    session = await launched(client, api, template["id"])
    seen = await client.get(f"/api/v1/labs/sessions/{session['id']}", headers=api.auth(LEARNER))
    assert seen.json()["status"] == "ready"
    after = await client.get("/api/v1/admin/labs/pools", headers=api.auth(ADMIN))
    assert after.json()[0]["ready"] == 0  # claimed; the next pass replaces it
