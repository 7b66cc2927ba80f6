"""What the gateway's use cases need from the outside."""

from __future__ import annotations

from typing import Any, Protocol

import msgspec

from cmh.kernel.auth.principal import Principal


class Caller(Protocol):
    @property
    def principal(self) -> Principal: ...

    @property
    def token(self) -> str: ...


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    email: str
    display_name: str
    roles: list[str]
    tier: str


class EnrollmentProgress(msgspec.Struct, frozen=True, kw_only=True):
    course_id: str
    course_title: str
    enrolled_at: str
    percentage: int
    completed: bool


class DashboardSources(Protocol):
    async def profile(self, caller: Caller) -> Profile: ...

    async def enrollments(self, caller: Caller) -> list[EnrollmentProgress]: ...


class OpenApiSource(Protocol):
    async def documents(self) -> dict[str, dict[str, Any]]:
        """Each upstream's OpenAPI document by upstream name; unreachable ones left out."""
        ...
