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


app = Litestar([me, login])
