"""Courses launches the lab of a lab lesson for a learner it found enrolled: the launch
itself (tier, lab hours, one live session per template) is ``LaunchLab``'s, with the
course and lesson recorded on the session."""

from __future__ import annotations

from cmh.contracts.http.labs import LessonLabLaunchRequest
from cmh.kernel.auth.principal import Principal, Role
from cmh.labs.application.access import ensure_service_or_self
from cmh.labs.application.launch_lab import LaunchLab, LaunchRequest
from cmh.labs.application.views import SessionView


class LaunchForLearner:
    def __init__(self, launch: LaunchLab) -> None:
        self._launch = launch

    async def execute(self, caller: Principal, request: LessonLabLaunchRequest) -> SessionView:
        ensure_service_or_self(caller, request.user_id)
        learner = Principal(user_id=request.user_id, roles=frozenset({Role.LEARNER.value}))
        return await self._launch.execute(
            learner,
            LaunchRequest(
                template_id=request.template_id,
                course_id=request.course_id,
                lesson_id=request.lesson_id,
            ),
        )
