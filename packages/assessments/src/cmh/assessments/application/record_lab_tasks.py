"""Labs validated tasks of a learner's session: a lab-task question about one of them
earns its points from now on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cmh.assessments.application.ports import LearnerRecords
from cmh.kernel.uow import UnitOfWork


class RecordLabTasks:
    def __init__(self, records: LearnerRecords, uow: UnitOfWork) -> None:
        self._records = records
        self._uow = uow

    async def execute(
        self, user_id: str, template_id: str, task_ids: Sequence[str], validated_at: datetime
    ) -> None:
        async with self._uow:
            await self._records.record_lab_tasks(user_id, template_id, task_ids, validated_at)
            await self._uow.commit()
