import asyncio
import ctypes.util

import pytest

from cmh.kernel.freed_memory import release_freed_memory, release_freed_memory_every


def _resident_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


@pytest.mark.skipif(ctypes.util.find_library("c") is None, reason="no C library to ask")
def test_freed_small_objects_are_handed_back_to_the_system() -> None:
    # Many small blocks (below the allocator's mmap threshold) live in the heap arenas:
    # freeing them does not shrink the process until the pages are released.
    blocks = [bytearray(4000) for _ in range(40_000)]  # about 160 MB
    kept = bytearray(4000)  # above them: the heap's top stays in use, nothing shrinks it
    del blocks
    before = _resident_kib()
    assert release_freed_memory()
    assert before - _resident_kib() > 100_000
    assert len(kept) == 4000


async def test_the_timer_releases_until_stopped() -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(release_freed_memory_every(0.01, stop))
    await asyncio.sleep(0.05)
    stop.set()
    assert await task >= 2
