"""Thin event handlers: the kernel's consumer runner hands each its event (inside the
unit of work that claims it); they call one use case."""

from __future__ import annotations

from collections.abc import Sequence

from cmh.contracts.events.assessments import AttemptGradedV1
from cmh.contracts.events.courses import CourseArchivedV1, CoursePublishedV1, CourseUpdatedV1
from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.courses.application.complete_quiz_lesson import CompleteQuizLesson
from cmh.courses.application.handle_user_erasure import HandleUserErasure
from cmh.courses.application.sync_search_index import SyncSearchIndex
from cmh.courses.domain.errors import NotEnrolled

USER_ERASURE = "courses.user-erasure"
SEARCH_INDEXER = "courses.search-indexer"
QUIZ_LESSONS = "courses.quiz-lessons"


class UserErasureHandler:
    def __init__(self, erase: HandleUserErasure) -> None:
        self._erase = erase

    async def __call__(self, event: UserErasureRequestedV1) -> None:
        await self._erase.execute(event.user_id)


class SearchIndexHandler:
    """Every course event it takes names its course; the use case reads the rest."""

    def __init__(self, sync: SyncSearchIndex) -> None:
        self._sync = sync

    async def __call__(self, event: CoursePublishedV1 | CourseUpdatedV1 | CourseArchivedV1) -> None:
        await self._sync.execute([event.course_id])


class SearchIndexBatchHandler:
    """The Kafka consumer's batches: one transaction, each course synced once."""

    def __init__(self, sync: SyncSearchIndex) -> None:
        self._sync = sync

    async def __call__(
        self, events: Sequence[CoursePublishedV1 | CourseUpdatedV1 | CourseArchivedV1]
    ) -> None:
        await self._sync.execute([event.course_id for event in events])


class QuizPassedHandler:
    """A passed quiz of a quiz lesson completes that lesson (exams have no lesson). A grade
    of someone not enrolled (the course's instructor trying their own quiz) completes
    nothing."""

    def __init__(self, complete: CompleteQuizLesson) -> None:
        self._complete = complete

    async def __call__(self, event: AttemptGradedV1) -> None:
        if not event.passed or event.lesson_id is None:
            return
        try:
            await self._complete.execute(
                user_id=event.user_id, course_id=event.course_id, lesson_id=event.lesson_id
            )
        except NotEnrolled:
            return
