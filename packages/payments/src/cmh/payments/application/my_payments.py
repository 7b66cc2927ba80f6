"""The caller's invoices and pack purchases, newest first, with their refunds."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.payments.application.ports import PaymentRepository
from cmh.payments.application.views import PaymentView, payment_view


class MyPayments:
    def __init__(self, payments: PaymentRepository) -> None:
        self._payments = payments

    async def execute(self, caller: Principal) -> list[PaymentView]:
        return [payment_view(p) for p in await self._payments.of_user(caller.user_id)]
