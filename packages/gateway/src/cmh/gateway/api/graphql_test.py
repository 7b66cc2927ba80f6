from cmh_testing.gateway.world import World

QUERY = """{ dashboard {
    profile { id email displayName tier }
    enrollments { courseId percentage completed }
    coursesCompleted
} }"""


async def test_the_dashboard_comes_from_users_and_courses(world: World) -> None:
    world.users.profiles["u-1"] = {
        "id": "u-1",
        "email": "lena@example.com",
        "display_name": "Lena",
        "roles": ["learner"],
        "tier": "pro",
    }
    enrollment = {"course_id": "c-1", "course_title": "AWS 101", "enrolled_at": "2026-01-01"}
    for instance in (world.courses_a, world.courses_b):
        instance.enrollments["u-1"] = [
            {**enrollment, "progress": {"percentage": 100, "completed_at": "2026-02-01"}},
            {**enrollment, "course_id": "c-2", "progress": {"percentage": 40}},
        ]
    response = await world.client.post("/graphql", json={"query": QUERY}, headers=world.auth())
    assert response.status_code == 200
    data = response.json()["data"]["dashboard"]
    assert data["profile"] == {
        "id": "u-1",
        "email": "lena@example.com",
        "displayName": "Lena",
        "tier": "pro",
    }
    assert data["enrollments"] == [
        {"courseId": "c-1", "percentage": 100, "completed": True},
        {"courseId": "c-2", "percentage": 40, "completed": False},
    ]
    assert data["coursesCompleted"] == 1


async def test_the_dashboard_needs_a_token(world: World) -> None:
    response = await world.client.post("/graphql", json={"query": QUERY})
    assert response.status_code == 401


async def test_a_deeply_nested_body_is_400_malformed_body(world: World) -> None:
    deep = b'{"query": "{ dashboard { coursesCompleted } }", "variables": {"a": '
    deep += b"[" * 5000 + b"]" * 5000 + b"}}"
    response = await world.client.post(
        "/graphql", content=deep, headers={**world.auth(), "content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "malformed_body"


async def test_the_dashboard_answers_without_analytics(world: World) -> None:
    world.users.profiles["u-1"] = {
        "id": "u-1",
        "email": "lena@example.com",
        "display_name": "Lena",
        "roles": ["learner"],
        "tier": "pro",
    }
    query = (
        "{ dashboard { profile { id } stats { currentStreakDays } recommendations { courseId } } }"
    )
    response = await world.client.post("/graphql", json={"query": query}, headers=world.auth())
    assert response.status_code == 200, response.text
    data = response.json()["data"]["dashboard"]
    assert data == {"profile": {"id": "u-1"}, "stats": None, "recommendations": []}
