"""Payments with refunds, for admins."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden
from cmh.payments.application.ports import PaymentRepository
from cmh.payments.application.views import PaymentView, payment_view

LIMIT = 500


class AdminRefunds:
    def __init__(self, payments: PaymentRepository) -> None:
        self._payments = payments

    async def execute(self, caller: Principal) -> list[PaymentView]:
        if not caller.is_admin:
            raise Forbidden("admins only", code="admin_only")
        return [payment_view(p) for p in await self._payments.refunded(LIMIT)]
