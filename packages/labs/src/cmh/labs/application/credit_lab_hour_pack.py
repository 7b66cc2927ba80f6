"""A paid lab-hour pack (payments' ``payment.succeeded`` with hours) is credited to the
learner's ledger, once: the entry is keyed by the payment, so a redelivered or repeated
event credits nothing more. A payment without hours (a subscription's invoice) is none
of the ledger's business."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.ports import LabHoursLedger
from cmh.labs.domain.lab_hours import purchase


def pack_entry_id(payment_id: str) -> str:
    """One purchase per payment: its id is derived, so it cannot be credited twice."""
    return f"{payment_id}:purchased"


class CreditLabHourPack:
    def __init__(self, ledger: LabHoursLedger, uow: UnitOfWork) -> None:
        self._ledger = ledger
        self._uow = uow

    async def execute(self, payment_id: str, user_id: str, hours: int, paid_at: datetime) -> None:
        if hours <= 0:
            return  # not a lab-hour pack
        entry_id = pack_entry_id(payment_id)
        async with self._uow:
            if any(e.id == entry_id for e in await self._ledger.entries(user_id)):
                return
            await self._ledger.append(
                purchase(
                    entry_id,
                    user_id=user_id,
                    payment_id=payment_id,
                    hours=Decimal(hours),
                    at=paid_at,
                )
            )
            await self._uow.commit()
