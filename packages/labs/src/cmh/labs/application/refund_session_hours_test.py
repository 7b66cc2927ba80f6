"""Payments' refund saga asks labs to give back a failed session's hours: a compensating
ledger entry, once, and only for a platform service (or an admin)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden
from cmh.labs.application.conftest import LEARNER, START, Labs
from cmh.labs.application.credit_lab_hour_pack import CreditLabHourPack
from cmh.labs.application.end_session import EndSession
from cmh.labs.application.refund_session_hours import RefundSessionHours
from cmh.labs.domain.lab_hours import EntryKind, pack_balance

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


async def test_the_answer_says_which_hours_had_come_from_a_pack(labs: Labs) -> None:
    """A free learner (2 h) with a 10 h pack: a first 90 minutes within the allowance,
    then a failed 90 minutes of which 30 came from the allowance and 60 from the pack."""
    await (await labs.use(CreditLabHourPack)).execute("cs_pack", LEARNER.user_id, 10, START)
    template, first = await labs.ready_session(time_limit_minutes=120)
    labs.clock.advance(timedelta(minutes=90))
    await (await labs.use(EndSession)).execute(LEARNER, first.id)
    await labs.jobs.drain()
    failed = await labs.launch(template.id)
    await labs.jobs.drain()
    labs.clock.advance(timedelta(minutes=90))
    await (await labs.use(EndSession)).execute(LEARNER, failed.id)
    await labs.jobs.drain()
    entries = await labs.ledger.entries(LEARNER.user_id)
    assert pack_balance(entries) == Decimal(9)

    back = await (await labs.use(RefundSessionHours)).execute(PAYMENTS, failed.id, "failed")
    assert (back.hours_refunded, back.pack_hours_refunded) == ("1.500000", "1.000000")
    assert pack_balance(await labs.ledger.entries(LEARNER.user_id)) == Decimal(10)
    again = await (await labs.use(RefundSessionHours)).execute(PAYMENTS, failed.id, "failed")
    assert (again.hours_refunded, again.pack_hours_refunded) == ("0", "0")
    within = await (await labs.use(RefundSessionHours)).execute(PAYMENTS, first.id, "failed")
    assert (within.hours_refunded, within.pack_hours_refunded) == ("1.500000", "0")
