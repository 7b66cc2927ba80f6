"""Demo data of the forum (both profiles): a board per demo course, each with the
instructor's pinned welcome thread, and the general board. Safe to run on every start:
what exists is left as it is."""

from __future__ import annotations

from collections.abc import Sequence

from dishka import AsyncContainer

from cmh.forum.application.moderate_thread import ModerateThread
from cmh.forum.application.open_course_board import (
    OpenCourseBoard,
    OpenGeneralBoard,
    course_board_id,
)
from cmh.forum.application.ports import ThreadStore
from cmh.forum.application.start_thread import StartThread
from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.module import Progress

WELCOME_TITLE = "Welcome to the course forum"
WELCOME_BODY = (
    "Ask questions about the lessons and labs of *{title}* here. **Search first**: someone "
    "may have asked already. Mark the reply that solved it as the answer."
)


async def seed_demo_forum(
    container: AsyncContainer,
    *,
    instructor_id: str,
    courses: Sequence[tuple[str, str]],
    progress: Progress,
) -> list[str]:
    """``courses``: (course id, title) of the instructor's demo courses. Returns the ids
    of the boards that got their welcome thread now."""
    instructor = Principal(user_id=instructor_id, roles=frozenset({Role.INSTRUCTOR.value}))
    welcomed = []
    async with container() as request:
        await (await request.get(OpenGeneralBoard)).execute()
    for course_id, title in courses:
        board_id = course_board_id(course_id)
        async with container() as request:
            await (await request.get(OpenCourseBoard)).execute(course_id, title)
            threads = await (await request.get(ThreadStore)).on_board(board_id)
        if any(t.title == WELCOME_TITLE for t in threads):
            continue
        async with container() as request:
            thread = await (await request.get(StartThread)).execute(
                instructor, board_id, WELCOME_TITLE, WELCOME_BODY.format(title=title)
            )
        async with container() as request:
            await (await request.get(ModerateThread)).execute(
                instructor, thread.id, "pin", "welcome thread"
            )
        welcomed.append(board_id)
    if welcomed:
        progress(f"forum: {len(welcomed)} course board(s) with a welcome thread")
    return welcomed
