"""Whether a failure is an outage of something the code depends on (its database, a cache,
another service) rather than a fault of the request or of the message in hand.

An outage passes, so it is answered differently from a bug:
- an HTTP caller gets 503 with ``Retry-After`` (``cmh.kernel.web.problems``), never a 500;
- a consumer keeps the event and reads it again once the store is back
  (``cmh.kernel.messaging.delivery``): parking it on the dead-letter topic as poison would
  lose an event that was never at fault.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import asyncpg
import pymongo.errors
import redis.exceptions
import sqlalchemy.exc

from cmh.kernel.errors import DependencyUnavailable

# What a dropped or refused connection raises, wrapped or not: the socket's own errors,
# PostgreSQL's "connection does not exist" and its class 57 (admin or crash shutdown,
# "the database system is starting up"), Redis and MongoDB losing their server.
_CONNECTION_LOST: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    pymongo.errors.ConnectionFailure,
)
# SQLite's writer lock held past the busy timeout: another writer, not this request.
_SQLITE_BUSY = ("database is locked", "database is busy")


def causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it wraps, outermost first: SQLAlchemy's ``orig`` (the DB-API
    error), then each ``__cause__`` or ``__context__``; each exception once."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)  # SQLAlchemy's wrapped DB-API error
        current = (
            orig
            if isinstance(orig, BaseException) and id(orig) not in seen
            else current.__cause__ or current.__context__
        )


def is_outage(exc: BaseException) -> bool:
    """True when ``exc``, or what it wraps, says a dependency is out of reach."""
    return any(_is_outage_itself(cause) for cause in causes(exc))


def _is_outage_itself(exc: BaseException) -> bool:
    if isinstance(exc, DependencyUnavailable | sqlalchemy.exc.TimeoutError):
        return True  # another service did not answer; the connection pool stayed empty
    if isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, sqlite3.OperationalError):
        return any(busy in str(exc) for busy in _SQLITE_BUSY)
    return isinstance(exc, _CONNECTION_LOST)
