"""Boards and threads in SQL (the embedded profile's SQLite): each one JSON document with an
optimistic version (the same documents as in MongoDB), written on the request's session at
``save``, so the change and the events the unit of work collects from it (the kernel's
outbox table) commit in one transaction. Read marks are not an aggregate: each is written
at once in a short transaction of its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cmh.forum.adapters.mongo.documents import (
    board_document,
    board_from,
    participants,
    thread_document,
    thread_from,
)
from cmh.forum.adapters.mongo.unit_of_work import StaleDocument
from cmh.forum.adapters.sql.tables import boards, posts, read_marks, threads
from cmh.forum.adapters.sql.tables import participants as participants_table
from cmh.forum.domain.board import Board
from cmh.forum.domain.spam_guard import RecentPost, fingerprint
from cmh.forum.domain.thread import Thread
from cmh.kernel.sql.types import rows_changed
from cmh.kernel.uow import UnitOfWork

# Keys whose (string) values are moments in a stored document.
_MOMENT_KEYS = frozenset({"at", "until"})


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    return value


def _from_json(value: Any, key: str = "") -> Any:
    if isinstance(value, str) and (key in _MOMENT_KEYS or key.endswith("_at")):
        return datetime.fromisoformat(value)
    if isinstance(value, dict):
        return {k: _from_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_json(v, key) for v in value]
    return value


def _document(row_id: str, version: int, document: dict[str, Any]) -> dict[str, Any]:
    return {**_from_json(document), "_id": row_id, "version": version}


async def _write(
    session: AsyncSession, table: Any, aggregate: Board | Thread, columns: dict[str, Any]
) -> None:
    """Insert a new aggregate (version 0) or update the copy that was read, else refuse."""
    if aggregate.version == 0:
        # No savepoint (SQLite's driver would commit it): check, then let the primary key
        # settle a race; the unit of work rolls the failed transaction back.
        if await session.scalar(select(table.c.id).where(table.c.id == aggregate.id)):
            raise StaleDocument(f"{aggregate.id} already exists; reload and retry")
        try:
            await session.execute(insert(table).values(id=aggregate.id, version=1, **columns))
        except IntegrityError as exc:
            raise StaleDocument(f"{aggregate.id} already exists; reload and retry") from exc
        aggregate.version = 1
        return
    result = await session.execute(
        update(table)
        .where(table.c.id == aggregate.id, table.c.version == aggregate.version)
        .values(version=aggregate.version + 1, **columns)
    )
    if rows_changed(result) != 1:
        raise StaleDocument(f"{aggregate.id} was changed by someone else; reload and retry")
    aggregate.version += 1


class SqlBoardStore:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow  # collects what saved boards recorded, for the outbox

    async def get(self, board_id: str) -> Board | None:
        row = (
            await self._session.execute(
                select(boards.c.version, boards.c.document).where(boards.c.id == board_id)
            )
        ).one_or_none()
        return board_from(_document(board_id, row.version, row.document)) if row else None

    async def save(self, board: Board) -> None:
        self._uow.track(board)
        columns = {"course_id": board.course_id, "document": _to_json(board_document(board))}
        await _write(self._session, boards, board, columns)

    async def list(self, course_id: str | None) -> list[Board]:
        query = select(boards.c.id, boards.c.version, boards.c.document).order_by(boards.c.id)
        if course_id is not None:
            query = query.where(boards.c.course_id == course_id)
        rows = await self._session.execute(query)
        return [board_from(_document(r.id, r.version, r.document)) for r in rows]


class SqlThreadStore:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow

    async def get(self, thread_id: str) -> Thread | None:
        found = await self._threads(threads.c.id == thread_id)
        return found[0] if found else None

    async def save(self, thread: Thread) -> None:
        self._uow.track(thread)
        document = thread_document(thread)
        document.pop("participants")  # a table of its own here
        columns = {"board_id": thread.board_id, "document": _to_json(document)}
        await _write(self._session, threads, thread, columns)
        # The lookup rows follow the document, in the same transaction.
        await self._session.execute(delete(posts).where(posts.c.thread_id == thread.id))
        await self._session.execute(
            delete(participants_table).where(participants_table.c.thread_id == thread.id)
        )
        await self._session.execute(
            insert(posts),
            [
                {
                    "post_id": p.id,
                    "thread_id": thread.id,
                    "author_id": p.author_id,
                    "created_at": p.created_at,
                }
                for p in thread.posts
            ],
        )
        await self._session.execute(
            insert(participants_table),
            [{"thread_id": thread.id, "user_id": user} for user in participants(thread)],
        )

    async def recent_posts_by(self, author_id: str, since: datetime) -> list[RecentPost]:
        ids = select(posts.c.thread_id).where(
            posts.c.author_id == author_id, posts.c.created_at >= since
        )
        return [
            RecentPost(post.created_at, fingerprint(post.body.markdown))
            for thread in await self._threads(threads.c.id.in_(ids))
            for post in thread.posts
            if post.author_id == author_id and post.created_at >= since
        ]

    async def find_by_post(self, post_id: str) -> Thread | None:
        ids = select(posts.c.thread_id).where(posts.c.post_id == post_id)
        found = await self._threads(threads.c.id.in_(ids))
        return found[0] if found else None

    async def on_board(self, board_id: str) -> list[Thread]:
        return await self._threads(threads.c.board_id == board_id)

    async def with_user(self, user_id: str) -> list[Thread]:
        ids = select(participants_table.c.thread_id).where(participants_table.c.user_id == user_id)
        return await self._threads(threads.c.id.in_(ids))

    async def _threads(self, condition: Any) -> list[Thread]:
        rows = await self._session.execute(
            select(threads.c.id, threads.c.version, threads.c.document)
            .where(condition)
            .order_by(threads.c.id)
        )
        return [thread_from(_document(r.id, r.version, r.document)) for r in rows]


class SqlReadMarks:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def last_read(self, user_id: str, thread_ids: list[str]) -> dict[str, datetime]:
        async with self._sessions() as session:
            rows = await session.execute(
                select(read_marks.c.thread_id, read_marks.c.at).where(
                    read_marks.c.user_id == user_id, read_marks.c.thread_id.in_(thread_ids)
                )
            )
            return {r.thread_id: r.at for r in rows}

    async def mark_read(self, user_id: str, thread_id: str, at: datetime) -> None:
        """Keeps the latest: an earlier moment changes nothing."""
        key = (read_marks.c.user_id == user_id, read_marks.c.thread_id == thread_id)
        async with self._sessions() as session:
            moved = await session.execute(
                update(read_marks).where(*key, read_marks.c.at < at).values(at=at)
            )
            if rows_changed(moved) == 0 and (
                await session.scalar(select(read_marks.c.at).where(*key)) is None
            ):
                try:
                    await session.execute(
                        insert(read_marks).values(user_id=user_id, thread_id=thread_id, at=at)
                    )
                except IntegrityError:  # a concurrent first read of the same thread
                    await session.rollback()
                    return
            await session.commit()
