"""Moderation (the course's instructors and admins): hide a post, lock or pin a thread,
ban a user from a board for a period. Every action says why and is audited."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, post
from litestar.params import FromPath, JSONBody

from cmh.forum.api.forum import BEARER
from cmh.forum.api.schemas import BanBody, ModerationBody
from cmh.forum.application.ban_user import BanUser, LiftBan
from cmh.forum.application.moderate_post import ModeratePost
from cmh.forum.application.moderate_thread import ModerateThread
from cmh.forum.application.views import ThreadSummaryView
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses


class ModerationController(Controller):
    path = "/api/v1/forum/moderation"
    tags = ["forum"]
    security = BEARER

    @post(
        "/posts/{post_id:str}/hide",
        operation_id="forum_moderation_hide",
        status_code=204,
        responses=problem_responses(403, 503),
    )
    @inject
    async def hide(
        self,
        post_id: FromPath[str],
        data: JSONBody[ModerationBody],
        principal: FromDishka[Principal],
        moderate: FromDishka[ModeratePost],
    ) -> None:
        """Hide a post from readers (moderators still see it)."""
        await moderate.execute(principal, post_id, hide=True, reason=data.reason)

    @post(
        "/posts/{post_id:str}/unhide",
        operation_id="forum_moderation_unhide",
        status_code=204,
        responses=problem_responses(403, 503),
    )
    @inject
    async def unhide(
        self,
        post_id: FromPath[str],
        data: JSONBody[ModerationBody],
        principal: FromDishka[Principal],
        moderate: FromDishka[ModeratePost],
    ) -> None:
        """Show a hidden post again."""
        await moderate.execute(principal, post_id, hide=False, reason=data.reason)

    @post(
        "/threads/{thread_id:str}/{action:str}",
        operation_id="forum_moderation_thread",
        status_code=200,
        responses=problem_responses(403, 503),
        summary="`action`: lock, unlock, pin or unpin",
    )
    @inject
    async def thread(
        self,
        thread_id: FromPath[str],
        action: FromPath[str],
        data: JSONBody[ModerationBody],
        principal: FromDishka[Principal],
        moderate: FromDishka[ModerateThread],
    ) -> ThreadSummaryView:
        return await moderate.execute(principal, thread_id, action, data.reason)

    @post(
        "/boards/{board_id:str}/bans",
        operation_id="forum_moderation_ban",
        status_code=204,
        responses=problem_responses(403, 503),
        summary="Ban a user from a board until `until`",
    )
    @inject
    async def ban(
        self,
        board_id: FromPath[str],
        data: JSONBody[BanBody],
        principal: FromDishka[Principal],
        ban: FromDishka[BanUser],
    ) -> None:
        await ban.execute(principal, board_id, data.user_id, data.until, data.reason)

    @post(
        "/boards/{board_id:str}/bans/{user_id:str}/lift",
        operation_id="forum_moderation_lift_ban",
        status_code=204,
        responses=problem_responses(403, 503),
    )
    @inject
    async def lift(
        self,
        board_id: FromPath[str],
        user_id: FromPath[str],
        data: JSONBody[ModerationBody],
        principal: FromDishka[Principal],
        lift: FromDishka[LiftBan],
    ) -> None:
        """Lift a ban before it ends."""
        await lift.execute(principal, board_id, user_id, data.reason)
