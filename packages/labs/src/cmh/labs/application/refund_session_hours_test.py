"""Payments' refund saga asks labs to give back a failed session's hours: a compensating
ledger entry, once, and only for a platform service (or an admin)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden
from cmh.labs.application.conftest import LEARNER, Labs
from cmh.labs.application.end_session import EndSession
from cmh.labs.application.refund_session_hours import RefundSessionHours
from cmh.labs.domain.lab_hours import EntryKind

PAYMENTS = Principal(user_id="service:payments", roles=frozenset({"service"}))


async def test_a_failed_session_s_hours_come_back_once(labs: Labs) -> None:
    _, session = await labs.ready_session()
    labs.clock.advance(timedelta(minutes=90))
    await (await labs.use(EndSession)).execute(LEARNER, session.id)
    await labs.jobs.drain()
    first = await (await labs.use(RefundSessionHours)).execute(PAYMENTS, session.id, "failed")
    again = await (await labs.use(RefundSessionHours)).execute(PAYMENTS, session.id, "failed")
    assert Decimal(first.hours_refunded) > 0
    assert again.hours_refunded == "0"
    kinds = [e.kind for e in labs.ledger.rows.values() if e.session_id == session.id]
    assert kinds.count(EntryKind.REFUNDED) == 1
    with pytest.raises(Forbidden):
        await (await labs.use(RefundSessionHours)).execute(LEARNER, session.id, "mine")
