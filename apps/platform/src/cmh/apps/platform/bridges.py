"""In-process adapters between contexts, for the embedded profile only.

A context reaches another through a port it owns; in the distributed profile the adapter
is an HTTP client, here it calls the other context's application query in a fresh
request scope of the same container. Only a composition root may know both sides.
"""

from __future__ import annotations

from dishka import AsyncContainer

from cmh.courses.application.ports import LearnerEntitlements
from cmh.users.application.get_entitlements import GetEntitlements
from cmh.users.domain.roles import service_principal

COURSES_SERVICE = service_principal("courses")


class InProcessEntitlements:
    """courses -> users: what a learner may take."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def of(self, user_id: str) -> LearnerEntitlements:
        async with self._container() as request:
            answer = await (await request.get(GetEntitlements))(COURSES_SERVICE, user_id)
        return LearnerEntitlements(
            user_id=answer.user_id,
            tier=answer.tier,
            course_levels=frozenset(answer.course_levels),
            active=answer.active,
        )
