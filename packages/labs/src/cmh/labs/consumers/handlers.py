"""Thin event handlers: decode the envelope, call one use case."""

from __future__ import annotations

from cmh.contracts.events.payments import PaymentSucceededV1, RefundIssuedV1
from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.labs.application.credit_lab_hour_pack import CreditLabHourPack
from cmh.labs.application.handle_user_erasure import HandleUserErasure
from cmh.labs.application.take_back_lab_hour_pack import TakeBackLabHourPack

USER_ERASURE = "labs.user-erasure"
LAB_HOUR_PACKS = "labs.lab-hour-packs"


class UserErasureHandler:
    def __init__(self, erase: HandleUserErasure) -> None:
        self._erase = erase

    async def __call__(self, event: UserErasureRequestedV1) -> None:
        await self._erase.execute(event.user_id)


class LabHourPackHandler:
    """``payment.succeeded`` credits a pack's hours; ``refund.issued`` takes back what a
    pack's refund pays for."""

    def __init__(self, credit: CreditLabHourPack, take_back: TakeBackLabHourPack) -> None:
        self._credit = credit
        self._take_back = take_back

    async def __call__(self, event: PaymentSucceededV1 | RefundIssuedV1) -> None:
        if isinstance(event, PaymentSucceededV1):
            await self._credit.execute(
                event.payment_id, event.user_id, event.lab_hours, event.paid_at
            )
        else:
            await self._take_back.execute(
                event.refund_id,
                event.payment_id,
                event.user_id,
                event.lab_hours,
                event.reason,
                event.issued_at,
            )
