"""The forum's public routes: boards, threads, posts, reactions, answers, follows,
reports and search."""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from cmh.forum.api.schemas import NewReply, NewThread, PostEdit, Reaction, ReasonBody
from cmh.forum.application.accept_answer import AcceptAnswer
from cmh.forum.application.delete_post import DeletePost
from cmh.forum.application.edit_post import EditPost
from cmh.forum.application.follow_thread import FollowThread
from cmh.forum.application.get_thread import GetThread
from cmh.forum.application.list_boards import ListBoards
from cmh.forum.application.list_threads import ListThreads
from cmh.forum.application.post_reply import PostReply
from cmh.forum.application.react_to_post import ReactToPost
from cmh.forum.application.report_post import ReportPost
from cmh.forum.application.search_posts import SearchPosts
from cmh.forum.application.start_thread import StartThread
from cmh.forum.application.views import (
    BoardView,
    PostView,
    SearchView,
    ThreadPage,
    ThreadSummaryView,
    ThreadView,
)
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
Cursor = Annotated[str | None, QueryParameter(max_length=500)]
Limit = Annotated[int, QueryParameter(ge=1, le=100)]


class BoardsController(Controller):
    path = "/api/v1/forum/boards"
    tags = ["forum"]
    security = BEARER

    @get("", operation_id="forum_boards_list", responses=problem_responses(503))
    @inject
    async def list_boards(
        self,
        principal: FromDishka[Principal],
        boards: FromDishka[ListBoards],
        course_id: Annotated[str | None, QueryParameter(max_length=100)] = None,
    ) -> list[BoardView]:
        """The general board and the boards of the caller's courses."""
        return await boards.execute(principal, course_id)

    @get(
        "/{board_id:str}/threads",
        operation_id="forum_threads_list",
        responses=problem_responses(503),
        summary="A board's threads, pinned first, by `sort` (activity or new), a page per cursor",
    )
    @inject
    async def list_threads(
        self,
        board_id: FromPath[str],
        principal: FromDishka[Principal],
        threads: FromDishka[ListThreads],
        cursor: Cursor = None,
        sort: Annotated[str, QueryParameter(max_length=20)] = "activity",
        limit: Limit = 20,
    ) -> ThreadPage:
        return await threads.execute(principal, board_id, cursor, sort, limit)

    @post(
        "/{board_id:str}/threads",
        operation_id="forum_threads_start",
        responses=problem_responses(403, 429, 503),
        summary="Start a thread (enrolled learners, the course's instructors, admins)",
        description="403 `forum_not_allowed` (not a member), `forum_banned`; "
        "429 `forum_spam_suspected`, `forum_duplicate_post`.",
    )
    @inject
    async def start_thread(
        self,
        board_id: FromPath[str],
        data: JSONBody[NewThread],
        principal: FromDishka[Principal],
        start: FromDishka[StartThread],
    ) -> ThreadSummaryView:
        return await start.execute(principal, board_id, data.title, data.body)


