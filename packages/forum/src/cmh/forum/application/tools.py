"""What every forum use case shares: stores, the courses port, rendering, the user
directory, the spam guard, clock, ids and the unit of work; and who the principal is on a
board."""

from __future__ import annotations

from cmh.forum.application.ports import (
    BoardStore,
    CourseMembers,
    MarkdownRenderer,
    ThreadStore,
    UserDirectory,
)
from cmh.forum.domain.actor import Actor
from cmh.forum.domain.board import Board
from cmh.forum.domain.errors import BoardNotFound, PostNotFound, ThreadNotFound
from cmh.forum.domain.mentions import mentioned_handles
from cmh.forum.domain.spam_guard import SpamGuard
from cmh.forum.domain.thread import Text, Thread
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork


class ForumTools:
    def __init__(
        self,
        boards: BoardStore,
        threads: ThreadStore,
        members: CourseMembers,
        renderer: MarkdownRenderer,
        directory: UserDirectory,
        clock: Clock,
        ids: IdGenerator,
        uow: UnitOfWork,
        guard: SpamGuard | None = None,
    ) -> None:
        self.boards = boards
        self.threads = threads
        self.members = members
        self.renderer = renderer
        self.directory = directory
        self.clock = clock
        self.ids = ids
        self.uow = uow
        self.guard = guard or SpamGuard()

    async def board(self, board_id: str) -> Board:
        board = await self.boards.get(board_id)
        if board is None:
            raise BoardNotFound(f"no board {board_id}")
        return board

    async def text(self, actor: Actor, markdown: str) -> tuple[Text, tuple[str, ...]]:
        """A new post's text, past the spam guard (which the board's moderators skip),
        with the users it mentions."""
        if not actor.moderator:
            now = self.clock.now()
            since = now - max(self.guard.window, self.guard.duplicate_window)
            recent = await self.threads.recent_posts_by(actor.user_id, since)
            self.guard.check(recent, markdown, now)
        return self.render(markdown), await self.mentions(markdown)

    def render(self, markdown: str) -> Text:
        return Text(markdown=markdown, html=self.renderer.render(markdown))

    async def mentions(self, markdown: str) -> tuple[str, ...]:
        found = await self.directory.resolve_handles(mentioned_handles(markdown))
        return tuple(found.values())

    async def actor(self, board: Board, principal: Principal) -> Actor:
        if board.course_id is None:
            return Actor(principal.user_id, member=True, admin=principal.is_admin)
        role = await self.members.role(board.course_id, principal.user_id)
        return Actor(
            principal.user_id,
            member=bool(role and role.enrolled),
            instructor=bool(role and role.instructor),
            admin=principal.is_admin,
        )

    async def readable(self, board_id: str, principal: Principal) -> tuple[Board, Actor]:
        """A course board is read by its members and moderators; to anyone else it does
        not exist."""
        board = await self.board(board_id)
        actor = await self.actor(board, principal)
        if not (actor.member or actor.moderator):
            raise BoardNotFound(f"no board {board_id}")
        return board, actor

    async def thread(self, thread_id: str, principal: Principal) -> tuple[Thread, Board, Actor]:
        thread = await self.threads.get(thread_id)
        if thread is None:
            raise ThreadNotFound(f"no thread {thread_id}")
        try:
            board, actor = await self.readable(thread.board_id, principal)
        except BoardNotFound:
            raise ThreadNotFound(f"no thread {thread_id}") from None
        return thread, board, actor

    async def thread_of_post(
        self, post_id: str, principal: Principal
    ) -> tuple[Thread, Board, Actor]:
        thread = await self.threads.find_by_post(post_id)
        if thread is None:
            raise PostNotFound(f"no post {post_id}")
        try:
            return await self.thread(thread.id, principal)
        except ThreadNotFound:
            raise PostNotFound(f"no post {post_id}") from None

    async def commit(self, *aggregates: Thread | Board) -> None:
        async with self.uow:
            for aggregate in aggregates:
                if isinstance(aggregate, Thread):
                    await self.threads.save(aggregate)
                else:
                    await self.boards.save(aggregate)
                self.uow.track(aggregate)
            await self.uow.commit()
