"""The labs passes that run on a timer, whatever process hosts them (the embedded
platform, the distributed worker): the reaper every minute (cost, budget cap, expiry
warnings and expiry), the warm-pool keeper (pools topped up to their size) and the
reconciler less often (orphans by tag, quarantined sessions' teardown retried). A failed
pass is logged and the next one runs on time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from dishka import AsyncContainer
from prometheus_client import Counter

from cmh.kernel.timers import every
from cmh.labs.application.keep_warm_pools import WarmPoolKeeper
from cmh.labs.application.reap_sessions import LabSessionReaper
from cmh.labs.application.reconcile_orphans import Reconciler

Pass = Callable[[], Awaitable[None]]

# What the operators' lab cost per hour and budget alerts read (infra/observability).
LAB_COST = Counter(
    "cmh_lab_cost_usd", "Cost metered on running lab sessions, in US dollars", ["provider"]
)
LAB_CAPPED = Counter(
    "cmh_lab_sessions_capped", "Lab sessions stopped because they reached their budget cap"
)


@dataclass(frozen=True)
class TimerSettings:
    reaper_seconds: float = 60.0
    reconciler_seconds: float = 300.0
    # A claimed environment is replaced within this.
    warm_pool_seconds: float = 15.0


class LabTimers:
    def __init__(self, container: AsyncContainer, settings: TimerSettings | None = None) -> None:
        self._container = container
        self._settings = settings or TimerSettings()
        self.passes = {"reaper": 0, "reconciler": 0, "warm_pool": 0}

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop`` is set: each pass at once, then on its interval."""
        await asyncio.gather(
            self._every(self._settings.reaper_seconds, "reaper", self.reap, stop),
            self._every(self._settings.reconciler_seconds, "reconciler", self.reconcile, stop),
            self._every(self._settings.warm_pool_seconds, "warm_pool", self.keep_warm, stop),
        )

    async def reap(self) -> None:
        async with self._container() as request:
            report = await (await request.get(LabSessionReaper)).execute()
        for provider, usd in report.metered_usd.items():
            LAB_COST.labels(provider).inc(float(usd))
        LAB_CAPPED.inc(len(report.capped))

    async def reconcile(self) -> None:
        async with self._container() as request:
            await (await request.get(Reconciler)).execute()

    async def keep_warm(self) -> None:
        async with self._container() as request:
            await (await request.get(WarmPoolKeeper)).execute()

    async def _every(self, seconds: float, name: str, run: Pass, stop: asyncio.Event) -> None:
        async def counted() -> None:
            await run()
            self.passes[name] += 1

        await every(seconds, f"labs_{name}", counted, stop)
