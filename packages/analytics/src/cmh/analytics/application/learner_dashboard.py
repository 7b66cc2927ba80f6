"""The caller's own dashboard."""

from __future__ import annotations

import msgspec

from cmh.analytics.application.ports import FactWarehouse
from cmh.analytics.application.recommender import catalog
from cmh.analytics.application.views import DashboardView
from cmh.analytics.domain import facts as k
from cmh.analytics.domain.dashboard import learner_stats
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock


class LearnerDashboard:
    def __init__(self, warehouse: FactWarehouse, clock: Clock) -> None:
        self._warehouse = warehouse
        self._clock = clock

    async def execute(self, principal: Principal) -> DashboardView:
        titles = {
            c.course_id: c.title
            for c in catalog(await self._warehouse.of_kinds((k.COURSE_PUBLISHED,))).values()
        }
        stats = learner_stats(
            principal.user_id,
            await self._warehouse.of_user(principal.user_id),
            titles,
            self._clock.now().date(),
        )
        return msgspec.convert(stats, DashboardView, from_attributes=True)
