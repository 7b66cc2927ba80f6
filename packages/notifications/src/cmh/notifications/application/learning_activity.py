"""Course reminders: courses' events keep each learner's last activity per course
(``RecordActivity``), and the timer's pass reminds those quiet for ``after`` days, once per
quiet spell, through ``Notify`` on their chosen channels (``RemindInactiveLearners``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.notifications.application.notify import Notify
from cmh.notifications.application.ports import ActivityRepository
from cmh.notifications.application.requests import NotifyRequest
from cmh.notifications.domain.activity import LearningActivity

REMIND_AFTER = timedelta(days=7)
BATCH = 200


class RecordActivity:
    def __init__(self, activities: ActivityRepository, uow: UnitOfWork) -> None:
        self._activities = activities
        self._uow = uow

    async def execute(
        self, user_id: str, course_id: str, at: datetime, *, completed: bool = False
    ) -> None:
        async with self._uow:
            activity = await self._activities.get(user_id, course_id)
            if activity is None:
                activity = LearningActivity(user_id, course_id, at)
            if completed:
                activity.complete(at)
            else:
                activity.touch(at)
            await self._activities.put(activity)
            await self._uow.commit()


class RemindInactiveLearners:
    def __init__(
        self,
        activities: ActivityRepository,
        notify: Notify,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._activities = activities
        self._notify = notify
        self._uow = uow
        self._clock = clock
        self._after = REMIND_AFTER

    async def execute(self) -> int:
        """How many learners were reminded."""
        now = self._clock.now()
        async with self._uow:
            quiet = await self._activities.quiet_since(now - self._after, BATCH)
        reminded = 0
        for activity in quiet:
            if not activity.due_for_reminder(now, self._after):
                continue
            days = (now - activity.last_active_at).days
            await self._notify.execute(
                NotifyRequest(
                    recipient_id=activity.user_id,
                    kind="course.reminder",
                    source_event_id=activity.spell,
                    variables={"days": str(days)},
                    link=f"/courses/{activity.course_id}",
                )
            )
            async with self._uow:
                activity.reminded()
                await self._activities.put(activity)
                await self._uow.commit()
            reminded += 1
        return reminded
