"""The Labs service's internal HTTP API (``/internal/v1/labs``), used by courses: a
learner's launch from a lab lesson, and who owns a template a lesson refers to. Labs
answers with these Structs; a client decodes these same Structs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class LessonLabLaunchRequest(msgspec.Struct, frozen=True, kw_only=True):
    """``POST /internal/v1/labs/sessions``: courses has checked the enrollment and found
    the lesson's template; labs checks the learner's tier and lab hours."""

    user_id: Id
    template_id: Id
    course_id: Id
    lesson_id: Id


class LabSessionResponse(msgspec.Struct, frozen=True, kw_only=True):
    """The requested session (202), as the learner's ``GET /api/v1/labs/sessions/{id}``
    shows it before it is ready."""

    id: str
    user_id: str
    template_id: str
    course_id: str | None
    lesson_id: str | None
    provider: str
    status: str
    region: str
    requested_at: datetime
    expires_at: datetime | None
    max_score: int


class TemplateOwnerResponse(msgspec.Struct, frozen=True, kw_only=True):
    """``GET /internal/v1/labs/templates/{id}/owner``; 404 ``template_not_found``."""

    template_id: str
    owner_id: str


class LabHoursRefundRequest(msgspec.Struct, frozen=True, kw_only=True):
    """``POST /internal/v1/labs/sessions/{id}/hours-refund`` (payments' refund saga):
    give the learner back what is left of the session's lab hours."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class LabHoursRefundResponse(msgspec.Struct, frozen=True, kw_only=True):
    """``hours_refunded``: a decimal string, "0" when nothing was left to give back (a
    repeated request changes nothing); ``pack_hours_refunded``: of those, the hours the
    session had taken from lab-hour packs (they are back in the pack balance)."""

    session_id: str
    user_id: str
    hours_refunded: str
    pack_hours_refunded: str = "0"
