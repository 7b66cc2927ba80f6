"""``POST /api/v1/courses/{course_id}/lessons/{lesson_id}/lab`` over the courses app, with
labs' stand-in (``MemoryLabs``)."""

from __future__ import annotations

from typing import Any

from cmh.courses.api.api_test import ADMIN, INSTRUCTOR, LEARNER, OTHER, Client
from cmh_testing.courses import CoursesTestApp


async def lab_course(client: Client, harness: CoursesTestApp) -> tuple[str, str]:
    as_teacher = harness.auth(INSTRUCTOR)
    course = await client.post(
        "/api/v1/courses",
        json={
            "title": "S3 hands-on",
            "summary": "Buckets.",
            "provider": "aws",
            "level": "beginner",
        },
        headers=as_teacher,
    )
    course_id = course.json()["id"]
    module = await client.post(
        f"/api/v1/courses/{course_id}/modules", json={"title": "Labs"}, headers=as_teacher
    )
    lesson = await client.post(
        f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
        json={"title": "Version a bucket", "kind": "lab", "duration_minutes": 30},
        headers=as_teacher,
    )
    lesson_id = lesson.json()["id"]
    published = await client.post(f"/api/v1/courses/{course_id}/publish", headers=as_teacher)
    assert published.status_code == 200, published.text
    return course_id, lesson_id


async def put_lab_ref(
    client: Client, harness: CoursesTestApp, course_id: str, lesson_id: str, ref: str, who: Any
) -> Any:
    return await client.put(
        f"/api/v1/courses/{course_id}/lessons/{lesson_id}/content",
        json={"blocks": [{"kind": "paragraph", "text": "Turn versioning on."}], "lab_ref": ref},
        headers=harness.auth(who),
    )


async def test_enrolled_learners_launch_a_lessons_lab(
    client: Client, harness: CoursesTestApp
) -> None:
    labs = await harness.labs()
    labs.add_template("tpl-s3", INSTRUCTOR.user_id)
    labs.add_template("tpl-rival", "rival")
    course_id, lesson_id = await lab_course(client, harness)
    rival = await put_lab_ref(client, harness, course_id, lesson_id, "tpl-rival", INSTRUCTOR)
    assert rival.status_code == 422
    assert rival.json()["code"] == "lab_template_not_found"
    assert rival.json()["errors"][0]["field"] == "lab_ref"
    own = await put_lab_ref(client, harness, course_id, lesson_id, "tpl-s3", INSTRUCTOR)
    assert own.status_code == 200, own.text
    path = f"/api/v1/courses/{course_id}/lessons/{lesson_id}/lab"
    outside = await client.post(path, headers=harness.auth(LEARNER))
    assert (outside.status_code, outside.json()["code"]) == (403, "not_enrolled")
    await client.post(f"/api/v1/courses/{course_id}/enrollments", headers=harness.auth(LEARNER))
    launched = await client.post(path, headers=harness.auth(LEARNER))
    assert launched.status_code == 202, launched.text
    body = launched.json()
    assert (body["template_id"], body["course_id"], body["lesson_id"], body["status"]) == (
        "tpl-s3",
        course_id,
        lesson_id,
        "requested",
    )
    again = await client.post(path, headers=harness.auth(LEARNER))
    assert (again.status_code, again.json()["code"]) == (409, "lab_already_running")
    not_a_lab = await client.post(
        f"/api/v1/courses/{course_id}/lessons/nope/lab", headers=harness.auth(LEARNER)
    )
    assert not_a_lab.status_code == 404


async def test_a_learner_the_plan_does_not_cover_is_not_entitled(
    client: Client, harness: CoursesTestApp
) -> None:
    labs = await harness.labs()
    labs.add_template("tpl-ec2", INSTRUCTOR.user_id, level="advanced")
    course_id, lesson_id = await lab_course(client, harness)
    await put_lab_ref(client, harness, course_id, lesson_id, "tpl-ec2", ADMIN)
    await client.post(f"/api/v1/courses/{course_id}/enrollments", headers=harness.auth(OTHER))
    refused = await client.post(
        f"/api/v1/courses/{course_id}/lessons/{lesson_id}/lab", headers=harness.auth(OTHER)
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_entitled")


async def test_the_launch_route_documents_its_statuses(client: Client) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    launch = document["paths"]["/api/v1/courses/{course_id}/lessons/{lesson_id}/lab"]["post"]
    assert {"202", "403", "404", "409"} <= set(launch["responses"])
