"""Each unfinished refund saga one step further: labs gives the hours back (its ledger,
through the ``LabHours`` port), then the pack's share is refunded through Stripe with the
saga's own idempotency key, so a retried step refunds once. A step that fails stays for
the next pass."""

from __future__ import annotations

import structlog

from cmh.kernel.clock import Clock
from cmh.kernel.errors import DomainError
from cmh.kernel.uow import UnitOfWork
from cmh.payments.application.ports import (
    LabHours,
    PaymentRepository,
    RefundSagaRepository,
    StripeGateway,
)
from cmh.payments.domain.payment import Payment, PaymentKind, Refund
from cmh.payments.domain.refund_saga import RefundSaga, SagaStatus

log = structlog.get_logger("cmh.payments")
BATCH = 50
REASON = "lab session failed by the platform"


class AdvanceRefundSagas:
    def __init__(
        self,
        sagas: RefundSagaRepository,
        payments: PaymentRepository,
        labs: LabHours,
        stripe: StripeGateway,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._sagas = sagas
        self._payments = payments
        self._labs = labs
        self._stripe = stripe
        self._uow = uow
        self._clock = clock

    async def execute(self) -> None:
        async with self._uow:
            pending = await self._sagas.open(BATCH)
        for saga in pending:
            async with self._uow:
                try:
                    await self._step(saga)
                except DomainError as exc:
                    log.warning(
                        "refund_saga_step_failed", session_id=saga.session_id, error=exc.detail
                    )
                    saga.step_failed(exc.detail, self._clock.now())
                await self._sagas.save(saga)
                await self._uow.commit()

    async def _step(self, saga: RefundSaga) -> None:
        now = self._clock.now()
        if saga.status is SagaStatus.RESTORING_HOURS:
            back = await self._labs.refund_session(saga.session_id, REASON)
            pack = await self._pack_of(saga.user_id) if back.pack_hours > 0 else None
            saga.hours_back(back.hours, pack, now, pack_hours=back.pack_hours)
        if saga.status is SagaStatus.REFUNDING and saga.payment_id is not None:
            pack = await self._payments.get(saga.payment_id)
            if pack is None or pack.charge_id is None:
                saga.refunded("", now)  # nothing left to refund against
                return
            refund_id = await self._stripe.refund(
                pack.charge_id,
                saga.refund_cents,
                reason=REASON,
                idempotency_key=f"refund-saga-{saga.session_id}",
            )
            if pack.refunded(Refund(refund_id, saga.refund_cents, REASON, now)):
                await self._payments.save(pack)
            saga.refunded(refund_id, now)

    async def _pack_of(self, user_id: str) -> Payment | None:
        packs = [
            p
            for p in await self._payments.of_user(user_id)
            if p.kind is PaymentKind.LAB_HOURS_PACK and p.refundable_cents > 0
        ]
        return packs[0] if packs else None
