"""Thin event handlers: translate the event, call one use case.

The notification's dedupe key needs the event's id: the kernel's consumer runner sets it
as the causation of the work done for the event (``cmh.kernel.context.causation_id``).
Run outside the runner (a test calling a handler by hand), the event's content stands in:
the same event always gets the same key."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from cmh.contracts.events.courses import CourseCompletedV1, EnrollmentCreatedV1, LessonCompletedV1
from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.kernel import context
from cmh.notifications.application.handle_user_erasure import HandleUserErasure
from cmh.notifications.application.learning_activity import RecordActivity
from cmh.notifications.application.notify import Notify
from cmh.notifications.consumers.translations import TRANSLATIONS

NOTIFY = "notifications.notify"
USER_ERASURE = "notifications.user-erasure"
LEARNING_ACTIVITY = "notifications.learning-activity"


def source_event_id(event: Any) -> str:
    found = context.causation_id.get()
    if found:
        return found
    digest = hashlib.sha256(type(event).__name__.encode() + msgspec.json.encode(event))
    return f"content-{digest.hexdigest()[:32]}"


class NotifyHandler:
    def __init__(self, notify: Notify) -> None:
        self._notify = notify

    async def __call__(self, event: Any) -> None:
        request = TRANSLATIONS[type(event)](event, source_event_id(event))
        if request is not None:
            await self._notify.execute(request)


class UserErasureHandler:
    def __init__(self, erase: HandleUserErasure) -> None:
        self._erase = erase

    async def __call__(self, event: UserErasureRequestedV1) -> None:
        await self._erase.execute(event.user_id)


class LearningActivityHandler:
    """Courses' learning events keep each learner's last activity (course reminders)."""

    def __init__(self, record: RecordActivity) -> None:
        self._record = record

    async def __call__(
        self, event: EnrollmentCreatedV1 | LessonCompletedV1 | CourseCompletedV1
    ) -> None:
        match event:
            case EnrollmentCreatedV1():
                await self._record.execute(event.user_id, event.course_id, event.enrolled_at)
            case LessonCompletedV1():
                await self._record.execute(event.user_id, event.course_id, event.completed_at)
            case CourseCompletedV1():
                await self._record.execute(
                    event.user_id, event.course_id, event.completed_at, completed=True
                )
