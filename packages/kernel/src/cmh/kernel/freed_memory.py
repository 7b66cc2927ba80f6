"""Handing the pages a process has freed back to the system.

glibc's allocator keeps freed heap pages mapped for reuse, per arena (one per thread
that allocated: aiosqlite's, the lab emulator's, the transcoder's). A burst of work
(parsing moto's EC2 catalogue, transcoding the demo videos, a load test) leaves the
process resident at its peak long after the objects are gone: about 90 MB of the
embedded platform's 500 after its start. ``malloc_trim(0)`` returns every wholly free
page of every arena, a few milliseconds' walk; elsewhere than glibc it is a no-op.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import functools
from collections.abc import Callable

from cmh.kernel.timers import every


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to hand back
        return None
    return trim


def release_freed_memory() -> bool:
    """Return the freed heap pages to the system; whether the allocator could."""
    trim = _malloc_trim()
    return trim is not None and trim(0) == 1


async def release_freed_memory_every(seconds: float, stop: asyncio.Event) -> int:
    """Until ``stop``: once at once, then every ``seconds`` (the kernel's ``every``)."""

    async def release() -> None:
        # A few milliseconds at most, off the event loop: requests are not held up.
        await asyncio.to_thread(release_freed_memory)

    return await every(seconds, "release_freed_memory", release, stop)
