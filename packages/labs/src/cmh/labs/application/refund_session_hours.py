"""A compensating entry in the lab-hours ledger for a session the platform failed: the
learner gets back what is left of the session's consumption (payments' refund saga asks;
a repeated request gives back nothing more). The answer says how many of those hours the
session had taken from lab-hour packs: the saga refunds their share of the pack's price,
and the pack's refund then takes them out of the balance again."""

from __future__ import annotations

from decimal import Decimal

from cmh.contracts.http.labs import LabHoursRefundResponse
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.errors import Conflict, Forbidden
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.access import is_service
from cmh.labs.application.lab_hours_spent import consumption_id
from cmh.labs.application.ports import LabHoursLedger, SessionRepository
from cmh.labs.domain.errors import SessionNotFound
from cmh.labs.domain.lab_hours import pack_balance, refund


def refund_id(session_id: str) -> str:
    """One refund per session: a second one is refused by the ledger's key."""
    return f"{session_id}:refunded"


class RefundSessionHours:
    def __init__(
        self,
        sessions: SessionRepository,
        ledger: LabHoursLedger,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._ledger = ledger
        self._uow = uow
        self._clock = clock

    async def execute(
        self, caller: Principal, session_id: str, reason: str
    ) -> LabHoursRefundResponse:
        if not (is_service(caller) or caller.is_admin):
            raise Forbidden("only a platform service may refund lab hours", code="service_only")
        async with self._uow:
            session = await self._sessions.get(session_id)
            if session is None:
                raise SessionNotFound(f"lab session {session_id} not found")
            entries = await self._ledger.entries(session.user_id)
            consumption = next((e for e in entries if e.id == consumption_id(session_id)), None)
            given = from_packs = Decimal(0)
            if consumption is not None and not any(e.id == refund_id(session_id) for e in entries):
                entry = refund(
                    refund_id(session_id),
                    consumption=consumption,
                    ledger=entries,
                    at=self._clock.now(),
                    reason=reason,
                )
                try:
                    await self._ledger.append(entry)
                    await self._uow.commit()
                    given = entry.hours
                    from_packs = pack_balance([*entries, entry]) - pack_balance(entries)
                except Conflict:
                    given = Decimal(0)  # given back meanwhile by another request
            return LabHoursRefundResponse(
                session_id=session_id,
                user_id=session.user_id,
                hours_refunded=str(given),
                pack_hours_refunded=str(max(Decimal(0), from_packs)),
            )
