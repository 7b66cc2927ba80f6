"""The whole context in one process: HTTP API -> SQLite + outbox -> in-process bus ->
consumers. Completion is announced once, however often the path to it is repeated."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from litestar.testing import AsyncTestClient

from cmh.contracts.events.base import decode_envelope, encode_envelope, wrap
from cmh.contracts.events.courses import CourseCompletedV1, LessonCompletedV1
from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.courses.application.ports import EnrollmentRepository
from cmh.kernel.auth.principal import Principal
from cmh.kernel.messaging.ports import OutgoingMessage
from cmh_testing.courses import build_courses_test_app

INSTRUCTOR = Principal(user_id="teacher", roles=frozenset({"instructor"}))
LEARNER = Principal(user_id="learner", roles=frozenset({"learner"}))


async def test_course_completion_is_announced_once_and_erasure_applies_once(tmp_path: Path) -> None:
    harness = await build_courses_test_app(tmp_path)
    teacher, learner = harness.auth(INSTRUCTOR), harness.auth(LEARNER)
    async with AsyncTestClient(harness.app) as client:
        course = (
            await client.post(
                "/api/v1/courses",
                headers=teacher,
                json={
                    "title": "Azure Fundamentals",
                    "summary": "AZ-900 prep.",
                    "provider": "azure",
                    "level": "beginner",
                },
            )
        ).json()
        base = f"/api/v1/courses/{course['id']}"
        module = (
            await client.post(f"{base}/modules", headers=teacher, json={"title": "Core"})
        ).json()
        lessons = [
            (
                await client.post(
                    f"{base}/modules/{module['id']}/lessons",
                    headers=teacher,
                    json={"title": title, "kind": "text", "required": required},
                )
            ).json()["id"]
            for title, required in (("Regions", True), ("Pricing", True), ("Extra reading", False))
        ]
        assert (await client.post(f"{base}/publish", headers=teacher)).status_code == 200
        assert (await client.post(f"{base}/enrollments", headers=learner)).status_code == 201

        for lesson_id in (lessons[0], lessons[1], lessons[1], lessons[1], lessons[2]):
            answer = await client.post(f"{base}/lessons/{lesson_id}/complete", headers=learner)
            assert answer.status_code == 200
        assert answer.json()["percentage"] == 100
        await harness.drain()

        def published(event_type: str) -> list[OutgoingMessage]:
            return [m for m in harness.bus.published if m.headers.get("ce_type") == event_type]

        assert len(published(LessonCompletedV1.TYPE)) == 3
        [completed] = published(CourseCompletedV1.TYPE)
        event: CourseCompletedV1 = decode_envelope(completed.payload).decode(CourseCompletedV1)
        assert (event.user_id, event.course_id) == (LEARNER.user_id, course["id"])

        erasure = wrap(
            UserErasureRequestedV1(user_id=LEARNER.user_id),
            id="erase-1",
            source="users",
            subject=LEARNER.user_id,
            time=datetime.now(UTC),
        )
        message = OutgoingMessage(
            topic=UserErasureRequestedV1.TOPIC,
            key=LEARNER.user_id,
            payload=encode_envelope(erasure),
        )
        await harness.bus.publish([message, message])
        assert not harness.bus.dead_letters
        async with harness.container() as request:
            assert (
                await (await request.get(EnrollmentRepository)).get(LEARNER.user_id, course["id"])
                is None
            )
        assert (await client.get("/api/v1/enrollments/me", headers=learner)).json()["items"] == []
        again = await client.post(f"{base}/lessons/{lessons[1]}/complete", headers=learner)
        assert again.status_code == 403
        await harness.drain()
        assert len(published(CourseCompletedV1.TYPE)) == 1
    await harness.container.close()
