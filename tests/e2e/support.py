"""What the journeys share: events reach consumers through the outbox relay and the bus,
so a journey polls for the effect it expects instead of sleeping blindly."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from cmh.apps.platform.settings import NOTIFICATIONS_MAIL_FILE
from cmh.notifications.application.ports import MailMessage

T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not true within {timeout}s")
        await asyncio.sleep(0.1)


async def in_app(client: Any, run: Callable[[], Awaitable[T]]) -> T:
    """``run`` on the app's own event loop: the test client runs the app's lifespan (its
    DI container, database pools and background timers) in a portal thread, and the
    container's locks belong to that loop; a test that reaches into the container from
    its own loop races the timers. The test's loop keeps running meanwhile."""
    portal = client.blocking_portal
    return await asyncio.to_thread(portal.call, run)


def mails(data_dir: Path, to: str) -> list[MailMessage]:
    """The mail the embedded platform sent to ``to``: its mail adapter writes each message
    as a JSON line in the data folder."""
    path = data_dir / NOTIFICATIONS_MAIL_FILE
    if not path.exists():
        return []
    decoder = msgspec.json.Decoder(MailMessage)
    return [m for line in path.read_bytes().splitlines() if (m := decoder.decode(line)).to == to]
