"""A lab session ended because the platform failed (``lab.session_ended`` with outcome
``failed_platform``): a refund saga starts for it, once per session."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.payments.application.ports import RefundSagaRepository
from cmh.payments.domain.refund_saga import RefundSaga

FAILED_PLATFORM = "failed_platform"


class StartRefundSaga:
    def __init__(self, sagas: RefundSagaRepository, uow: UnitOfWork, clock: Clock) -> None:
        self._sagas = sagas
        self._uow = uow
        self._clock = clock

    async def execute(self, session_id: str, user_id: str, outcome: str) -> None:
        if outcome != FAILED_PLATFORM:
            return
        async with self._uow:
            if await self._sagas.add(RefundSaga.started(session_id, user_id, self._clock.now())):
                await self._uow.commit()
