"""The caller's dashboard in one call: profile, enrollments, learning figures and
recommendations fetched concurrently."""

from __future__ import annotations

import asyncio

from cmh.gateway.application.ports import Caller, DashboardSources
from cmh.gateway.application.views import Dashboard


class GetDashboard:
    def __init__(self, sources: DashboardSources) -> None:
        self._sources = sources

    async def execute(self, caller: Caller) -> Dashboard:
        profile, enrollments, stats, recommendations = await asyncio.gather(
            self._sources.profile(caller),
            self._sources.enrollments(caller),
            self._sources.learning_stats(caller),
            self._sources.recommendations(caller),
        )
        return Dashboard(
            profile=profile,
            enrollments=enrollments,
            stats=stats,
            recommendations=recommendations,
        )
