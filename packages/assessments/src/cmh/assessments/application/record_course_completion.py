"""Courses says a learner completed a course: remembered, and the certificate issued
when the course's final exam (if any) is passed too. A redelivery issues nothing more."""

from __future__ import annotations

from datetime import datetime

from cmh.assessments.application.certification import Certification
from cmh.assessments.application.ports import LearnerRecords
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class RecordCourseCompletion:
    def __init__(
        self,
        records: LearnerRecords,
        certification: Certification,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._records = records
        self._certification = certification
        self._uow = uow
        self._clock = clock

    async def execute(self, user_id: str, course_id: str, completed_at: datetime) -> None:
        async with self._uow:
            await self._records.record_completion(user_id, course_id, completed_at)
            await self._certification.issue_if_earned(user_id, course_id, self._clock.now())
            await self._uow.commit()
