"""The ledger entry of a finished session: the learner's time in it, charged once."""

from __future__ import annotations

from datetime import datetime

from cmh.labs.application.ports import LabHoursLedger
from cmh.labs.domain.lab_hours import consume
from cmh.labs.domain.session import LabSession


def consumption_id(session_id: str) -> str:
    """One consumption per session: its id is derived, so it cannot be charged twice."""
    return f"{session_id}:consumed"


async def charge_lab_hours(ledger: LabHoursLedger, session: LabSession, now: datetime) -> None:
    at = session.ended_at or now
    used = session.usable_for(at)
    if used.total_seconds() <= 0:
        return  # never ready: nothing was usable, nothing is charged
    await ledger.append(
        consume(
            consumption_id(session.id),
            user_id=session.user_id,
            session_id=session.id,
            used=used,
            at=at,
            allowance=session.allowance_hours,
        )
    )
