"""Refund sagas (failed lab sessions) and where each stands, for admins."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden
from cmh.payments.application.ports import RefundSagaRepository
from cmh.payments.application.views import RefundSagaView, refund_saga_view

LIMIT = 500


class AdminRefundSagas:
    def __init__(self, sagas: RefundSagaRepository) -> None:
        self._sagas = sagas

    async def execute(self, caller: Principal) -> list[RefundSagaView]:
        if not caller.is_admin:
            raise Forbidden("admins only", code="admin_only")
        return [refund_saga_view(s) for s in await self._sagas.newest(LIMIT)]
