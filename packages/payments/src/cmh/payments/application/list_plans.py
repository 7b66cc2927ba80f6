"""The plans on sale (anyone may read them)."""

from __future__ import annotations

from cmh.payments.application.views import PlanView, plan_view
from cmh.payments.domain.plans import PlanCatalog


class ListPlans:
    def __init__(self, catalog: PlanCatalog) -> None:
        self._catalog = catalog

    async def execute(self) -> list[PlanView]:
        return [plan_view(plan) for plan in self._catalog.all()]
