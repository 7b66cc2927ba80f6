"""The rights a principal has on a board: members of its course post, instructors and
admins moderate; on the general board every signed-in user posts."""

from __future__ import annotations

from cmh.forum.application.ports import CourseMembers
from cmh.forum.domain.actor import Actor
from cmh.forum.domain.board import Board
from cmh.kernel.auth.principal import Principal


async def actor_on(board: Board, principal: Principal, members: CourseMembers) -> Actor:
    if board.course_id is None:
        return Actor(principal.user_id, member=True, admin=principal.is_admin)
    role = await members.role(board.course_id, principal.user_id)
    return Actor(
        principal.user_id,
        member=bool(role and role.enrolled),
        instructor=bool(role and role.instructor),
        admin=principal.is_admin,
    )
