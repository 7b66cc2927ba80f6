import asyncio

from cmh.kernel.messaging.relays import RelayRunner


class CountingRelay:
    def __init__(self) -> None:
        self.drained = 0
        self.running = False

    async def drain(self) -> int:
        self.drained += 1
        return 2

    async def run(self, stop: asyncio.Event) -> None:
        self.running = True
        try:
            await stop.wait()
        finally:
            self.running = False


async def test_every_relay_drains_and_runs_until_stopped() -> None:
    sql, mongo = CountingRelay(), CountingRelay()
    runner = RelayRunner([sql, mongo])
    assert await runner.drain() == 4
    runner.start()
    await asyncio.sleep(0)
    assert sql.running and mongo.running
    await runner.stop()
    assert not sql.running and not mongo.running
