"""Admins see what the sessions cost, per course or per template, most expensive first."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from enum import StrEnum

from cmh.kernel.auth.principal import Principal
from cmh.labs.application.access import ensure_admin
from cmh.labs.application.ports import SessionRepository
from cmh.labs.application.views import CostLine, CostReport


class CostGrouping(StrEnum):
    COURSE = "course"
    TEMPLATE = "template"


class AdminCosts:
    def __init__(self, sessions: SessionRepository) -> None:
        self._sessions = sessions

    async def execute(self, principal: Principal, group_by: CostGrouping) -> CostReport:
        ensure_admin(principal)
        counts: dict[str | None, int] = defaultdict(int)
        costs: dict[str | None, Decimal] = defaultdict(Decimal)
        for session in await self._sessions.with_status():
            key = session.course_id if group_by is CostGrouping.COURSE else session.template_id
            counts[key] += 1
            costs[key] += session.cost_usd
        lines = [
            CostLine(key=key, sessions=counts[key], cost_usd=costs[key])
            for key in sorted(costs, key=lambda k: (-costs[k], k or ""))
        ]
        return CostReport(
            group_by=str(group_by),
            lines=lines,
            total_usd=sum((line.cost_usd for line in lines), Decimal("0.00")),
        )
