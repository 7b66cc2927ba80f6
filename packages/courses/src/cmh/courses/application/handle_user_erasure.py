"""GDPR erasure: a user's enrollments and progress disappear (the consumer runner makes it
once per erasure event)."""

from __future__ import annotations

from cmh.courses.application.ports import EnrollmentRepository, ProgressRepository
from cmh.kernel.uow import UnitOfWork


class HandleUserErasure:
    def __init__(
        self, enrollments: EnrollmentRepository, progress: ProgressRepository, uow: UnitOfWork
    ) -> None:
        self._enrollments = enrollments
        self._progress = progress
        self._uow = uow

    async def execute(self, user_id: str) -> None:
        async with self._uow:
            await self._progress.delete_for_user(user_id)
            await self._enrollments.delete_for_user(user_id)
            await self._uow.commit()
