"""Thin event handlers: the kernel's consumer runner hands each its event (inside the unit
of work that claims it); they call one use case."""

from __future__ import annotations

from cmh.contracts.events.courses import CoursePublishedV1, EnrollmentCancelledV1
from cmh.contracts.events.forum import PostCreatedV1, PostEditedV1, PostRemovedV1, ReplyCreatedV1
from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.forum.application.anonymise_user import AnonymiseUser
from cmh.forum.application.index_posts import IndexPosts
from cmh.forum.application.leave_course_board import LeaveCourseBoard
from cmh.forum.application.open_course_board import OpenCourseBoard

COURSE_BOARDS = "forum.course-boards"
COURSE_LEAVERS = "forum.course-leavers"
USER_ERASURE = "forum.user-erasure"
SEARCH_INDEX = "forum.search-index"


class CourseBoardHandler:
    def __init__(self, open_board: OpenCourseBoard) -> None:
        self._open = open_board

    async def __call__(self, event: CoursePublishedV1) -> None:
        await self._open.execute(event.course_id, event.title)


class CourseLeaverHandler:
    def __init__(self, leave: LeaveCourseBoard) -> None:
        self._leave = leave

    async def __call__(self, event: EnrollmentCancelledV1) -> None:
        await self._leave.execute(event.course_id, event.user_id)


class UserErasureHandler:
    def __init__(self, anonymise: AnonymiseUser) -> None:
        self._anonymise = anonymise

    async def __call__(self, event: UserErasureRequestedV1) -> None:
        await self._anonymise.execute(event.user_id)


class SearchIndexHandler:
    def __init__(self, index: IndexPosts) -> None:
        self._index = index

    async def __call__(
        self, event: PostCreatedV1 | ReplyCreatedV1 | PostEditedV1 | PostRemovedV1
    ) -> None:
        await self._index.execute(event.thread_id, event.post_id)
