import asyncio

from cmh.apps.labs.background import wind_down


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
