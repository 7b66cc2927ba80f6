"""Names certificates print, kept from other contexts' events: a learner's display name
(users) and a course's title (courses)."""

from __future__ import annotations

from cmh.assessments.application.ports import LearnerRecords
from cmh.kernel.uow import UnitOfWork


class RecordLearnerName:
    def __init__(self, records: LearnerRecords, uow: UnitOfWork) -> None:
        self._records = records
        self._uow = uow

    async def execute(self, user_id: str, display_name: str) -> None:
        async with self._uow:
            await self._records.record_name(user_id, display_name)
            await self._uow.commit()


class RecordCourseTitle:
    def __init__(self, records: LearnerRecords, uow: UnitOfWork) -> None:
        self._records = records
        self._uow = uow

    async def execute(self, course_id: str, title: str) -> None:
        async with self._uow:
            await self._records.record_course(course_id, title)
            await self._uow.commit()
