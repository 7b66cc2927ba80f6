"""Time and identity as ports, so domain code never calls the clock or uuid itself."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock tests move by hand."""

    def __init__(self, at: datetime | None = None) -> None:
        self._now = at or datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class IdGenerator(Protocol):
    def new_id(self) -> str: ...


class UuidGenerator:
    def new_id(self) -> str:
        return str(uuid.uuid4())


class SequentialIds:
    """Predictable ids for tests: ``prefix-1``, ``prefix-2``, ..."""

    def __init__(self, prefix: str = "id") -> None:
        self._prefix = prefix
        self._n = 0

    def new_id(self) -> str:
        self._n += 1
        return f"{self._prefix}-{self._n}"
