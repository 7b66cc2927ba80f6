"""Train the collaborative filter again in the background (the worker's timer, the
embedded platform's): when enough new facts arrived or the model is old
(``domain.model.should_retrain``), fit it on every learner's courses and swap it in; the
version is kept as a fact (``recommendations.model_trained``) so any process's admin
overview shows it."""

from __future__ import annotations

from cmh.analytics.application.ports import CollaborativeFilter, FactWarehouse
from cmh.analytics.application.recommender import BEHAVIOUR, baskets
from cmh.analytics.application.views import ModelVersionView
from cmh.analytics.domain.facts import Fact
from cmh.analytics.domain.model import MODEL_TRAINED, ModelVersion, RetrainPolicy, should_retrain
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class RetrainRecommendations:
    def __init__(
        self,
        warehouse: FactWarehouse,
        collaborative: CollaborativeFilter,
        clock: Clock,
        uow: UnitOfWork,
        policy: RetrainPolicy,
    ) -> None:
        self._warehouse = warehouse
        self._collaborative = collaborative
        self._clock = clock
        self._uow = uow
        self._policy = policy

    async def execute(self) -> ModelVersionView | None:
        """The new model's version, or None when the current one is still good."""
        now = self._clock.now()
        async with self._uow:
            held = await self._warehouse.counts()
            facts_now = sum(n for kind, n in held.items() if kind != MODEL_TRAINED)
            current = self._collaborative.current()
            if not should_retrain(current, facts_now, now, self._policy):
                return None
            taken = baskets(await self._warehouse.of_kinds(BEHAVIOUR))
            version = ModelVersion(
                version=(current.version if current else 0) + 1,
                trained_at=now,
                facts=facts_now,
                learners=len(taken),
                courses=len({c for basket in taken.values() for c in basket}),
            )
            self._collaborative.train(taken, version)
            await self._warehouse.record(
                Fact(
                    event_id=f"model-{now.isoformat()}-{version.version}",
                    kind=MODEL_TRAINED,
                    occurred_at=now,
                    value=float(version.version),
                    attrs={
                        "version": version.version,
                        "facts": version.facts,
                        "learners": version.learners,
                        "courses": version.courses,
                    },
                )
            )
            await self._uow.commit()
        return ModelVersionView(
            version=version.version,
            trained_at=version.trained_at,
            facts=version.facts,
            learners=version.learners,
            courses=version.courses,
        )
