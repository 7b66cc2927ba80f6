"""The platform at a glance, for admins."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from cmh.analytics.application.access import ensure_admin
from cmh.analytics.application.ports import FactWarehouse
from cmh.analytics.application.views import ModelVersionView, OverviewView
from cmh.analytics.domain import facts as k
from cmh.analytics.domain.model import MODEL_TRAINED
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock

ACTIVE_WINDOW = timedelta(days=7)


class AdminOverview:
    def __init__(self, warehouse: FactWarehouse, clock: Clock) -> None:
        self._warehouse = warehouse
        self._clock = clock

    async def execute(self, principal: Principal) -> OverviewView:
        ensure_admin(principal)
        activity = await self._warehouse.of_kinds(k.LEARNING_ACTIVITY)
        since = self._clock.now() - ACTIVE_WINDOW
        labs = [f for f in activity if f.kind == k.LAB_ENDED]
        certificates = await self._warehouse.of_kinds((k.CERTIFICATE_ISSUED, k.CERTIFICATE_REVOKED))
        revoked = {f.subject for f in certificates if f.kind == k.CERTIFICATE_REVOKED}
        cost = sum((Decimal(str(f.attrs.get("cost_usd", "0"))) for f in labs), Decimal("0"))
        return OverviewView(
            learners=len({f.user_id for f in activity}),
            active_learners_7d=len({f.user_id for f in activity if f.occurred_at >= since}),
            enrollments=sum(f.kind == k.ENROLLED for f in activity),
            completions=sum(f.kind == k.COURSE_COMPLETED for f in activity),
            lab_hours=round(sum(f.value for f in labs) / 3600, 2),
            lab_cost_usd=f"{cost:.2f}",
            certificates=len(
                {f.subject for f in certificates if f.kind == k.CERTIFICATE_ISSUED} - revoked
            ),
            facts_by_kind=await self._warehouse.counts(),
            recommendation_model=await self._model(),
        )

    async def _model(self) -> ModelVersionView | None:
        trained = await self._warehouse.of_kinds((MODEL_TRAINED,))
        if not trained:
            return None
        last = trained[-1]  # in time order
        return ModelVersionView(
            version=int(last.attrs["version"]),
            trained_at=last.occurred_at,
            facts=int(last.attrs["facts"]),
            learners=int(last.attrs["learners"]),
            courses=int(last.attrs["courses"]),
        )
