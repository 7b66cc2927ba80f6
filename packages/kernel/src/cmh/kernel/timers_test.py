from __future__ import annotations

import asyncio

from cmh.kernel.timers import BackgroundLoops, every


async def test_a_failing_pass_is_logged_and_the_next_one_still_runs() -> None:
    stop = asyncio.Event()
    calls: list[int] = []

    async def flaky() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise ConnectionError("database down")
        if len(calls) == 3:
            stop.set()

    passes = await every(0, "flaky", flaky, stop)
    assert calls == [0, 1, 2]
    assert passes == 2


async def test_a_stop_set_before_the_start_runs_nothing() -> None:
    stop = asyncio.Event()
    stop.set()

    async def never() -> None:
        raise AssertionError("ran after stop")

    assert await every(60, "never", never, stop) == 0


async def test_background_loops_stop_together_and_a_stuck_one_is_cut_short() -> None:
    seen: list[str] = []

    async def polite(stop: asyncio.Event) -> None:
        await stop.wait()
        seen.append("polite finished")

    async def stuck(stop: asyncio.Event) -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen.append("stuck cancelled")
            raise

    loops = BackgroundLoops(0.05, polite=polite, stuck=stuck)
    await loops.start()
    await asyncio.sleep(0)
    await loops.stop()
    assert sorted(seen) == ["polite finished", "stuck cancelled"]
