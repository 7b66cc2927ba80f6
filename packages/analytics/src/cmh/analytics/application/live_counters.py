"""Active learners and running labs right now, for the admins' live view."""

from __future__ import annotations

from datetime import datetime, timedelta

from cmh.analytics.application.access import ensure_admin
from cmh.analytics.application.ports import FactWarehouse, LiveCounts
from cmh.analytics.domain import facts as k
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock

ACTIVE_WINDOW = timedelta(minutes=15)
LAB_WINDOW = timedelta(days=1)
LAB_KINDS = (k.LAB_REQUESTED, k.LAB_ENDED)


async def counts_now(warehouse: FactWarehouse, now: datetime) -> LiveCounts:
    active = await warehouse.recent(k.LEARNING_ACTIVITY, now - ACTIVE_WINDOW)
    labs = await warehouse.recent(LAB_KINDS, now - LAB_WINDOW)
    ended = {f.subject for f in labs if f.kind == k.LAB_ENDED}
    return LiveCounts(
        active_learners=len({f.user_id for f in active}),
        labs_running=len({f.subject for f in labs if f.kind == k.LAB_REQUESTED} - ended),
        at=now,
    )


class LiveCounters:
    def __init__(self, warehouse: FactWarehouse, clock: Clock) -> None:
        self._warehouse = warehouse
        self._clock = clock

    async def execute(self, principal: Principal) -> LiveCounts:
        ensure_admin(principal)
        return await counts_now(self._warehouse, self._clock.now())
