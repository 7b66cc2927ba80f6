"""A member opens a thread on a board (spam guard, Markdown, mentions)."""

from __future__ import annotations

from cmh.forum.application.ports import (
    BoardStore,
    CourseMembers,
    MarkdownRenderer,
    ThreadStore,
    UserDirectory,
)
from cmh.forum.application.resolve_actor import actor_on
from cmh.forum.domain.board import Board
from cmh.forum.domain.errors import BoardNotFound
from cmh.forum.domain.mentions import mentioned_handles
from cmh.forum.domain.spam_guard import SpamGuard
from cmh.forum.domain.thread import Text, Thread
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork


class PostingTools:
    """What every posting use case shares: stores, rendering, the directory, the guard."""

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

    async def text(self, user_id: str, markdown: str) -> tuple[Text, tuple[str, ...]]:
        now = self.clock.now()
        since = now - max(self.guard.window, self.guard.duplicate_window)
        self.guard.check(await self.threads.recent_posts_by(user_id, since), markdown, now)
        found = await self.directory.resolve_handles(mentioned_handles(markdown))
        return Text(markdown=markdown, html=self.renderer.render(markdown)), tuple(found.values())


class StartThread:
    def __init__(self, tools: PostingTools) -> None:
        self._tools = tools

    async def execute(self, principal: Principal, board_id: str, title: str, body: str) -> Thread:
        tools = self._tools
        board = await tools.board(board_id)
        actor = await actor_on(board, principal, tools.members)
        board.ensure_may_post(actor, tools.clock.now())
        text, mentions = await tools.text(principal.user_id, body)
        thread = Thread.start(
            thread_id=tools.ids.new_id(),
            post_id=tools.ids.new_id(),
            board=board,
            author=actor,
            title=title,
            body=text,
            mentions=mentions,
            now=tools.clock.now(),
        )
        async with tools.uow:
            await tools.threads.save(thread)
            tools.uow.track(thread)
            await tools.uow.commit()
        return thread
