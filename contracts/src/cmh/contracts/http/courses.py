"""The Courses service's internal HTTP API (``/internal/v1/courses``), used by
assessments: who owns a course and whether a learner is enrolled in it. Courses answers
with these Structs; a client decodes these same Structs."""

from __future__ import annotations

import msgspec


class CourseMembershipResponse(msgspec.Struct, frozen=True, kw_only=True):
    """``GET /internal/v1/courses/{course_id}/members/{user_id}``: the course's title,
    status and owner, and whether ``user_id`` holds an active enrollment in it."""

    course_id: str
    title: str
    status: str
    owner_id: str
    user_id: str
    enrolled: bool
