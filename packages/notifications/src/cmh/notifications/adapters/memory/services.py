"""Stand-ins for what lies outside the context, keeping state a test asserts on: users'
profiles, a mail provider (``MemoryMailer``, which can be made to fail for a while) and
live push within one process (``InProcessPush``)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from cmh.kernel.errors import DependencyUnavailable, NotFound
from cmh.notifications.application.ports import (
    MailMessage,
    MailRejected,
    MailUnavailable,
    PushMessage,
    Recipient,
    RecipientProfile,
)


class MemoryAdministrators:
    """The administrators a test names (none until it does)."""

    def __init__(self) -> None:
        self.administrators: list[Recipient] = []
        self.down = False

    async def all(self) -> list[Recipient]:
        if self.down:
            raise DependencyUnavailable("users is down")
        return list(self.administrators)


class MemoryUserProfiles:
    """Every user is known (English, UTC) unless a test says otherwise."""

    def __init__(self) -> None:
        self.profiles: dict[str, RecipientProfile] = {}
        self.unknown: set[str] = set()
        self.down = False

    def set(self, user_id: str, *, locale: str = "en", timezone: str = "UTC") -> None:
        self.profiles[user_id] = RecipientProfile(locale=locale, timezone=timezone)

    async def of(self, user_id: str) -> RecipientProfile:
        if self.down:
            raise DependencyUnavailable("users is down")
        if user_id in self.unknown:
            raise NotFound(f"user {user_id} not found", code="user_not_found")
        return self.profiles.get(user_id, RecipientProfile())


class MemoryMailer:
    """Keeps what it was given in ``sent``; ``outage(n)`` makes the next ``n`` sends find
    the provider unavailable, ``refuse(address)`` refuses mail to ``address`` for good."""

    def __init__(self) -> None:
        self.sent: list[MailMessage] = []
        self._outages = 0
        self._refused: set[str] = set()

    def outage(self, sends: int) -> None:
        self._outages = sends

    def refuse(self, address: str) -> None:
        self._refused.add(address)

    async def send(self, message: MailMessage) -> str | None:
        if self._outages:
            self._outages -= 1
            raise MailUnavailable("the provider answered 503")
        if message.to in self._refused:
            raise MailRejected(f"{message.to} does not exist")
        self.sent.append(message)
        return f"memory-{len(self.sent)}"

    def to(self, address: str) -> list[MailMessage]:
        return [m for m in self.sent if m.to == address]


class InProcessPush:
    """Live push within one process: each open socket of a user has a queue."""

    def __init__(self) -> None:
        self._listeners: dict[str, set[asyncio.Queue[PushMessage]]] = defaultdict(set)

    def listeners(self, user_id: str) -> int:
        return len(self._listeners.get(user_id, ()))

    async def publish(self, user_id: str, message: PushMessage) -> None:
        for queue in list(self._listeners.get(user_id, ())):
            queue.put_nowait(message)

    @asynccontextmanager
    async def listen(self, user_id: str) -> AsyncIterator[AsyncIterator[PushMessage]]:
        queue: asyncio.Queue[PushMessage] = asyncio.Queue()
        self._listeners[user_id].add(queue)

        async def messages() -> AsyncIterator[PushMessage]:
            while True:
                yield await queue.get()

        try:
            yield messages()
        finally:
            self._listeners[user_id].discard(queue)
            if not self._listeners[user_id]:
                del self._listeners[user_id]
