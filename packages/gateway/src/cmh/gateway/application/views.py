"""What the gateway's queries answer: read models, returned as the response body."""

from __future__ import annotations

from typing import Any

import msgspec

from cmh.gateway.application.ports import (
    EnrollmentProgress,
    LearningStats,
    Profile,
    RecommendedCourse,
)


class Dashboard(msgspec.Struct, frozen=True, kw_only=True):
    profile: Profile
    enrollments: list[EnrollmentProgress]
    stats: LearningStats | None = None
    recommendations: list[RecommendedCourse] = []

    @property
    def courses_completed(self) -> int:
        return sum(1 for enrollment in self.enrollments if enrollment.completed)


class OpenApiDocument(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The merged OpenAPI document of every upstream; its fields are the document's
    top-level keys."""

    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]
    tags: list[dict[str, Any]] = []
