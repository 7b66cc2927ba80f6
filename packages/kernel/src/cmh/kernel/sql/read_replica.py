"""Which database a request's unit of work talks to: the primary, or its streaming replica.

A read-only request (GET, HEAD) reads from the replica, which takes that load off the
primary. Its one risk is staleness: the replica replays the primary's WAL a moment later,
so a learner who has just enrolled could read "not enrolled". Two things close that gap:

- a write's answer waits until the replica shows it, 50 ms at most (about a millisecond
  when the primary commits synchronously), so whoever hears of the write finds it there;
- read-your-writes, should the replica lag longer: each commit made with a caller's
  credentials leaves the primary's WAL position under them (in a ``Cache`` that every
  instance of the service shares), and that caller reads from the primary until the
  replica has replayed that far. The credentials, not the user, are the key: a call
  another service makes on the caller's behalf relays the same token and sees the same.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Final, Protocol

import structlog
from prometheus_client import Counter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cmh.kernel import context
from cmh.kernel.cache import Cache

log = structlog.get_logger("cmh.sql.replica")

READS = Counter(
    "cmh_sql_reads_total",
    "Read-only requests' units of work by the database they read from (replica or primary)",
    ["database"],
)

# How long a caller's last write is remembered: far longer than a healthy replica lags.
REMEMBER_WRITES_SECONDS: Final = 60
# How long a write's answer may wait for the replica to show it (see ``_until_replayed``).
WAIT_FOR_REPLICA_SECONDS: Final = 0.05
# How often the replica is asked whether it answers, and how long it may take to.
PROBE_SECONDS: Final = 1.0
PROBE_TIMEOUT_SECONDS: Final = 0.5
# Byte offsets in the WAL (``pg_lsn - '0/0'``), comparable as integers. A server that is not
# a standby has no replay position (NULL): it is as current as it gets.
_WRITTEN: Final = text("SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint")
_REPLAYED: Final = text("SELECT (pg_last_wal_replay_lsn() - '0/0')::bigint")
_NOT_A_STANDBY: Final = 2**63 - 1


class ReadRouting(Protocol):
    async def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The session factory for the current request's unit of work."""
        ...

    async def committed(self, session: AsyncSession) -> None:
        """Called once a unit of work on ``session`` has committed."""
        ...


class PrimaryOnly:
    """One database for everything (no replica configured)."""

    def __init__(self, primary: async_sessionmaker[AsyncSession]) -> None:
        self._primary = primary

    async def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self._primary

    async def committed(self, session: AsyncSession) -> None:
        return None


def last_write_key(authorization: str) -> str:
    """Where the WAL position of the last write made with these credentials is kept."""
    return "read-your-writes:" + hashlib.blake2b(authorization.encode(), digest_size=16).hexdigest()


class ReplicaReads:
    """Read-only requests on the replica, except a caller's reads that must see a write
    the replica has not replayed yet (see the module's docstring)."""

    def __init__(
        self,
        primary: async_sessionmaker[AsyncSession],
        replica: async_sessionmaker[AsyncSession],
        writes: Cache,
        *,
        remember_seconds: int = REMEMBER_WRITES_SECONDS,
        wait_seconds: float = WAIT_FOR_REPLICA_SECONDS,
    ) -> None:
        self._primary = primary
        self._replica = replica
        self._writes = writes
        self._remember = remember_seconds
        self._wait = wait_seconds
        # The furthest the replica was seen to have replayed: it only moves forward, so a
        # write at or before it needs no new question to the replica.
        self._replayed = 0
        self._answers = True
        self._probed_at = -PROBE_SECONDS

    async def sessions(self) -> async_sessionmaker[AsyncSession]:
        if not context.reading.get():
            return self._primary
        on_replica = await self._replica_answers() and await self._replica_shows_callers_writes()
        READS.labels("replica" if on_replica else "primary").inc()
        return self._replica if on_replica else self._primary

    async def _replica_answers(self) -> bool:
        """Whether the replica answered its last probe (one a second, by whichever request
        comes first): a replica that is down or unreachable sends the reads to the primary
        rather than fail them, and gets them back once it answers again."""
        now = time.monotonic()
        if now - self._probed_at >= PROBE_SECONDS:
            self._probed_at = now
            try:
                self._replayed = max(self._replayed, await self._replay_position())
                if not self._answers:
                    log.info("sql.replica_back")
                self._answers = True
            except Exception as exc:
                if self._answers:
                    log.warning("sql.replica_unreachable", error=repr(exc))
                self._answers = False
        return self._answers

    async def _replica_shows_callers_writes(self) -> bool:
        caller = context.authorization.get()
        if caller is None:
            return True
        try:
            written = await self._writes.get(last_write_key(caller))
            if written is None or int(written) <= self._replayed:
                return True
            self._replayed = max(self._replayed, await self._replay_position())
        except Exception as exc:
            # Not knowing where the replica stands: the primary answers, consistently.
            log.warning("sql.replica_position_unknown", error=repr(exc))
            return False
        return int(written) <= self._replayed

    async def committed(self, session: AsyncSession) -> None:
        caller = context.authorization.get()
        if caller is None:
            return
        try:
            written = int(await session.scalar(_WRITTEN) or 0)
            await self._writes.set(
                last_write_key(caller), str(written).encode(), ttl_seconds=self._remember
            )
            await self._until_replayed(written)
        except Exception as exc:
            # The write stands; only its caller's next reads may lag behind it for a moment.
            log.warning("sql.write_position_not_kept", error=repr(exc))

    async def _until_replayed(self, written: int) -> None:
        """Holds the write's answer until the replica shows it, ``wait_seconds`` at most;
        past that it goes out all the same (the writer's reads are covered either way)."""
        if not self._answers:
            return  # a replica that is down has nothing to wait for
        deadline = time.monotonic() + self._wait
        while written > self._replayed:
            self._replayed = max(self._replayed, await self._replay_position())
            if written <= self._replayed or time.monotonic() >= deadline:
                return
            await asyncio.sleep(0.001)

    async def _replay_position(self) -> int:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS), self._replica() as session:
            replayed = await session.scalar(_REPLAYED)
        return _NOT_A_STANDBY if replayed is None else int(replayed)
