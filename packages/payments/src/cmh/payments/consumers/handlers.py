"""Thin event handlers: decode the envelope, call one use case."""

from __future__ import annotations

from cmh.contracts.events.labs import LabSessionEndedV1
from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.payments.application.handle_user_erasure import HandleUserErasure
from cmh.payments.application.start_refund_saga import StartRefundSaga

USER_ERASURE = "payments.user-erasure"
LAB_SESSION_ENDED = "payments.lab-session-ended"


class UserErasureHandler:
    def __init__(self, erase: HandleUserErasure) -> None:
        self._erase = erase

    async def __call__(self, event: UserErasureRequestedV1) -> None:
        await self._erase.execute(event.user_id)


class LabSessionEndedHandler:
    def __init__(self, start: StartRefundSaga) -> None:
        self._start = start

    async def __call__(self, event: LabSessionEndedV1) -> None:
        await self._start.execute(event.session_id, event.user_id, event.outcome)
