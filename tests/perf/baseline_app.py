"""The baseline: bare Litestar handlers returning the same JSON as the endpoints measured,
with no auth, no DI, no database. Served by the same uvicorn, loaded the same way."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, get, post

ME = {
    "id": "97546891-d305-4834-a46e-ca3bdbba5430",
    "email": "learner@cloudmastershub.dev",
    "display_name": "Lena Learner",
    "roles": ["learner"],
    "tier": "free",
    "email_verified": False,
    "status": "active",
    "locale": "en",
    "timezone": "UTC",
    "interests": [],
    "skill_level": None,
    "created_at": "2026-11-25T13:11:02.178297Z",
}
TOKENS = {
    "access_token": "x" * 420,
    "refresh_token": "y" * 43,
    "token_type": "Bearer",
    "expires_in": 900,
}


@get("/api/v1/users/me")
async def me() -> dict[str, Any]:
    return ME


@post("/api/v1/auth/login", status_code=200)
async def login(data: dict[str, Any]) -> dict[str, Any]:
    return TOKENS


COURSES = {
    "items": [
        {
            "id": f"c-{n}",
            "title": f"Course {n}",
            "summary": "A course about the cloud.",
            "provider": "aws",
            "level": "beginner",
            "tags": ["aws", "s3"],
            "estimated_minutes": 60,
            "lesson_count": 5,
            "owner_id": "u-1",
            "published_at": "2026-11-25T13:19:12.548024Z",
        }
        for n in range(4)
    ],
    "facets": {
        "provider": {"aws": 2, "azure": 1, "gcp": 1},
        "level": {"beginner": 2},
        "tags": {"aws": 2},
    },
    "next_cursor": None,
}


@get("/api/v1/courses")
async def courses() -> dict[str, Any]:
    return COURSES


@get("/api/v1/courses/{course_id:str}")
async def course(course_id: str) -> dict[str, Any]:
    items: list[dict[str, Any]] = COURSES["items"]  # type: ignore[assignment]
    return items[0]


app = Litestar([me, login, courses, course])
