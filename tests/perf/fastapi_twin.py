"""The FastAPI + pydantic twin of the embedded platform's two hot reads, written the way
FastAPI's documentation teaches: ``Depends`` for the session and the bearer token,
pydantic ``response_model``s, SQLAlchemy async over the same SQLite file, pyjwt against
the platform's own JWKS. Served by the same uvicorn (``--factory``), measured the same way.

- ``GET /api/v1/users/me``: verify the EdDSA token, read the account row, answer it;
- ``GET /api/v1/courses``: the catalog page, kept in process as pydantic models (the
  twin of our cached page) and serialized by its response model on every request.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

import httpx
import jwt
from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from cmh.kernel.auth.tokens import TokenSettings

PLATFORM_ENV = "CMH_BENCH_TWIN_PLATFORM"  # the platform's URL (JWKS, catalog page)
DATABASE_ENV = "CMH_BENCH_TWIN_DATABASE"  # the platform's SQLite file


class UserOut(BaseModel):
    id: str
    email: str
    display_name: str
    roles: list[str]
    tier: str
    email_verified: bool
    status: str
    locale: str
    timezone: str
    interests: list[str]
    skill_level: str | None
    created_at: datetime


class CourseOut(BaseModel):
    id: str
    title: str
    summary: str
    provider: str
    level: str
    tags: list[str]
    estimated_minutes: int
    lesson_count: int
    owner_id: str
    published_at: datetime | None


class CatalogPage(BaseModel):
    items: list[CourseOut]
    facets: dict[str, dict[str, int]]
    next_cursor: str | None


state: dict[str, Any] = {}


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    platform = os.environ[PLATFORM_ENV]
    async with httpx.AsyncClient(base_url=platform) as client:
        jwks = (await client.get("/api/v1/auth/jwks")).json()
        page = (await client.get("/api/v1/courses")).json()
    state["key"] = jwt.PyJWK(jwks["keys"][0])
    state["catalog"] = CatalogPage.model_validate(page)
    engine = create_async_engine(f"sqlite+aiosqlite:///{os.environ[DATABASE_ENV]}", pool_size=10)
    state["sessions"] = async_sessionmaker(engine, expire_on_commit=False)
    yield
    await engine.dispose()


async def get_session() -> AsyncIterator[AsyncSession]:
    async with state["sessions"]() as session:
        yield session


def current_user_id(authorization: Annotated[str, Header()]) -> str:
    tokens = TokenSettings()
    try:
        claims = jwt.decode(
            authorization.removeprefix("Bearer "),
            state["key"],
            algorithms=["EdDSA"],
            audience=tokens.audience,
            issuer=tokens.issuer,
        )
    except jwt.PyJWTError as exc:
        raise HTTPException(status_code=401, detail="invalid token") from exc
    return str(claims["sub"])


def app() -> FastAPI:
    twin = FastAPI(lifespan=lifespan)

    @twin.get("/api/v1/users/me", response_model=UserOut)
    async def me(
        user_id: Annotated[str, Depends(current_user_id)],
        session: Annotated[AsyncSession, Depends(get_session)],
    ) -> Any:
        row = (
            (
                await session.execute(
                    text("SELECT * FROM users_accounts WHERE id = :id"), {"id": user_id}
                )
            )
            .mappings()
            .one_or_none()
        )
        if row is None:
            raise HTTPException(status_code=404, detail="no such user")
        return {
            **row,
            "roles": _json_list(row["roles"]),
            "interests": _json_list(row["interests"]),
        }

    @twin.get("/api/v1/courses", response_model=CatalogPage)
    async def courses() -> CatalogPage:
        page: CatalogPage = state["catalog"]
        return page

    @twin.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "up"}

    return twin


def _json_list(value: Any) -> list[str]:
    return list(json.loads(value) if isinstance(value, str) else value)
