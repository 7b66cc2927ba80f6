"""The labs service, for lab lessons, with the caller's own token (labs accepts a
learner launching for themself, or a platform service):
``POST /internal/v1/labs/sessions`` and ``GET /internal/v1/labs/templates/{id}/owner``,
answered with the ``contracts`` bodies labs encodes. Labs' refusals (403, 404, 409) come
back as the same kernel errors with labs' own codes and details."""

from __future__ import annotations

import httpx
import msgspec

from cmh.contracts.http.labs import (
    LabSessionResponse,
    LessonLabLaunchRequest,
    TemplateOwnerResponse,
)
from cmh.contracts.http.problems import ProblemDetails
from cmh.courses.adapters.http.resilient import ResilientJsonClient, decode_json, path_segment
from cmh.courses.application.ports import LabSessionSummary
from cmh.kernel.errors import Conflict, DependencyUnavailable, DomainError, Forbidden, NotFound

ACCEPTED = 202
REFUSALS: dict[int, type[DomainError]] = {403: Forbidden, 404: NotFound, 409: Conflict}


def refusal(response: httpx.Response) -> DomainError:
    """Labs' problem details as the kernel error of the same status and code."""
    try:
        problem = msgspec.json.decode(response.content, type=ProblemDetails)
    except (msgspec.ValidationError, msgspec.DecodeError):
        problem = ProblemDetails(detail=f"labs answered {response.status_code}")
    return REFUSALS[response.status_code](problem.detail, code=problem.code)


class HttpLabs:
    def __init__(self, client: ResilientJsonClient, labs_url: str) -> None:
        self._client = client
        self._base = labs_url.rstrip("/")

    async def launch(
        self, user_id: str, template_id: str, course_id: str, lesson_id: str
    ) -> LabSessionSummary:
        response = await self._client.post(
            f"{self._base}/internal/v1/labs/sessions",
            LessonLabLaunchRequest(
                user_id=user_id, template_id=template_id, course_id=course_id, lesson_id=lesson_id
            ),
        )
        if response.status_code in REFUSALS:
            raise refusal(response)
        if response.status_code != ACCEPTED:
            raise DependencyUnavailable(f"labs answered {response.status_code} to a launch")
        body: LabSessionResponse = decode_json(response, LabSessionResponse, "labs")
        return LabSessionSummary(
            id=body.id,
            user_id=body.user_id,
            template_id=body.template_id,
            course_id=body.course_id,
            lesson_id=body.lesson_id,
            provider=body.provider,
            status=body.status,
            region=body.region,
            requested_at=body.requested_at,
            expires_at=body.expires_at,
            max_score=body.max_score,
        )

    async def owner_of(self, template_id: str) -> str | None:
        response = await self._client.get(
            f"{self._base}/internal/v1/labs/templates/{path_segment(template_id)}/owner"
        )
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise DependencyUnavailable(f"labs answered {response.status_code} for an owner")
        body: TemplateOwnerResponse = decode_json(response, TemplateOwnerResponse, "labs")
        return body.owner_id
