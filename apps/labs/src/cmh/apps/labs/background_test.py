import asyncio

from cmh.apps.labs.background import every, wind_down


async def test_a_pass_runs_at_once_then_at_each_interval_and_survives_a_failure() -> None:
    stop = asyncio.Event()
    runs: list[int] = []

    async def work() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("the database did not answer")
        if len(runs) == 3:
            stop.set()

    await asyncio.wait_for(every(0.01, stop, work), timeout=5)

    assert runs == [0, 1, 2]


async def test_stop_ends_the_wait_between_passes() -> None:
    stop = asyncio.Event()
    runs: list[int] = []

    async def work() -> None:
        runs.append(1)

    loop = asyncio.create_task(every(3600, stop, work))
    await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(loop, timeout=2)

    assert runs == [1]


async def test_winding_down_cuts_short_what_outlives_the_grace_period() -> None:
    stop = asyncio.Event()

    async def polite() -> None:
        await stop.wait()

    async def stuck() -> None:
        await asyncio.sleep(3600)  # a long poll that does not look at the stop

    finished, cut = asyncio.create_task(polite()), asyncio.create_task(stuck())
    await asyncio.wait_for(wind_down(stop, [finished, cut], grace_seconds=0.05), timeout=2)

    assert finished.done()
    assert not finished.cancelled()
    assert cut.cancelled()
