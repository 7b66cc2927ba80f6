"""A refund of a lab-hour pack (payments' ``refund.issued``: an admin's refund, or the
refund saga paying back the pack hours of a failed session) takes the hours it pays for
out of the learner's pack balance: a compensating entry keyed by the refund, never more
than the pack's unspent part. A refund of a payment that credited no pack (a
subscription's invoice, a pack not known here) changes nothing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.credit_lab_hour_pack import pack_entry_id
from cmh.labs.application.ports import LabHoursLedger
from cmh.labs.domain.errors import InvalidLedgerEntry
from cmh.labs.domain.lab_hours import take_back_pack


def pack_refund_entry_id(refund_id: str) -> str:
    """One compensating entry per refund."""
    return f"{refund_id}:pack_refunded"


class TakeBackLabHourPack:
    def __init__(self, ledger: LabHoursLedger, uow: UnitOfWork) -> None:
        self._ledger = ledger
        self._uow = uow

    async def execute(
        self,
        refund_id: str,
        payment_id: str,
        user_id: str,
        lab_hours: str,
        reason: str,
        issued_at: datetime,
    ) -> None:
        try:
            hours = Decimal(lab_hours)
        except InvalidOperation as exc:
            raise InvalidLedgerEntry(
                f"{lab_hours!r} is no number of hours", field="lab_hours"
            ) from exc
        if not hours.is_finite() or hours <= 0:
            return  # nothing of a pack is paid back
        entry_id = pack_refund_entry_id(refund_id)
        async with self._uow:
            entries = await self._ledger.entries(user_id)
            bought = next((e for e in entries if e.id == pack_entry_id(payment_id)), None)
            if bought is None or any(e.id == entry_id for e in entries):
                return  # no pack credited for this payment, or this refund already counted
            taken = take_back_pack(
                entry_id,
                bought=bought,
                ledger=entries,
                hours=hours,
                at=issued_at,
                reason=reason[:200] or "refund",
            )
            if taken is None:
                return  # the pack is spent: nothing left to take back
            await self._ledger.append(taken)
            await self._uow.commit()
