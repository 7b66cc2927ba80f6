"""Thin event handlers: the kernel's consumer runner hands each its event (inside the
unit of work that claims it); they call one use case."""

from __future__ import annotations

from cmh.assessments.application.handle_user_erasure import HandleUserErasure
from cmh.assessments.application.record_course_completion import RecordCourseCompletion
from cmh.assessments.application.record_lab_tasks import RecordLabTasks
from cmh.assessments.application.record_names import RecordCourseTitle, RecordLearnerName
from cmh.contracts.events.courses import CourseCompletedV1, CoursePublishedV1
from cmh.contracts.events.labs import LabTaskValidatedV1
from cmh.contracts.events.users import UserErasureRequestedV1, UserRegisteredV1

USER_ERASURE = "assessments.user-erasure"
LEARNER_NAMES = "assessments.learner-names"
COURSE_TITLES = "assessments.course-titles"
COURSE_COMPLETIONS = "assessments.course-completions"
LAB_TASKS = "assessments.lab-tasks"


class UserErasureHandler:
    def __init__(self, erase: HandleUserErasure) -> None:
        self._erase = erase

    async def __call__(self, event: UserErasureRequestedV1) -> None:
        await self._erase.execute(event.user_id)


class LearnerNameHandler:
    def __init__(self, record: RecordLearnerName) -> None:
        self._record = record

    async def __call__(self, event: UserRegisteredV1) -> None:
        await self._record.execute(event.user_id, event.display_name)


class CourseTitleHandler:
    def __init__(self, record: RecordCourseTitle) -> None:
        self._record = record

    async def __call__(self, event: CoursePublishedV1) -> None:
        await self._record.execute(event.course_id, event.title)


class CourseCompletionHandler:
    def __init__(self, record: RecordCourseCompletion) -> None:
        self._record = record

    async def __call__(self, event: CourseCompletedV1) -> None:
        await self._record.execute(event.user_id, event.course_id, event.completed_at)


class LabTaskHandler:
    def __init__(self, record: RecordLabTasks) -> None:
        self._record = record

    async def __call__(self, event: LabTaskValidatedV1) -> None:
        await self._record.execute(
            event.user_id, event.template_id, event.passed_task_ids, event.validated_at
        )
