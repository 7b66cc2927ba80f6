"""Boards and threads read from MongoDB; saves are staged in the unit of work, which
writes each document with its outbox in one update at commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from cmh.forum.adapters.mongo.documents import (
    BOARDS,
    READ_MARKS,
    THREADS,
    board_from,
    thread_from,
)
from cmh.forum.adapters.mongo.unit_of_work import MongoForumUnitOfWork
from cmh.forum.domain.board import Board
from cmh.forum.domain.spam_guard import RecentPost, fingerprint
from cmh.forum.domain.thread import Thread

_NO_OUTBOX = {"outbox": 0}


class MongoBoardStore:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], uow: MongoForumUnitOfWork) -> None:
        self._boards = db[BOARDS]
        self._uow = uow

    async def get(self, board_id: str) -> Board | None:
        doc = await self._boards.find_one({"_id": board_id}, _NO_OUTBOX)
        return board_from(doc) if doc else None

    async def save(self, board: Board) -> None:
        self._uow.stage(board)

    async def list(self, course_id: str | None) -> list[Board]:
        query = {} if course_id is None else {"course_id": course_id}
        return [board_from(doc) async for doc in self._boards.find(query, _NO_OUTBOX)]


class MongoThreadStore:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], uow: MongoForumUnitOfWork) -> None:
        self._threads = db[THREADS]
        self._uow = uow

    async def get(self, thread_id: str) -> Thread | None:
        doc = await self._threads.find_one({"_id": thread_id}, _NO_OUTBOX)
        return thread_from(doc) if doc else None

    async def save(self, thread: Thread) -> None:
        self._uow.stage(thread)

    async def recent_posts_by(self, author_id: str, since: datetime) -> list[RecentPost]:
        found = []
        async for doc in self._threads.find({"posts.author_id": author_id}, _NO_OUTBOX):
            for post in thread_from(doc).posts:
                if post.author_id == author_id and post.created_at >= since:
                    found.append(RecentPost(post.created_at, fingerprint(post.body.markdown)))
        return found

    async def find_by_post(self, post_id: str) -> Thread | None:
        doc = await self._threads.find_one({"posts.id": post_id}, _NO_OUTBOX)
        return thread_from(doc) if doc else None

    async def on_board(self, board_id: str) -> list[Thread]:
        return [
            thread_from(d) async for d in self._threads.find({"board_id": board_id}, _NO_OUTBOX)
        ]

    async def with_user(self, user_id: str) -> list[Thread]:
        return [
            thread_from(d) async for d in self._threads.find({"participants": user_id}, _NO_OUTBOX)
        ]


class MongoReadMarks:
    """One small document per reader and thread, written at once (a read mark is not an
    aggregate and carries no event): ``$max`` keeps the latest."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self._marks = db[READ_MARKS]

    async def last_read(self, user_id: str, thread_ids: list[str]) -> dict[str, datetime]:
        ids = [f"{user_id}:{t}" for t in thread_ids]
        return {
            doc["thread_id"]: doc["at"] async for doc in self._marks.find({"_id": {"$in": ids}})
        }

    async def mark_read(self, user_id: str, thread_id: str, at: datetime) -> None:
        await self._marks.update_one(
            {"_id": f"{user_id}:{thread_id}"},
            {"$max": {"at": at}, "$set": {"user_id": user_id, "thread_id": thread_id}},
            upsert=True,
        )
