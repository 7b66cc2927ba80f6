"""Boards and threads kept in process dictionaries."""

from __future__ import annotations

import copy
from datetime import datetime

from cmh.forum.domain.board import Board
from cmh.forum.domain.spam_guard import RecentPost, fingerprint
from cmh.forum.domain.thread import Thread


class MemoryBoardStore:
    def __init__(self) -> None:
        self._boards: dict[str, Board] = {}

    async def get(self, board_id: str) -> Board | None:
        board = self._boards.get(board_id)
        return copy.deepcopy(board) if board else None

    async def save(self, board: Board) -> None:
        stored = copy.deepcopy(board)
        stored.events.clear()
        self._boards[board.id] = stored

    async def list(self, course_id: str | None) -> list[Board]:
        return [
            copy.deepcopy(b)
            for b in self._boards.values()
            if course_id is None or b.course_id == course_id
        ]


class MemoryThreadStore:
    def __init__(self) -> None:
        self._threads: dict[str, Thread] = {}

    async def get(self, thread_id: str) -> Thread | None:
        thread = self._threads.get(thread_id)
        return copy.deepcopy(thread) if thread else None

    async def save(self, thread: Thread) -> None:
        stored = copy.deepcopy(thread)
        stored.events.clear()
        self._threads[thread.id] = stored

    async def recent_posts_by(self, author_id: str, since: datetime) -> list[RecentPost]:
        return [
            RecentPost(at=p.created_at, fingerprint=fingerprint(p.body.markdown))
            for t in self._threads.values()
            for p in t.posts
            if p.author_id == author_id and p.created_at >= since
        ]

    async def find_by_post(self, post_id: str) -> Thread | None:
        for thread in self._threads.values():
            if any(p.id == post_id for p in thread.posts):
                return copy.deepcopy(thread)
        return None

    async def on_board(self, board_id: str) -> list[Thread]:
        return [copy.deepcopy(t) for t in self._threads.values() if t.board_id == board_id]

    async def with_user(self, user_id: str) -> list[Thread]:
        return [
            copy.deepcopy(t)
            for t in self._threads.values()
            if user_id in t.followers
            or t.author_id == user_id
            or any(
                p.author_id == user_id
                or any(user_id in users for users in p.reactions.values())
                or any(r.reporter_id == user_id for r in p.reports)
                for p in t.posts
            )
        ]


class MemoryReadMarks:
    def __init__(self) -> None:
        self._marks: dict[tuple[str, str], datetime] = {}

    async def last_read(self, user_id: str, thread_ids: list[str]) -> dict[str, datetime]:
        return {t: self._marks[(user_id, t)] for t in thread_ids if (user_id, t) in self._marks}

    async def mark_read(self, user_id: str, thread_id: str, at: datetime) -> None:
        self._marks[(user_id, thread_id)] = max(at, self._marks.get((user_id, thread_id), at))