class ThreadsController(Controller):
    path = "/api/v1/forum/threads"
    tags = ["forum"]
    security = BEARER

    @get("/{thread_id:str}", operation_id="forum_threads_get", responses=problem_responses(503))
    @inject
    async def get_thread(
        self,
        thread_id: FromPath[str],
        principal: FromDishka[Principal],
        thread: FromDishka[GetThread],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> ThreadView:
        """A thread and a page of its posts, oldest first."""
        return await thread.execute(principal, thread_id, cursor, limit)

    @post(
        "/{thread_id:str}/replies",
        operation_id="forum_replies_post",
        responses=problem_responses(403, 409, 429, 503),
        summary="Reply (to the thread, or to a reply: nested one level)",
        description="409 `forum_thread_locked`; 403 and 429 as for a new thread.",
    )
    @inject
    async def reply(
        self,
        thread_id: FromPath[str],
        data: JSONBody[NewReply],
        principal: FromDishka[Principal],
        reply: FromDishka[PostReply],
    ) -> PostView:
        return await reply.execute(principal, thread_id, data.body, data.parent_id)

    @post(
        "/{thread_id:str}/accept/{post_id:str}",
        operation_id="forum_answers_accept",
        status_code=200,
        # 422 `invalid_forum_post` naming `post_id`: the question itself is not its answer.
        responses=problem_responses(403, 422),
        summary="Accept a reply as the answer (the thread's author or an instructor)",
    )
    @inject
    async def accept(
        self,
        thread_id: FromPath[str],
        post_id: FromPath[str],
        principal: FromDishka[Principal],
        accept: FromDishka[AcceptAnswer],
    ) -> ThreadSummaryView:
        return await accept.execute(principal, thread_id, post_id)

    @post(
        "/{thread_id:str}/follow",
        operation_id="forum_threads_follow",
        status_code=204,
        responses=problem_responses(503),
    )
    @inject
    async def follow(
        self,
        thread_id: FromPath[str],
        principal: FromDishka[Principal],
        follow: FromDishka[FollowThread],
    ) -> None:
        """Follow a thread (its new replies reach the follower)."""
        await follow.execute(principal, thread_id, follow=True)

    @delete(
        "/{thread_id:str}/follow",
        operation_id="forum_threads_unfollow",
        responses=problem_responses(503),
    )
    @inject
    async def unfollow(
        self,
        thread_id: FromPath[str],
        principal: FromDishka[Principal],
        follow: FromDishka[FollowThread],
    ) -> None:
        """Stop following a thread."""
        await follow.execute(principal, thread_id, follow=False)


class PostsController(Controller):
    path = "/api/v1/forum/posts"
    tags = ["forum"]
    security = BEARER

    @patch(
        "/{post_id:str}",
        operation_id="forum_posts_edit",
        responses=problem_responses(403, 409, 503),
        summary="Edit a post (its author; moderators); the old text goes to its history",
    )
    @inject
    async def edit(
        self,
        post_id: FromPath[str],
        data: JSONBody[PostEdit],
        principal: FromDishka[Principal],
        edit: FromDishka[EditPost],
    ) -> PostView:
        return await edit.execute(principal, post_id, data.body, data.title)

    @delete(
        "/{post_id:str}",
        operation_id="forum_posts_delete",
        responses=problem_responses(403, 503),
        summary="Soft-delete a post (its author; moderators give `reason`)",
    )
    @inject
    async def delete_post(
        self,
        post_id: FromPath[str],
        principal: FromDishka[Principal],
        remove: FromDishka[DeletePost],
        reason: Annotated[str, QueryParameter(max_length=500)] = "",
    ) -> None:
        await remove.execute(principal, post_id, reason)

    @post(
        "/{post_id:str}/reactions",
        operation_id="forum_posts_react",
        status_code=200,
        responses=problem_responses(503),
        summary="React (one per user per kind: like, helpful, insightful, thanks)",
    )
    @inject
    async def react(
        self,
        post_id: FromPath[str],
        data: JSONBody[Reaction],
        principal: FromDishka[Principal],
        react: FromDishka[ReactToPost],
    ) -> PostView:
        return await react.execute(principal, post_id, data.kind, remove=data.remove)

    @post(
        "/{post_id:str}/report",
        operation_id="forum_posts_report",
        status_code=204,
        responses=problem_responses(503),
        summary="Report a post to the board's moderators",
    )
    @inject
    async def report(
        self,
        post_id: FromPath[str],
        data: JSONBody[ReasonBody],
        principal: FromDishka[Principal],
        report: FromDishka[ReportPost],
    ) -> None:
        await report.execute(principal, post_id, data.reason)


class SearchController(Controller):
    path = "/api/v1/forum/search"
    tags = ["forum"]
    security = BEARER

    @get("", operation_id="forum_search", responses=problem_responses(404, 503))
    @inject
    async def search(
        self,
        principal: FromDishka[Principal],
        search: FromDishka[SearchPosts],
        q: Annotated[str, QueryParameter(min_length=2, max_length=200)],
        board_id: Annotated[str | None, QueryParameter(max_length=100)] = None,
        limit: Limit = 20,
    ) -> SearchView:
        """Posts of the boards the caller reads, every word matching."""
        return await search.execute(principal, q, board_id, limit)
