"""Async engines for PostgreSQL (asyncpg) and SQLite (aiosqlite) behind one factory."""

from __future__ import annotations

import ssl
import time
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from cmh.kernel.secrets.ports import DatabaseCredentialSource
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.telemetry.sql import trace_engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while the outbox relay writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _in_memory(url: str) -> bool:
    return ":memory:" in url or "mode=memory" in url or url.rstrip("/").endswith("sqlite:")


# A connection back in use within this long was answering a moment ago: not pinged.
IDLE_BEFORE_PING_SECONDS: Final = 1.0


def ping_when_idle(engine: AsyncEngine) -> None:
    """Checks a pooled connection that sat idle before handing it out, and has the pool
    replace it when the server is gone (PostgreSQL restarted, a proxy dropped it).

    ``pool_pre_ping`` pings at every checkout, and asyncpg's ping is three round trips
    (begin, a statement, rollback): under load that was most of a small transaction's
    cost. A connection checked in less than a second ago is used as it is; a server lost
    in that second fails that transaction, which the pool then refreshes (as it would
    for a connection lost mid-transaction)."""

    @event.listens_for(engine.sync_engine, "checkin")
    def returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < IDLE_BEFORE_PING_SECONDS:
            return  # new, or in use a moment ago
        try:
            dbapi_connection.ping()
        except Exception as exc:
            raise DisconnectionError("the pooled connection no longer answers") from exc


def use_credentials(engine: AsyncEngine, credentials: DatabaseCredentialSource) -> None:
    """Every new connection logs in with the source's current credentials (rotated ones
    included); connections already open keep theirs until the pool recycles them."""

    def log_in(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
        current = credentials.current()
        params["user"] = current.username
        params["password"] = current.password

    event.listen(engine.sync_engine, "do_connect", log_in)


def postgres_tls(settings: DatabaseSettings) -> dict[str, Any]:
    """asyncpg's ``ssl`` argument: a context that verifies the server's chain up to
    ``ssl_ca_file`` and its host name (libpq's verify-full), or nothing."""
    if not settings.ssl_ca_file:
        return {}
    context = ssl.create_default_context(cafile=settings.ssl_ca_file)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return {"ssl": context}


def make_engine(
    settings: DatabaseSettings, credentials: DatabaseCredentialSource | None = None
) -> AsyncEngine:
    if settings.url.startswith("sqlite"):
        # Each connection is an aiosqlite thread: keep as many as PostgreSQL does (the
        # default kept 5), so that under load none is opened (a thread, a connect, three
        # PRAGMAs) and thrown away per request. In-memory databases share one.
        pool = {} if _in_memory(settings.url) else {"pool_size": settings.pool_size}
        engine = create_async_engine(settings.url, echo=settings.echo, **pool)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return trace_engine(engine)
    engine = create_async_engine(
        settings.url,
        echo=settings.echo,
        pool_size=settings.pool_size,
        connect_args=postgres_tls(settings),
    )
    ping_when_idle(engine)
    if credentials is not None:
        use_credentials(engine, credentials)
    return trace_engine(engine)


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker:  # type: ignore[type-arg]
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
