"""A service's outbox table (the kernel's ``outbox``), read by seq range, in any database
the services use (PostgreSQL, or the embedded profile's SQLite file)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, NoSuchTableError, OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from cmh.apps.admin.ports import OutboxRow, Unavailable
from cmh.kernel.sql.tables import outbox


class SqlOutboxRows:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @contextlib.asynccontextmanager
    async def _reaching(self) -> AsyncIterator[None]:
        where = self._engine.url.render_as_string(hide_password=True)
        try:
            yield
        except (NoSuchTableError, ProgrammingError) as exc:
            raise Unavailable(
                f"{where} has no outbox table: give the database of a service (--database)"
            ) from exc
        except (OperationalError, DBAPIError, OSError) as exc:
            # SQLite says "no such table" as an OperationalError.
            if "no such table" in str(exc):
                raise Unavailable(
                    f"{where} has no outbox table: give the database of a service (--database)"
                ) from exc
            raise Unavailable(
                f"the database {where} did not answer ({type(exc).__name__}): is it running, "
                f"and is --database right?"
            ) from exc

    async def count(self, first: int, last: int) -> int:
        async with self._reaching(), self._engine.connect() as conn:
            query = select(func.count()).where(outbox.c.seq.between(first, last))
            return int(await conn.scalar(query) or 0)

    async def read(self, first: int, last: int, limit: int) -> Sequence[OutboxRow]:
        async with self._reaching(), self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(
                        outbox.c.seq,
                        outbox.c.event_id,
                        outbox.c.topic,
                        outbox.c.key,
                        outbox.c.event_type,
                        outbox.c.payload,
                        outbox.c.published_at,
                    )
                    .where(outbox.c.seq.between(first, last))
                    .order_by(outbox.c.seq)
                    .limit(limit)
                )
            ).all()
        return [
            OutboxRow(
                seq=r.seq,
                event_id=r.event_id,
                topic=r.topic,
                key=r.key,
                event_type=r.event_type,
                payload=r.payload,
                published=r.published_at is not None,
            )
            for r in rows
        ]


@contextlib.asynccontextmanager
async def outbox_rows(url: str) -> AsyncIterator[SqlOutboxRows]:
    try:
        engine = create_async_engine(url, pool_pre_ping=True)
    except Exception as exc:  # an unparsable URL, a driver that is not installed
        raise Unavailable(
            f"cannot use --database {url!r} ({exc}): give a SQLAlchemy async URL such as "
            f"postgresql+asyncpg://user:password@host/db or sqlite+aiosqlite:///path.db"
        ) from exc
    try:
        yield SqlOutboxRows(engine)
    finally:
        await engine.dispose()
